/**
 * How many incoming 1:1 invites may ring at once. Each ringing call holds its invite (an SDP of up to
 * CALL_EVENT_LIMITS.sdpChars, 200 KB, checked by the parser) and a peer connection with the offer
 * applied; only the room's one other member can ring here, but nothing else stops them from sending
 * hundreds of invites, each ringing for its whole lifetime.
 *
 * Owns: the bound and the decision for one more invite. Never: rings, ends or reads calls itself.
 */
import type { CallView } from '../snapshot.js';

/**
 * Incoming invites ringing at once, at most: a real caller has one (two or three across a glare or a
 * quick call back). So held invites stay under 3 x 200 KB of SDP and 3 peer connections.
 */
export const MAX_RINGING_INVITES = 3;

/** Why another incoming invite may not ring now, or undefined when it may. */
export function ringingLimitReason(live: readonly CallView[]): string | undefined {
  const ringing = live.filter((c) => c.direction === 'incoming' && c.state === 'ringing').length;
  return ringing >= MAX_RINGING_INVITES
    ? `${ringing} invites ring already (at most ${MAX_RINGING_INVITES}): this one is ignored`
    : undefined;
}
