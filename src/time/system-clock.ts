/**
 * The one real clock of the core, and the clamp on every timer delay. Browsers keep a timer's delay
 * in a signed 32-bit integer: a delay past 2^31-1 ms (about 24.8 days), and NaN, fire at once. Delays
 * come from what others write (a membership's `expires`, an opt-in's `expires_ts`, an invite's
 * `lifetime`), so an unclamped delay lets any member turn a far-future time into a busy loop or an
 * instant timeout. Here a delay is clamped into [0, 2^31-1] (NaN and negative to 0, past the bound and
 * Infinity to the bound); a timer that fires "early" at the bound only re-checks, since every user of a
 * clock compares against `now()` when it fires.
 *
 * Owns: the clamp and the system clock every module's default clock is. Never: keeps timers itself.
 */

/** The longest delay a browser timer keeps: 2^31-1 ms. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** `ms` clamped into [0, MAX_TIMER_DELAY_MS]; NaN is 0, Infinity is the bound. */
export function clampDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}

/** setTimeout with the delay clamped. */
export function setClampedTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, clampDelay(ms));
}

/** What the core's timed parts need of a clock (each module names it after itself). */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number) => setClampedTimeout(callback, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
