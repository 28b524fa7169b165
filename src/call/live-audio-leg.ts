/**
 * The walkie-talkie's pieces of one mesh leg's connection: the floor data channel and the audio
 * transceiver a listen-only device keeps ready for its voice (docs/mesh.md, "Walkie-talkie on the mesh").
 *
 * Owns: creating the negotiated floor channel (label `org.matrix.msc4002.floor`, fixed id, ordered and
 * reliable, so both ends create it before the offer and nothing else is signalled), the send-ready audio
 * transceiver of a listen-only leg, and putting a track on it or taking it off with replaceTrack (no
 * renegotiation). Never: is used for 1:1 room calls, adds or removes tracks, or reads what goes over the channel.
 */
import { FLOOR_CHANNEL } from '../signalling/ptt/event-types.js';

/** The floor channel's SCTP stream id, the same on both ends (negotiated: true). */
export const FLOOR_CHANNEL_ID = 402;

export function createFloorChannel(pc: RTCPeerConnection): RTCDataChannel {
  return pc.createDataChannel(FLOOR_CHANNEL, { negotiated: true, id: FLOOR_CHANNEL_ID, ordered: true });
}

function audioTransceivers(pc: RTCPeerConnection): RTCRtpTransceiver[] {
  return pc
    .getTransceivers()
    .filter((t) => t.receiver.track.kind === 'audio' && t.currentDirection !== 'stopped');
}

/** Caller side of a listen-only leg: one audio transceiver that may send later, with no track yet. */
export function addListenOnlyAudio(pc: RTCPeerConnection): void {
  pc.addTransceiver('audio', { direction: 'sendrecv' });
}

/**
 * Callee side of a listen-only leg, after the offer was applied: the offered audio section is answered
 * sendrecv (with no track), so a track can be put on it later without renegotiating.
 */
export function makeAudioSendable(pc: RTCPeerConnection): void {
  const audio = audioTransceivers(pc);
  if (audio.length === 0) {
    addListenOnlyAudio(pc);
    return;
  }
  for (const transceiver of audio) transceiver.direction = 'sendrecv';
}

/** The leg's first audio transceiver: the one a listen-only device talks on. */
function liveTransceiver(pc: RTCPeerConnection): RTCRtpTransceiver | undefined {
  return audioTransceivers(pc)[0];
}

/** Puts the track on the leg's audio sender, or takes it off (null). */
export async function replaceLiveAudio(pc: RTCPeerConnection, track: MediaStreamTrack | null): Promise<void> {
  const sender = liveTransceiver(pc)?.sender;
  if (!sender || pc.signalingState === 'closed' || sender.track === track) return;
  await sender.replaceTrack(track);
}

/** What the other end sends on the leg's first audio section. */
export function remoteLiveAudio(pc: RTCPeerConnection): MediaStreamTrack | undefined {
  return liveTransceiver(pc)?.receiver.track;
}
