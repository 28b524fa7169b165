/**
 * The media this side of one call sends: the camera/microphone stream, the screen stream and their
 * senders, the mute and hold switches on their tracks, and how they are announced (stream metadata)
 * and shown (local StreamViews).
 *
 * Owns: local streams, their track states and the screen senders. Never: gets media (the call asks
 * its LocalMediaSource), signals anything, or renegotiates (adding and removing tracks makes the
 * connection ask for that by itself).
 */
import { localStreamMetadata, type LocalStreamState } from '../media/stream-metadata.js';
import { hasLiveTrack, setTracksEnabled, stopTracks } from '../media/track-mute.js';
import type { SdpStreamMetadata } from '../signalling/voip/types.js';
import type { CallKind, StreamView } from '../snapshot.js';

export class LocalCallMedia {
  micMuted = false;
  cameraMuted: boolean;
  onHold = false;
  private userStream: MediaStream | undefined;
  private screenStream: MediaStream | undefined;
  private screenSenders: RTCRtpSender[] = [];
  /** Senders kept for tracks still being granted (`reserveUserMedia`). */
  private reserved: Map<string, RTCRtpSender> | undefined;

  constructor(
    private readonly self: { readonly userId: string; readonly deviceId: string },
    voice: boolean,
  ) {
    this.cameraMuted = voice;
  }

  get userMedia(): MediaStream | undefined {
    return this.userStream;
  }

  get screen(): MediaStream | undefined {
    return this.screenStream;
  }

  get hasCamera(): boolean {
    return hasLiveTrack(this.userStream, 'video');
  }

  /** Puts the camera/microphone tracks on the connection. */
  sendUserMedia(pc: RTCPeerConnection, stream: MediaStream): void {
    this.userStream = stream;
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    this.applyTrackStates();
  }

  /**
   * Placing or answering before the browser has handed over the camera and microphone (it will not
   * prompt): an audio (and, for video, a video) transceiver, the offer's own where it has one, is made
   * to send from a stream that is still empty, so the invite or answer can go out while the devices
   * open. `fillUserMedia` puts the tracks in without renegotiating.
   */
  reserveUserMedia(pc: RTCPeerConnection, kind: CallKind): void {
    const stream = new MediaStream();
    this.userStream = stream;
    this.reserved = new Map();
    for (const trackKind of kind === 'video' ? ['audio', 'video'] : ['audio']) {
      const existing = pc
        .getTransceivers()
        .find(
          (t) => t.direction !== 'stopped' && t.sender.track === null && t.receiver.track.kind === trackKind,
        );
      if (existing) {
        existing.direction = 'sendrecv';
        existing.sender.setStreams(stream);
      }
      const transceiver =
        existing ?? pc.addTransceiver(trackKind, { direction: 'sendrecv', streams: [stream] });
      this.reserved.set(trackKind, transceiver.sender);
    }
  }

  /** The granted camera and microphone take the places `reserveUserMedia` kept for them. */
  async fillUserMedia(pc: RTCPeerConnection, granted: MediaStream): Promise<void> {
    const stream = this.userStream;
    const reserved = this.reserved;
    this.reserved = undefined;
    if (!stream || !reserved) {
      stopTracks(granted);
      return;
    }
    // Into the stream first, all at once: a call that ends meanwhile stops them with it.
    for (const track of granted.getTracks()) stream.addTrack(track);
    this.applyTrackStates();
    for (const track of granted.getTracks()) {
      if (pc.signalingState === 'closed') return;
      const sender = reserved.get(track.kind);
      reserved.delete(track.kind);
      if (sender) await sender.replaceTrack(track).catch(() => undefined);
      else pc.addTrack(track, stream);
    }
  }

  /** Voice to video: the camera joins the same stream (same msid), so the other side sees one stream. */
  addCamera(pc: RTCPeerConnection, track: MediaStreamTrack): void {
    if (!this.userStream) return;
    this.userStream.addTrack(track);
    pc.addTrack(track, this.userStream);
    this.applyTrackStates();
  }

  shareScreen(pc: RTCPeerConnection, stream: MediaStream, onEndedByBrowser: () => void): void {
    this.screenStream = stream;
    for (const track of stream.getTracks()) {
      this.screenSenders.push(pc.addTrack(track, stream));
      track.addEventListener('ended', () => {
        if (this.screenStream === stream) onEndedByBrowser();
      });
    }
    this.applyTrackStates();
  }

  stopScreen(pc: RTCPeerConnection): void {
    if (pc.signalingState !== 'closed') for (const sender of this.screenSenders) pc.removeTrack(sender);
    this.screenSenders = [];
    stopTracks(this.screenStream);
    this.screenStream = undefined;
  }

  /** Muted or held tracks are switched off: they keep their place and send silence or black. */
  applyTrackStates(): void {
    if (this.userStream) {
      setTracksEnabled(this.userStream, 'audio', !this.micMuted && !this.onHold);
      setTracksEnabled(this.userStream, 'video', !this.cameraMuted && !this.onHold);
    }
    if (this.screenStream) setTracksEnabled(this.screenStream, 'video', !this.onHold);
  }

  metadata(): SdpStreamMetadata {
    const streams: LocalStreamState[] = [];
    if (this.userStream) {
      streams.push({
        stream: this.userStream,
        purpose: 'm.usermedia',
        audioMuted: this.micMuted,
        videoMuted: this.cameraMuted,
        ...(this.reserved ? { opening: new Set(this.reserved.keys()) } : {}),
      });
    }
    if (this.screenStream) {
      streams.push({
        stream: this.screenStream,
        purpose: 'm.screenshare',
        audioMuted: true,
        videoMuted: false,
      });
    }
    return localStreamMetadata(streams);
  }

  views(): StreamView[] {
    const { userId, deviceId } = this.self;
    const views: StreamView[] = [];
    if (this.userStream) {
      views.push(
        Object.freeze({
          id: this.userStream.id,
          purpose: 'm.usermedia' as const,
          stream: this.userStream,
          local: true,
          userId,
          deviceId,
          audioMuted: this.micMuted || !hasLiveTrack(this.userStream, 'audio'),
          videoMuted: this.cameraMuted || !hasLiveTrack(this.userStream, 'video'),
        }),
      );
    }
    if (this.screenStream) {
      views.push(
        Object.freeze({
          id: this.screenStream.id,
          purpose: 'm.screenshare' as const,
          stream: this.screenStream,
          local: true,
          userId,
          deviceId,
          audioMuted: true,
          videoMuted: false,
        }),
      );
    }
    return views;
  }

  /** Stops what this call captured; the camera/microphone may be kept for a call that replaces this one. */
  stop(keepUserMedia: boolean): void {
    if (!keepUserMedia) stopTracks(this.userStream);
    stopTracks(this.screenStream);
  }
}
