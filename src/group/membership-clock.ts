/**
 * The time source the membership code runs on: real timers by default, a fake clock in tests.
 *
 * Owns: the MembershipClock shape and the real clock. Never: keeps time of its own.
 */
import { systemClock } from '../time/system-clock.js';

export interface MembershipClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The system clock, every delay clamped (an `expires` far ahead must not fire at once). */
export const realClock: MembershipClock = systemClock;
