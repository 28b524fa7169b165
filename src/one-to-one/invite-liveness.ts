/**
 * Whether an incoming invite may still ring: its age when the kit received it (unsigned.age) plus the
 * time since, against the lifetime the caller gave it.
 *
 * Owns: that arithmetic. Never: reads clocks itself (the caller passes `now`) or rings anything.
 */
import type { CallInvite, ReceivedCallEvent } from '../signalling/voip/types.js';

/** Milliseconds since the invite was sent, as well as this side can know it. */
export function ageNow(received: ReceivedCallEvent, now: number): number {
  return (received.ageOnReceipt ?? 0) + Math.max(0, now - received.receivedAt);
}

/** Milliseconds the invite may still ring (0 when it has run out). */
export function remainingLifetime(
  received: ReceivedCallEvent & { readonly event: CallInvite },
  now: number,
): number {
  return Math.max(0, received.event.lifetime - ageNow(received, now));
}

/**
 * Liveness needs some time left to be worth ringing: an invite with under `minimumMs` left would
 * ring and stop at once.
 */
export function isAlive(
  received: ReceivedCallEvent & { readonly event: CallInvite },
  now: number,
  minimumMs = 1_000,
): boolean {
  return remainingLifetime(received, now) >= minimumMs;
}
