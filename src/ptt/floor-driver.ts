/**
 * FloorDriver: runs a FloorControl on real time for the wiring. It ticks the arbiter when it next needs
 * it, hands every outgoing message to `send`, and reports each change of the snapshot.
 *
 * Owns: the one timer of a floor and change detection. Never: knows the paths' transports, opt-ins, audio
 * or the DOM; the caller plugs in `send` (fast path and room events) and feeds `receive`.
 */
import type { FloorMessage } from '../signalling/ptt/floor-events.js';
import type { FloorControl, FloorPath, FloorSnapshot, Outgoing } from './floor-control.js';
import { setClampedTimeout } from '../time/system-clock.js';

export interface FloorDriverOptions {
  readonly floor: FloorControl;
  readonly send: (out: Outgoing) => void;
  readonly onChange: (snapshot: FloorSnapshot) => void;
  /** Current time for computing the delay; the floor's own clock by default is Date.now. */
  readonly now?: () => number;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/** The parts of a snapshot that a view shows; ticks that change nothing report nothing. */
function signature(s: FloorSnapshot): string {
  return [s.floor, s.talker?.userId, s.talker?.deviceId, s.floorEndsAt, s.turn, s.pressed].join('|');
}

export class FloorDriver {
  private timer: unknown;
  private last = '';
  private closed = false;
  private readonly now: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: FloorDriverOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((callback, ms) => setClampedTimeout(callback, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.settle([]);
  }

  press(): void {
    this.settle(this.options.floor.press());
  }

  release(): void {
    this.settle(this.options.floor.release());
  }

  setEnabled(enabled: boolean): void {
    this.settle(this.options.floor.setEnabled(enabled));
  }

  receive(message: FloorMessage, path: FloorPath, heardAt?: number): void {
    this.settle(this.options.floor.receive(message, path, heardAt));
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }

  private settle(outs: readonly Outgoing[]): void {
    if (this.closed) return;
    for (const out of outs) this.options.send(out);
    const snapshot = this.options.floor.snapshot;
    const sig = signature(snapshot);
    if (sig !== this.last) {
      this.last = sig;
      this.options.onChange(snapshot);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    const at = this.options.floor.nextDeadline();
    if (at === undefined) return;
    this.timer = this.setTimer(
      () => {
        this.timer = undefined;
        this.settle(this.options.floor.tick());
      },
      Math.max(0, at - this.now()),
    );
  }
}
