/**
 * How long memberships live and how often the kit renews them. The reasons are in docs/membership.md.
 *
 * Owns: the default timings. Never: runs timers.
 */
export interface MembershipTimings {
  /**
   * The lifetime written into the membership while a delayed leave event guards it. Long, as
   * Element Call writes it (matrix-js-sdk DEFAULT_EXPIRE_DURATION): the delayed leave does the
   * clean-up, expiry only covers a server that lost its delayed events.
   */
  readonly expiryWithDelayedLeaveMs: number;
  /** The lifetime without a delayed leave event: then expiry is the only clean-up of a vanished device. */
  readonly expiryWithoutDelayedLeaveMs: number;
  /** The membership is rewritten this long before it would expire. */
  readonly refreshHeadroomMs: number;
  /** The delay of the delayed leave event: how long a vanished device stays in the call. */
  readonly delayedLeaveMs: number;
  /** How often the delayed leave event is restarted while the device is alive. */
  readonly keepAliveMs: number;
  /** Wait before retrying a failed refresh. */
  readonly retryMs: number;
}

export const DEFAULT_MEMBERSHIP_TIMINGS: MembershipTimings = Object.freeze({
  expiryWithDelayedLeaveMs: 4 * 60 * 60 * 1000,
  expiryWithoutDelayedLeaveMs: 5 * 60 * 1000,
  refreshHeadroomMs: 60 * 1000,
  delayedLeaveMs: 8_000,
  keepAliveMs: 5_000,
  retryMs: 3_000,
});
