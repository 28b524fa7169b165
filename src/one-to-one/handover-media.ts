/**
 * A LocalMediaSource that first hands out a stream the owner already has (the camera and microphone
 * of an outgoing call replaced in glare), then asks the real source as usual.
 *
 * Owns: the one-time hand-over. Never: stops tracks (the call that takes the stream owns it).
 */
import type { LocalMediaSource } from '../call/peer-call-contract.js';
import type { CallKind } from '../snapshot.js';

export class HandOverMediaSource implements LocalMediaSource {
  private handed: MediaStream | undefined;

  constructor(
    private readonly source: LocalMediaSource,
    stream: MediaStream | undefined,
  ) {
    this.handed = stream;
  }

  getUserMedia(kind: CallKind): Promise<MediaStream> {
    const stream = this.handed;
    this.handed = undefined;
    const usable =
      stream &&
      stream.getAudioTracks().some((t) => t.readyState === 'live') &&
      (kind === 'voice' || stream.getVideoTracks().some((t) => t.readyState === 'live'));
    if (usable) return Promise.resolve(stream);
    if (stream) for (const track of stream.getTracks()) track.stop();
    return this.source.getUserMedia(kind);
  }

  async grantedWithoutPrompt(kind: CallKind): Promise<boolean> {
    return (await this.source.grantedWithoutPrompt?.(kind)) === true;
  }

  grantedWithoutPromptNow(kind: CallKind): boolean | undefined {
    return this.source.grantedWithoutPromptNow?.(kind);
  }

  getDisplayMedia(): Promise<MediaStream> {
    return this.source.getDisplayMedia();
  }
}
