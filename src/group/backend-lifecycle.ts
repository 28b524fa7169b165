/**
 * BackendLifecycle: the part of a group call backend's lifecycle that the mesh and the LiveKit backend
 * share, composed into each: the call's state, the join attempt (a join that was left, disposed or
 * overtaken by a newer one while it awaited stops), start-once, the error the user should see, and the
 * frozen view with the `change` event that follows every transition.
 *
 * Owns: those fields and the rule that a disposed backend publishes nothing more. Never: decides a
 * transition (the backend calls setState), builds a view itself (the backend's builder does), or touches
 * media, memberships or connections.
 */
import type { GroupCallState, GroupCallView, KitError } from '../snapshot.js';

/** A join in progress: `live` until it was left, disposed, or overtaken by another join. */
export interface JoinAttempt {
  /** Still this join's turn: not left, not disposed, no newer attempt, and the state still 'joining'. */
  readonly live: () => boolean;
  /** Whether no newer attempt (or leave, or dispose) came since: undoing its work is still this join's. */
  readonly current: () => boolean;
  /** Throws LeftWhileJoining unless `live()`: for joins written as one try block. */
  readonly check: () => void;
}

/** Thrown by JoinAttempt.check(): the join was left, disposed or overtaken while it awaited. */
export class LeftWhileJoining extends Error {
  override readonly name = 'LeftWhileJoining';
}

export class BackendLifecycle {
  /** The user should know about this while in the call (cleared on a new join). */
  error: KitError | undefined;
  private stateValue: GroupCallState = 'idle';
  private attempts = 0;
  private disposedValue = false;
  private started: Promise<void> | undefined;
  private current: GroupCallView | undefined;

  /** `events`: where `change` is dispatched (the backend); `build`: the backend's view of itself now. */
  constructor(
    private readonly events: EventTarget,
    private readonly build: () => GroupCallView,
  ) {}

  get state(): GroupCallState {
    return this.stateValue;
  }

  /** Joined or joining. */
  get inCall(): boolean {
    return this.stateValue === 'joined' || this.stateValue === 'joining';
  }

  get disposed(): boolean {
    return this.disposedValue;
  }

  /** Whether start() has been called (the memberships are read, or being read). */
  get hasStarted(): boolean {
    return this.started !== undefined;
  }

  /** The frozen view published last (built on first read). */
  get view(): GroupCallView {
    return (this.current ??= this.build());
  }

  /** Runs `run` the first time only; every call gets the same promise. */
  startOnce(run: () => Promise<void>): Promise<void> {
    this.started ??= run();
    return this.started;
  }

  /**
   * A new join: throws when disposed, answers undefined when not idle (a join or leave is under way, or
   * the call is joined: nothing to do), else runs `prepare` (the backend sets what the 'joining' view
   * shows), clears the error, moves to 'joining' and returns the attempt.
   */
  beginJoin(prepare: () => void): JoinAttempt | undefined {
    if (this.disposedValue) throw new Error('the group call was disposed');
    if (this.stateValue !== 'idle') return undefined;
    const attempt = ++this.attempts;
    prepare();
    const current = () => this.attempts === attempt && !this.disposedValue;
    const live = () => current() && this.stateValue === 'joining';
    this.error = undefined;
    this.setState('joining');
    return {
      live,
      current,
      check: () => {
        if (!live()) throw new LeftWhileJoining();
      },
    };
  }

  /** A leave starts: answers false when there is nothing to leave; else ends the attempt and moves to 'leaving'. */
  beginLeave(): boolean {
    if (this.stateValue === 'idle' || this.stateValue === 'leaving') return false;
    this.attempts++;
    this.setState('leaving');
    return true;
  }

  /** Marks the backend disposed (answers false when it already was): nothing is published after this. */
  dispose(): boolean {
    if (this.disposedValue) return false;
    this.disposedValue = true;
    this.attempts++;
    return true;
  }

  setState(state: GroupCallState): void {
    this.stateValue = state;
    this.refresh();
  }

  /** Rebuilds the view and tells listeners; nothing once disposed. */
  refresh(): void {
    if (this.disposedValue) return;
    this.current = this.build();
    this.events.dispatchEvent(new Event('change'));
  }
}
