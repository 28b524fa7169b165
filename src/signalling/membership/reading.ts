/**
 * What one membership state event says: the memberships it holds (possibly none: the device or user
 * left) and the entries that were skipped, with reasons.
 *
 * Owns: the MembershipStateReading shape. Never: holds behaviour.
 */
import type { CallMembership } from './call-membership.js';

export interface MembershipStateReading {
  readonly eventType: string;
  readonly stateKey: string;
  readonly sender: string;
  /** Empty when the event means "left" (`{}` or an empty `memberships[]`). */
  readonly memberships: readonly CallMembership[];
  /** Entries of a `memberships[]` array that were malformed, each with its reason. */
  readonly skipped: readonly string[];
}
