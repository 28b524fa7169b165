/**
 * Why a call ended, as one list each: the reasons that travel in m.call.hangup, and every reason a
 * call view can carry (those plus the kit's local ends, which send nothing). The types derive from the
 * lists, so a reason added here is known to the parser, the wire mapping and the elements' words.
 *
 * Owns: the two lists and the question "is this a wire reason". Never: says anything about a call.
 */

/**
 * The spec's hangup reasons, plus 'replaced': matrix-js-sdk sends it for a call it abandons in glare,
 * and so does the kit, so that the other side stops ringing that call. Unknown reasons from the wire
 * are read as 'unknown_error'.
 */
export const WIRE_HANGUP_REASONS = [
  'ice_failed',
  'invite_timeout',
  'user_hangup',
  'user_media_failed',
  'user_busy',
  'unknown_error',
  'ice_timeout',
  'replaced',
] as const;

export type WireHangupReason = (typeof WIRE_HANGUP_REASONS)[number];

/** Every reason a call view can carry: the wire's, then the kit's local ends (they send nothing). */
export const HANGUP_REASONS = [
  ...WIRE_HANGUP_REASONS,
  'rejected',
  'answered_elsewhere',
  'rejected_elsewhere',
  'dismissed',
  'peer_left',
  'signalling_failed',
] as const;

export type HangupReason = (typeof HANGUP_REASONS)[number];

const WIRE: ReadonlySet<string> = new Set(WIRE_HANGUP_REASONS);

export function isWireHangupReason(reason: unknown): reason is WireHangupReason {
  return typeof reason === 'string' && WIRE.has(reason);
}
