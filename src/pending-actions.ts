/**
 * Actions that must not run twice at once: answering a call, hanging it up, joining or leaving the
 * group call. While one runs, the same action on the same call answers with the running one's promise
 * (a double click does nothing twice), and the snapshot lists it as pending so elements can disable
 * its button (as livekit components-js exposes `pending`).
 *
 * Owns: the list of running guarded actions. Never: runs an action itself other than the one it is
 * given, or keeps one after it settled (failed ones included).
 */
import type { GuardedAction, PendingAction } from './snapshot.js';

export class PendingActions {
  private readonly running = new Map<string, Promise<void>>();
  private list: readonly PendingAction[] = Object.freeze([]);

  /** @param changed called when the list changes (the controller publishes a new snapshot). */
  constructor(private readonly changed: () => void) {}

  get pending(): readonly PendingAction[] {
    return this.list;
  }

  /**
   * Runs `work` unless the same action on the same call runs already (then returns that one). The work
   * starts before the list changes, so whatever it asks of the browser first is not held up by the
   * view's redraw; it settles at the earliest a turn later, after it is listed.
   */
  run(action: GuardedAction, callId: string, work: () => Promise<void>): Promise<void> {
    const key = `${action}\u0000${callId}`;
    const running = this.running.get(key);
    if (running) return running;
    const done = (async () => {
      try {
        await work();
      } finally {
        this.running.delete(key);
        this.list = Object.freeze(this.list.filter((p) => p.action !== action || p.callId !== callId));
        this.changed();
      }
    })();
    this.running.set(key, done);
    this.list = Object.freeze([...this.list, Object.freeze({ action, callId })]);
    this.changed();
    return done;
  }
}
