/**
 * Element Call's membership format (matrix-js-sdk "session" memberships): one
 * `org.matrix.msc3401.call.member` state event per device, state key `_@user:server_DEVICE_m.call`,
 * content `{ application, call_id, scope, device_id, membershipID, expires, created_ts?,
 * focus_active, foci_preferred, m.call.intent?, org.matrix.msc4002.listen_only? }`; the content `{}`
 * means the device left. The last is the kit's walkie-talkie marker (event-types.ts, LISTEN_ONLY_FIELD).
 *
 * Expiry is matrix-js-sdk's: (created_ts, else origin_server_ts) + expires (4 h when absent). A
 * refresh keeps created_ts from the first join and grows `expires`.
 *
 * Owns: parsing one such event's content (never throwing) and building the content and state key.
 * Never: reads the `memberships[]` legacy form (element-legacy.ts) or decides when to write.
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { backendFromElementFoci, focusObjectOf } from './backend.js';
import type { CallMembership, MembershipBackend } from './call-membership.js';
import {
  CALL_APPLICATION,
  ELEMENT_DEFAULT_EXPIRES_MS,
  ELEMENT_MEMBER_EVENT,
  LISTEN_ONLY_FIELD,
  ROOM_SCOPE,
} from './event-types.js';
import {
  accept,
  isNonEmptyString,
  isPositiveMs,
  isRecord,
  listenOnlyOf,
  reject,
  type Parsed,
} from './parsed.js';
import { elementStateKeyMatches } from './state-keys.js';

// The state keys live in their own module, so the needs can name them without loading the parsers.
export { elementStateKey, elementStateKeyMatches, type ElementStateKeyOptions } from './state-keys.js';

function parseFociPreferred(value: unknown): Parsed<readonly unknown[]> {
  if (value === undefined) return accept([]);
  if (!Array.isArray(value)) return reject('foci_preferred must be an array');
  if (value.length > 32) return reject('foci_preferred has too many entries');
  if (!value.every((f) => isRecord(f) && typeof f['type'] === 'string')) {
    return reject('foci_preferred must hold objects with a string type');
  }
  return accept(value);
}

/**
 * Parses the content of a per-device membership event. The caller has checked that the content is
 * not `{}` (left) and holds no `memberships` array (legacy).
 */
export function parseElementMembership(event: RawRoomEvent): Parsed<CallMembership> {
  const content = event.content;
  if (!isRecord(content)) return reject('content must be an object');
  const deviceId = content['device_id'];
  const callId = content['call_id'];
  const application = content['application'];
  const scope = content['scope'] ?? ROOM_SCOPE;
  if (!isNonEmptyString(deviceId)) return reject('device_id must be a non-empty string');
  if (typeof callId !== 'string' || callId.length > 255) return reject('call_id must be a string');
  if (!isNonEmptyString(application)) return reject('application must be a non-empty string');
  if (!isNonEmptyString(scope)) return reject('scope must be a non-empty string');

  const focusActive = content['focus_active'];
  if (!isRecord(focusActive) || typeof focusActive['type'] !== 'string') {
    return reject('focus_active must be an object with a string type');
  }
  const foci = parseFociPreferred(content['foci_preferred']);
  if (!foci.ok) return foci;

  const createdField = content['created_ts'];
  if (createdField !== undefined && !isPositiveMs(createdField))
    return reject('created_ts must be a timestamp');
  const expires = content['expires'];
  if (expires !== undefined && !isPositiveMs(expires)) return reject('expires must be a positive duration');
  const membershipField = content['membershipID'];
  if (membershipField !== undefined && !isNonEmptyString(membershipField)) {
    return reject('membershipID must be a non-empty string');
  }
  const intent = content['m.call.intent'];
  if (intent !== undefined && !isNonEmptyString(intent, 64)) return reject('m.call.intent must be a string');

  if (!elementStateKeyMatches(event.state_key ?? '', event.sender, deviceId, application, callId)) {
    return reject(
      `state key ${JSON.stringify(event.state_key)} does not name ${event.sender} and ${deviceId}`,
    );
  }

  const createdTs = createdField ?? event.origin_server_ts;
  return accept({
    format: 'element',
    eventType: ELEMENT_MEMBER_EVENT,
    stateKey: event.state_key ?? '',
    eventId: event.event_id,
    userId: event.sender,
    deviceId,
    application,
    callId,
    scope,
    membershipId: membershipField ?? `${event.sender}:${deviceId}`,
    sessionId: String(createdTs),
    createdTs,
    expiresAt: createdTs + (expires ?? ELEMENT_DEFAULT_EXPIRES_MS),
    backend: backendFromElementFoci(focusActive, foci.value),
    focusActive,
    fociPreferred: foci.value,
    ...(intent !== undefined ? { callIntent: intent } : {}),
    listenOnly: listenOnlyOf(content),
  });
}

export interface ElementMembershipInput {
  readonly userId: string;
  readonly deviceId: string;
  readonly backend: MembershipBackend;
  /** ms after createdTs (or, on the first write, after the event's own origin_server_ts). */
  readonly expires: number;
  /** The first join's creation time; omit on the first write (the server's timestamp is used). */
  readonly createdTs?: number;
  readonly application?: string;
  readonly callId?: string;
  readonly callIntent?: string;
  /** For a LiveKit backend: `multi_sfu` when the device publishes to its own focus. */
  readonly focusSelection?: 'oldest_membership' | 'multi_sfu';
  /** The walkie-talkie's listen-only join: writes the marker. */
  readonly listenOnly?: boolean;
}

/**
 * The content matrix-js-sdk's MembershipManager writes: membershipID `${userId}:${deviceId}` (the
 * LiveKit participant identity Element Call expects), focus_active with oldest_membership selection
 * and the device's own focus as the preferred one. A mesh backend is written as a focus of type
 * `mesh`, which matrix-js-sdk accepts and Element Call, having no mesh, does not connect to.
 */
export function buildElementMembership(input: ElementMembershipInput): Record<string, unknown> {
  const focus = focusObjectOf(input.backend);
  return {
    application: input.application ?? CALL_APPLICATION,
    call_id: input.callId ?? '',
    scope: ROOM_SCOPE,
    device_id: input.deviceId,
    membershipID: `${input.userId}:${input.deviceId}`,
    expires: input.expires,
    ...(input.createdTs !== undefined ? { created_ts: input.createdTs } : {}),
    focus_active: { type: focus['type'], focus_selection: input.focusSelection ?? 'oldest_membership' },
    foci_preferred: [focus],
    ...(input.callIntent !== undefined ? { 'm.call.intent': input.callIntent } : {}),
    ...(input.listenOnly ? { [LISTEN_ONLY_FIELD]: true } : {}),
  };
}

/** What a device writes to leave: an empty content. */
export function buildElementLeave(): Record<string, never> {
  return {};
}
