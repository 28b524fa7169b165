/**
 * This device's media in a group call (mesh or SFU): the camera/microphone opened once and shared by
 * every leg or publication, and the screen when shared. Part of the backends' shared base (src/group/).
 *
 * Owns: the original streams (shown in this device's own tile, switched on and off for mute), and a
 * LocalMediaSource for legs that hands each leg its own clone: a leg stops its clone when it ends
 * and switches its clone's tracks for mute, and neither touches the others or the original.
 * Never: asks for media twice for one joining, keeps a stream that arrives after close(), talks to
 * peers, or renegotiates. Both group backends (mesh and LiveKit) open their media through it.
 */
import type { LocalMediaSource } from '../call/peer-call-contract.js';
import { setTracksEnabled, stopTracks } from '../media/track-mute.js';
import type { CallKind } from '../snapshot.js';

export class SharedLocalMedia {
  private userStream: MediaStream | undefined;
  private screenStream: MediaStream | undefined;
  private opening: Promise<MediaStream> | undefined;
  /** Bumped by close(): an opening from before it must not keep its stream. */
  private generation = 0;

  constructor(private readonly source: LocalMediaSource) {}

  get userMedia(): MediaStream | undefined {
    return this.userStream;
  }

  get screen(): MediaStream | undefined {
    return this.screenStream;
  }

  /**
   * Opens the camera/microphone once; later calls get the same stream. A stream that arrives after
   * `close()` (the user left while the browser's permission prompt was open) is stopped at once and
   * the opening fails: nothing stays live.
   */
  open(kind: CallKind): Promise<MediaStream> {
    const generation = this.generation;
    this.opening ??= this.source.getUserMedia(kind).then(
      (stream) => {
        if (generation !== this.generation) {
          stopTracks(stream);
          throw new Error('the call was left while the camera or microphone was opening');
        }
        return (this.userStream = stream);
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  /** Switches the original's tracks (this device's own tile); legs switch their clones themselves. */
  applyMute(audioMuted: boolean, videoMuted: boolean): void {
    if (!this.userStream) return;
    setTracksEnabled(this.userStream, 'audio', !audioMuted);
    setTracksEnabled(this.userStream, 'video', !videoMuted);
  }

  /** Opens the screen to share; `onEnded` runs when the browser's own "stop sharing" ends it. */
  async startScreen(onEnded: () => void): Promise<MediaStream> {
    if (this.screenStream) return this.screenStream;
    const screen = await this.source.getDisplayMedia();
    this.screenStream = screen;
    for (const track of screen.getTracks()) {
      track.addEventListener('ended', () => {
        if (this.screenStream === screen) onEnded();
      });
    }
    return screen;
  }

  stopScreen(): void {
    stopTracks(this.screenStream);
    this.screenStream = undefined;
  }

  /** What each leg uses as its media: clones of the shared streams. */
  legSource(): LocalMediaSource {
    return {
      getUserMedia: async () => {
        if (!this.userStream) throw new Error('the group call has no local media open');
        return this.userStream.clone();
      },
      getDisplayMedia: async () => {
        if (!this.screenStream) throw new Error('no screen is being shared');
        return this.screenStream.clone();
      },
    };
  }

  /** Stops everything opened (the legs stop their own clones). */
  close(): void {
    this.generation++;
    stopTracks(this.userStream);
    this.stopScreen();
    this.userStream = undefined;
    this.opening = undefined;
  }
}
