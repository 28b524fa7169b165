/**
 * The total order on floor claims that every device applies the same way: within a turn, the least
 * (ts, user id, device id) wins; a higher turn beats any lower one.
 *
 * Owns: claim identity (a string key) and the comparison. Never: state, clocks, or I/O.
 */
import type { ClaimId, FloorClaim } from '../signalling/ptt/floor-events.js';

/** A string that names one claim; equal keys are the same claim. */
export function claimKey(id: ClaimId): string {
  return `${id.turn}\u0000${id.userId}\u0000${id.deviceId}`;
}

/** Code-point order (not locale order), so every device compares strings alike. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` beats `b` for the floor within one turn. */
export function compareWithinTurn(a: FloorClaim, b: FloorClaim): number {
  return a.ts - b.ts || compareStrings(a.userId, b.userId) || compareStrings(a.deviceId, b.deviceId);
}

/** Negative when `a` beats `b` overall: the higher turn first, then the order within a turn. */
export function compareClaims(a: FloorClaim, b: FloorClaim): number {
  return b.turn - a.turn || compareWithinTurn(a, b);
}

export function sameDevice(
  a: { userId: string; deviceId: string },
  b: { userId: string; deviceId: string },
): boolean {
  return a.userId === b.userId && a.deviceId === b.deviceId;
}
