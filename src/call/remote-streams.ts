/**
 * The other party's streams as they arrive on the connection, each given its purpose (camera or
 * screen) and mute state from the sdp_stream_metadata the other side sent, matched by stream id (msid).
 *
 * Owns: the set of remote MediaStreams and the remote metadata. Never: touches the connection
 * beyond the track events it is handed, or decides anything about the call.
 */
import { mergeStreamMetadata } from '../media/stream-metadata.js';
import type { SdpStreamMetadata } from '../signalling/voip/types.js';
import type { StreamView } from '../snapshot.js';

export class RemoteStreams {
  private readonly streams = new Map<string, MediaStream>();
  private metadata: SdpStreamMetadata = {};
  /** Whether the other side has sent any metadata (version 0 peers never do). */
  private hasMetadata = false;

  constructor(private readonly onChange: () => void) {}

  addTrack(event: RTCTrackEvent): void {
    const stream = event.streams[0];
    if (!stream) return;
    if (!this.streams.has(stream.id)) {
      this.streams.set(stream.id, stream);
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) this.streams.delete(stream.id);
        this.onChange();
      });
      stream.addEventListener('addtrack', () => this.onChange());
    }
    event.track.addEventListener('ended', () => this.onChange());
    this.onChange();
  }

  /** Invite, answer and negotiate carry the whole set; metadata_changed may carry only changes. */
  setMetadata(metadata: SdpStreamMetadata, mode: 'replace' | 'merge'): void {
    this.metadata =
      mode === 'replace' ? Object.freeze({ ...metadata }) : mergeStreamMetadata(this.metadata, metadata);
    this.hasMetadata = true;
    this.onChange();
  }

  get all(): readonly MediaStream[] {
    return [...this.streams.values()];
  }

  hasLiveVideo(): boolean {
    return this.visible().some((s) => s.getVideoTracks().some((t) => t.readyState === 'live'));
  }

  views(userId: string, deviceId: string | undefined): StreamView[] {
    return this.visible().map((stream) => {
      const entry = this.metadata[stream.id];
      const liveAudio = stream.getAudioTracks().some((t) => t.readyState === 'live');
      const liveVideo = stream.getVideoTracks().some((t) => t.readyState === 'live');
      return Object.freeze({
        id: stream.id,
        purpose: entry?.purpose ?? 'm.usermedia',
        stream,
        local: false,
        userId,
        ...(deviceId !== undefined ? { deviceId } : {}),
        audioMuted: (entry?.audio_muted ?? false) || !liveAudio,
        videoMuted: (entry?.video_muted ?? false) || !liveVideo,
      });
    });
  }

  /** Streams with tracks, and named in the metadata once the other side sends metadata at all. */
  private visible(): MediaStream[] {
    return this.all.filter(
      (s) => s.getTracks().length > 0 && (!this.hasMetadata || this.metadata[s.id] !== undefined),
    );
  }
}
