/**
 * Signs that the room has a group call, read from raw events before the group call's code has loaded:
 * the controller loads that code (GroupCallSession, the mesh and, through its stand-in, the SFU) on the
 * first sign, or when the user first uses a group feature, so a page that only ever makes 1:1 calls
 * never fetches it.
 *
 * A sign is a membership state event (either format) whose content names a membership, or a call
 * notification. It only decides *when to load*: it may be wrong both ways without harm (a stale or
 * malformed membership loads the code early; the session, once loaded, reads and judges everything
 * itself through the real parsers).
 *
 * Owns: that rule, as pure functions. Never: parses a membership, decides whether a call is ongoing,
 * or rings.
 */
import { MEMBER_EVENT_TYPES } from '../signalling/membership/event-types.js';
import { LEGACY_CALL_NOTIFY_EVENT, RTC_NOTIFICATION_EVENT } from '../signalling/ringing/event-types.js';
import type { RawRoomEvent } from '../transport/transport.js';

const MEMBERSHIP_TYPES: ReadonlySet<string> = new Set(MEMBER_EVENT_TYPES);

/** Whether the event is a membership state event of either format (signs or not). */
export function isGroupMembershipEvent(event: RawRoomEvent): boolean {
  return MEMBERSHIP_TYPES.has(event.type) && event.state_key !== undefined;
}

/**
 * Whether a membership state event names a membership: Element's per-device content is `{}` once the
 * device left; the `memberships[]` forms (famedly's, Element's legacy one) are empty once all left.
 */
function namesMembership(content: unknown): boolean {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) return false;
  const memberships = (content as { memberships?: unknown }).memberships;
  if (memberships !== undefined) return Array.isArray(memberships) && memberships.length > 0;
  return Object.keys(content).length > 0;
}

/** Whether this room event is a sign of a group call (see the header). */
export function isGroupCallSign(event: RawRoomEvent): boolean {
  if (event.type === RTC_NOTIFICATION_EVENT || event.type === LEGACY_CALL_NOTIFY_EVENT) return true;
  return isGroupMembershipEvent(event) && namesMembership(event.content);
}
