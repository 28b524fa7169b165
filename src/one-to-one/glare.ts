/**
 * Glare: both people call each other at once. The spec's two cases:
 * - our call to them is still preparing (no invite sent yet): their invite replaces ours, and we answer it;
 * - both invites were sent: the call with the lexicographically lesser call_id wins on both sides; the
 *   side whose call lost ends it ('replaced', with m.call.hangup reason 'replaced' since its invite went
 *   out) and answers the winner, the other ignores the loser.
 *
 * Owns: that decision. Never: ends or answers calls (the controller does).
 */
import type { CallState } from '../snapshot.js';

export type GlareOutcome =
  /** Not glare: treat the invite as any other incoming call. */
  | 'none'
  /** End our outgoing call with 'replaced' and answer theirs. */
  | 'answer-incoming'
  /** Ours wins: ignore their invite (they will answer ours). */
  | 'ignore-incoming';

export function resolveGlare(
  outgoing: { readonly callId: string; readonly state: CallState },
  incomingCallId: string,
): GlareOutcome {
  if (outgoing.state === 'preparing') return 'answer-incoming';
  if (outgoing.state !== 'inviting') return 'none';
  if (incomingCallId === outgoing.callId) return 'none';
  return incomingCallId < outgoing.callId ? 'answer-incoming' : 'ignore-incoming';
}
