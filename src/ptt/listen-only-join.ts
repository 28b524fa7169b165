/**
 * ListenOnlyJoin: keeps this device's listen-only join of the room's group call in step with the
 * walkie-talkie opt-in, on the mesh or the SFU alike: opted in, this device is in the room's call
 * (listen-only when the user has not joined it with media); opted out, a listen-only join is left. A
 * join with media takes its place while it runs. The backend marks a listen-only membership
 * (`org.matrix.msc4002.listen_only`), so listening devices do not make the call ongoing for others.
 *
 * Owns: that join and leave, and remembering a failed join until the next opt-in. Never: joins with
 * media, leaves a join the user made, chooses the backend, or throws (failures are logged).
 */
import type { GroupCallBackend } from '../group/group-call-backend.js';

export interface ListenOnlyJoinOptions {
  /** The room's group call backend now (it may be re-chosen, or a stand-in whose code loads later). */
  readonly backend: () => GroupCallBackend | undefined;
  readonly log: (message: string) => void;
}

export class ListenOnlyJoin {
  /** A join with media is under way: the listen-only join waits. */
  private held = false;
  /** The listen-only join failed: not retried until the next opt-in. */
  private failed = false;

  constructor(private readonly options: ListenOnlyJoinOptions) {}

  /** A fresh opt-in: a join that failed before is tried again. */
  retry(): void {
    this.failed = false;
  }

  /** Joins listen-only (opted in, not in the call) or leaves that join (opted out). Idempotent. */
  async sync(optedIn: boolean): Promise<void> {
    // Only a backend with a fast path (its code loaded, for a lazy one) has a listen-only join.
    const call = this.options.backend();
    const live = call?.liveAudio;
    if (!call || !live || this.held) return;
    if (optedIn) {
      if (live.kind === 'mesh') live.enableFloorChannels();
      if (call.view.state !== 'idle' || this.failed) return;
      try {
        await call.join('voice', { listenOnly: true });
      } catch (error) {
        this.failed = true;
        this.options.log(`the walkie-talkie could not join the room's call: ${String(error)}`);
      }
    } else if (call.view.listenOnly) {
      try {
        await call.leave();
      } catch (error) {
        this.options.log(`the walkie-talkie could not leave the room's call: ${String(error)}`);
      }
    }
  }

  /** Runs a join of the group call with media: a listen-only join gives way to it first. */
  async whileJoiningWithMedia(join: () => Promise<void>): Promise<void> {
    this.held = true;
    try {
      const call = this.options.backend();
      if (call?.liveAudio && call.view.listenOnly) await call.leave();
      await join();
    } finally {
      this.held = false;
    }
  }
}
