/**
 * Reading a LiveKit participant into an SfuRemoteParticipant: microphone and camera in one stream,
 * screen share in another, the walkie-talkie's named live voice in a third, mute from the publications, speaking and connection quality.
 *
 * The participant is read through a structural shape (the fields livekit-client's RemoteParticipant
 * has), so this module needs no livekit-client at runtime and can be tested with plain objects.
 * Track sources are livekit-client's Track.Source string values.
 *
 * Owns: keeping one MediaStream per participant and purpose for as long as the participant stays
 * (elements keep playing it while tracks come and go). Never: subscribes, attaches media elements
 * or stops tracks (livekit-client owns remote tracks).
 */
import type { ConnectionHealth } from '../../snapshot.js';
import { LIVE_AUDIO_TRACK_NAME, type SfuRemoteParticipant } from './sfu-room.js';

export interface TrackPublicationLike {
  readonly source: string;
  /** The name the publisher gave the track (the walkie-talkie's live voice has LIVE_AUDIO_TRACK_NAME). */
  readonly trackName?: string;
  readonly isMuted: boolean;
  readonly track?: { readonly mediaStreamTrack: MediaStreamTrack } | undefined;
}

export interface ParticipantLike {
  readonly identity: string;
  readonly isSpeaking: boolean;
  /** livekit-client ConnectionQuality: 'excellent' | 'good' | 'poor' | 'lost' | 'unknown'. */
  readonly connectionQuality: string;
  readonly trackPublications: ReadonlyMap<string, TrackPublicationLike>;
}

export const SOURCE = {
  microphone: 'microphone',
  camera: 'camera',
  screen: 'screen_share',
  screenAudio: 'screen_share_audio',
} as const;

function connectionOf(quality: string): ConnectionHealth {
  return quality === 'lost' ? 'disconnected' : 'connected';
}

/** Makes `stream` hold exactly `tracks`. */
function syncTracks(stream: MediaStream, tracks: readonly MediaStreamTrack[]): void {
  for (const track of stream.getTracks()) if (!tracks.includes(track)) stream.removeTrack(track);
  for (const track of tracks) if (!stream.getTracks().includes(track)) stream.addTrack(track);
}

export class RemoteStreams {
  private readonly streams = new Map<
    string,
    { userMedia: MediaStream; screen: MediaStream; liveAudio: MediaStream }
  >();

  /** Reads every participant; streams of participants no longer listed are forgotten. */
  read(participants: Iterable<ParticipantLike>): SfuRemoteParticipant[] {
    const out: SfuRemoteParticipant[] = [];
    const seen = new Set<string>();
    for (const participant of participants) {
      seen.add(participant.identity);
      out.push(this.readOne(participant));
    }
    for (const identity of [...this.streams.keys()]) if (!seen.has(identity)) this.streams.delete(identity);
    return out;
  }

  private readOne(participant: ParticipantLike): SfuRemoteParticipant {
    let held = this.streams.get(participant.identity);
    if (!held) {
      held = { userMedia: new MediaStream(), screen: new MediaStream(), liveAudio: new MediaStream() };
      this.streams.set(participant.identity, held);
    }
    const all = [...participant.trackPublications.values()];
    const isLive = (p: TrackPublicationLike) => p.trackName === LIVE_AUDIO_TRACK_NAME;
    const publications = all.filter((p) => !isLive(p));
    const bySource = (source: string) => publications.filter((p) => p.source === source);
    const liveTracks = (sources: readonly string[]) =>
      publications
        .filter((p) => sources.includes(p.source))
        .flatMap((p) => (p.track ? [p.track.mediaStreamTrack] : []));

    syncTracks(held.userMedia, liveTracks([SOURCE.microphone, SOURCE.camera]));
    syncTracks(held.screen, liveTracks([SOURCE.screen, SOURCE.screenAudio]));
    syncTracks(
      held.liveAudio,
      all
        .filter((p) => isLive(p) && !p.isMuted)
        .flatMap((p) => (p.track && p.track.mediaStreamTrack.kind === 'audio' ? [p.track.mediaStreamTrack] : [])),
    );

    const mutedOrAbsent = (source: string) => {
      const pubs = bySource(source);
      return pubs.length === 0 || pubs.every((p) => p.isMuted || !p.track);
    };
    return Object.freeze({
      identity: participant.identity,
      ...(held.userMedia.getTracks().length > 0 ? { userMedia: held.userMedia } : {}),
      ...(held.screen.getVideoTracks().length > 0 ? { screen: held.screen } : {}),
      ...(held.liveAudio.getTracks().length > 0 ? { liveAudio: held.liveAudio } : {}),
      audioMuted: mutedOrAbsent(SOURCE.microphone),
      videoMuted: mutedOrAbsent(SOURCE.camera),
      speaking: participant.isSpeaking,
      connection: connectionOf(participant.connectionQuality),
    });
  }
}
