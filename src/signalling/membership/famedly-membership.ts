/**
 * famedly's membership format: `com.famedly.call.member`, one state event per user (state key = the
 * user id; `${userId}_${deviceId}` in MSC3757 rooms, `${deviceId}_${userId}` with famedly's
 * unprotected per-device keys) holding `memberships[]`, one entry per device:
 * `{ application, call_id, scope, device_id, expires_ts, membershipID, backend | foci_active[] }`,
 * plus the kit's walkie-talkie marker `org.matrix.msc4002.listen_only: true` on a listen-only join.
 *
 * famedly's README documents `backend: { type: mesh | livekit, ... }`; its current code writes and
 * requires `foci_active: [backend]`. The kit reads either and writes both. It also writes
 * `created_ts` (famedly ignores unknown keys) so its join time survives the two-minute refreshes.
 * Expiry is `expires_ts`; a device leaves by removing its entry, keeping the user's other devices.
 *
 * Owns: parsing entries (never throwing), building an entry, and the whole content with the user's
 * other devices kept. Never: decides when to write.
 */
import { toBase64 } from '../../encoding/base64.js';
import type { RawRoomEvent } from '../../transport/transport.js';
import { backendFromFocus, focusObjectOf } from './backend.js';
import type { CallMembership, MembershipBackend } from './call-membership.js';
import { MAX_MEMBERSHIP_ENTRIES } from './element-legacy.js';
import { CALL_APPLICATION, FAMEDLY_MEMBER_EVENT, LISTEN_ONLY_FIELD, ROOM_SCOPE } from './event-types.js';
import {
  accept,
  isNonEmptyString,
  isPositiveMs,
  isRecord,
  listenOnlyOf,
  reject,
  type Parsed,
} from './parsed.js';

// The state key lives in its own module, so the needs can name it without loading the parsers.
export { famedlyStateKey, type FamedlyStateKeyOptions } from './state-keys.js';

function stateKeyAllows(stateKey: string, sender: string, deviceId: string): boolean {
  return stateKey === sender || stateKey === `${sender}_${deviceId}` || stateKey === `${deviceId}_${sender}`;
}

export function parseFamedlyEntry(entry: unknown, event: RawRoomEvent): Parsed<CallMembership> {
  if (!isRecord(entry)) return reject('a membership must be an object');
  const deviceId = entry['device_id'];
  const callId = entry['call_id'];
  const application = entry['application'] ?? CALL_APPLICATION;
  const scope = entry['scope'] ?? ROOM_SCOPE;
  const expiresTs = entry['expires_ts'];
  if (!isNonEmptyString(deviceId)) return reject('device_id must be a non-empty string');
  if (typeof callId !== 'string' || callId.length > 255) return reject('call_id must be a string');
  if (!isNonEmptyString(application)) return reject('application must be a non-empty string');
  if (!isNonEmptyString(scope)) return reject('scope must be a non-empty string');
  if (!isPositiveMs(expiresTs)) return reject('expires_ts must be a timestamp');
  const membershipField = entry['membershipID'];
  if (membershipField !== undefined && !isNonEmptyString(membershipField)) {
    return reject('membershipID must be a non-empty string');
  }
  const createdField = entry['created_ts'];
  if (createdField !== undefined && !isPositiveMs(createdField))
    return reject('created_ts must be a timestamp');

  const fociField = entry['foci_active'];
  if (fociField !== undefined && !Array.isArray(fociField)) return reject('foci_active must be an array');
  const backendObject = isRecord(entry['backend']) ? entry['backend'] : (fociField ?? [])[0];
  const backend = backendFromFocus(backendObject);
  if (!backend) return reject('backend (or foci_active[0]) must be an object with a type');

  if (!stateKeyAllows(event.state_key ?? '', event.sender, deviceId)) {
    return reject(
      `state key ${JSON.stringify(event.state_key)} does not belong to ${event.sender}/${deviceId}`,
    );
  }

  const membershipId = membershipField ?? `${event.sender}:${deviceId}`;
  return accept({
    format: 'famedly',
    eventType: FAMEDLY_MEMBER_EVENT,
    stateKey: event.state_key ?? '',
    eventId: event.event_id,
    userId: event.sender,
    deviceId,
    application,
    callId,
    scope,
    membershipId,
    sessionId: membershipId,
    createdTs: createdField ?? event.origin_server_ts,
    expiresAt: expiresTs,
    backend,
    fociPreferred: [backendObject],
    listenOnly: listenOnlyOf(entry),
  });
}

export interface FamedlyEntryInput {
  readonly deviceId: string;
  readonly backend: MembershipBackend;
  readonly callId: string;
  readonly expiresTs: number;
  /** A random id for this joining (famedly: 16 random bytes, base64). */
  readonly membershipId: string;
  readonly createdTs?: number;
  readonly application?: string;
  /** The walkie-talkie's listen-only join: writes the marker. */
  readonly listenOnly?: boolean;
}

export function buildFamedlyEntry(input: FamedlyEntryInput): Record<string, unknown> {
  const backend = focusObjectOf(input.backend);
  return {
    application: input.application ?? CALL_APPLICATION,
    backend,
    call_id: input.callId,
    device_id: input.deviceId,
    expires_ts: input.expiresTs,
    foci_active: [backend],
    membershipID: input.membershipId,
    scope: ROOM_SCOPE,
    ...(input.createdTs !== undefined ? { created_ts: input.createdTs } : {}),
    ...(input.listenOnly ? { [LISTEN_ONLY_FIELD]: true } : {}),
  };
}

/**
 * The user's whole `com.famedly.call.member` content: the entries of the user's other devices from
 * the current content, kept as they are, plus this device's entry (none to leave).
 */
export function buildFamedlyContent(
  currentContent: unknown,
  deviceId: string,
  ownEntry: Record<string, unknown> | undefined,
): { memberships: unknown[] } {
  const current =
    isRecord(currentContent) && Array.isArray(currentContent['memberships'])
      ? (currentContent['memberships'] as unknown[])
      : [];
  const others = current
    .filter((entry) => !(isRecord(entry) && entry['device_id'] === deviceId))
    .slice(0, MAX_MEMBERSHIP_ENTRIES - 1);
  return { memberships: ownEntry ? [...others, ownEntry] : others };
}

/** A random membership id as famedly makes it: 16 random bytes, base64. */
export function randomMembershipId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return toBase64(bytes);
}
