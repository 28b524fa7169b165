/**
 * The time source the membership code runs on: real timers by default, a fake clock in tests.
 *
 * Owns: the MembershipClock shape and the real clock. Never: keeps time of its own.
 */
export interface MembershipClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: MembershipClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
