/**
 * CallMembership: one device's membership in a MatrixRTC call, whatever format it arrived in.
 *
 * Owns: the format-neutral shape every membership parser produces, and small pure questions about it
 * (is it live, is it the room's call, which device). Never: parses raw JSON (the format modules do),
 * reads clocks (callers pass `now`), or talks to Matrix.
 */

/** Which wire format a membership was read from. */
export type MembershipFormat =
  /** `org.matrix.msc3401.call.member`, one state event per device (Element Call, matrix-js-sdk). */
  | 'element'
  /** `org.matrix.msc3401.call.member` with a `memberships[]` array (older matrix-js-sdk). Read only. */
  | 'element-legacy'
  /** `com.famedly.call.member` with a `memberships[]` array (famedly's SDK). */
  | 'famedly';

/** How the device's media travels. */
export type MembershipBackend =
  | { readonly type: 'mesh' }
  | {
      readonly type: 'livekit';
      /** Absent when the membership names no LiveKit service (only a focus selection). */
      readonly serviceUrl?: string;
      readonly alias?: string;
      /** What this device writes in focus_active (default oldest_membership). */
      readonly focusSelection?: 'oldest_membership' | 'multi_sfu';
    }
  | { readonly type: 'other'; readonly name: string };

export interface CallMembership {
  readonly format: MembershipFormat;
  /** The state event it came from. */
  readonly eventType: string;
  readonly stateKey: string;
  readonly eventId: string;

  readonly userId: string;
  readonly deviceId: string;
  readonly application: string;
  /** '' (Element Call) or the room id (famedly) for the room's own call. */
  readonly callId: string;
  readonly scope: string;

  /**
   * The `membershipID` field as written, or matrix-js-sdk's default `${userId}:${deviceId}` when
   * absent. Element Call uses it as the device's LiveKit participant identity.
   */
  readonly membershipId: string;
  /**
   * Identifies this particular joining of the device (changes on every fresh join, e.g. after a
   * reload). Mesh legs use it as their session id: famedly's `membershipID`; for Element's format
   * the membership's creation time as a string (what older matrix-js-sdk returned as membershipID).
   */
  readonly sessionId: string;

  /** created_ts, else the event's origin_server_ts (the first join of this session). */
  readonly createdTs: number;
  /** When it stops counting, in ms since the epoch. */
  readonly expiresAt: number;

  readonly backend: MembershipBackend;
  /** Element's `focus_active`, unparsed (the LiveKit focus choice reads it). */
  readonly focusActive?: unknown;
  /** Element's `foci_preferred`, or `[backend]` for famedly, unparsed. */
  readonly fociPreferred: readonly unknown[];
  /** MSC4196 `m.call.intent` ('audio', 'video', ...), if given. */
  readonly callIntent?: string;
  /**
   * Written by the walkie-talkie's listen-only join (`org.matrix.msc4002.listen_only: true`): the
   * device listens to the walkie-talkie but is not in the call. False when the marker is absent.
   */
  readonly listenOnly: boolean;
}

export function isLiveAt(membership: CallMembership, now: number): boolean {
  return membership.expiresAt > now;
}

/**
 * Whether the membership puts its device in the call for others to see (the call is `ongoing`, the
 * room was already rung): every membership except a walkie-talkie's listen-only join.
 */
export function countsAsInCall(membership: CallMembership): boolean {
  return !membership.listenOnly;
}

/**
 * Whether the membership belongs to the room's one call: application m.call, room scope, and the
 * call id either '' (Element Call) or the room id (famedly), which both mean "the room's call".
 */
export function isRoomCall(membership: CallMembership, roomId: string): boolean {
  return (
    membership.application === 'm.call' &&
    membership.scope === 'm.room' &&
    (membership.callId === '' || membership.callId === roomId)
  );
}

/** A stable key for one device in a call. */
export function deviceKeyOf(member: { readonly userId: string; readonly deviceId: string }): string {
  return `${member.userId}|${member.deviceId}`;
}

/** Oldest first; ties by user, then device, so every client orders the same way. */
export function compareByAge(a: CallMembership, b: CallMembership): number {
  return (
    a.createdTs - b.createdTs ||
    (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0) ||
    (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0)
  );
}
