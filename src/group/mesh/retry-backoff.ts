/**
 * Retries of failed legs: 1 s, 2 s, 4 s ... up to a cap, per device, reset once a leg connects.
 *
 * Owns: the backoff arithmetic and one timer per device waiting for its retry. Never: places calls
 * (it calls back when a retry is due) or decides whether a failure deserves a retry.
 */
import type { CallClock } from '../../call/peer-call-contract.js';

export interface BackoffTimings {
  /** The wait after the first failure. */
  readonly firstMs: number;
  /** The longest wait. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffTimings = Object.freeze({ firstMs: 1_000, maxMs: 30_000 });

/** The wait before retry number `attempt` (0 for the first retry): firstMs * 2^attempt, capped. */
export function backoffDelay(attempt: number, timings: BackoffTimings = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  return Math.min(timings.maxMs, timings.firstMs * 2 ** exponent);
}

export class RetrySchedule {
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Map<string, unknown>();

  constructor(
    private readonly clock: CallClock,
    private readonly onDue: (key: string) => void,
    private readonly timings: BackoffTimings = DEFAULT_BACKOFF,
  ) {}

  /** A leg to `key` failed: schedules its retry and returns the wait in ms. */
  failed(key: string): number {
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    const wait = backoffDelay(attempt, this.timings);
    this.clock.clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        this.onDue(key);
      }, wait),
    );
    return wait;
  }

  /** A leg to `key` connected: the next failure starts from the first wait again. */
  succeeded(key: string): void {
    this.attempts.delete(key);
  }

  /** True while a retry for `key` is scheduled and not yet due. */
  isWaiting(key: string): boolean {
    return this.timers.has(key);
  }

  /** Retries made so far since the last success. */
  attemptsOf(key: string): number {
    return this.attempts.get(key) ?? 0;
  }

  /** Forgets a device (it left the call). */
  forget(key: string): void {
    this.clock.clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.attempts.delete(key);
  }

  clear(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
    this.attempts.clear();
  }
}
