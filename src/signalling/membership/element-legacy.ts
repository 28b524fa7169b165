/**
 * The legacy form of `org.matrix.msc3401.call.member` that older matrix-js-sdk (before the
 * per-device "session" memberships) wrote: one state event per user, state key = the user id,
 * content `{ memberships: [{ application, call_id, scope, device_id, membershipID, expires |
 * expires_ts, created_ts?, foci_active? }] }`.
 *
 * Expiry: (created_ts, else origin_server_ts) + expires, or expires_ts.
 *
 * Owns: reading it, entry by entry, never throwing. Never: writes it (current clients ignore it;
 * the kit writes the per-device form instead).
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { backendFromFocus } from './backend.js';
import type { CallMembership } from './call-membership.js';
import { ELEMENT_MEMBER_EVENT, ROOM_SCOPE } from './event-types.js';
import { accept, isNonEmptyString, isPositiveMs, isRecord, reject, type Parsed } from './parsed.js';

export const MAX_MEMBERSHIP_ENTRIES = 64;

export function parseElementLegacyEntry(entry: unknown, event: RawRoomEvent): Parsed<CallMembership> {
  if (!isRecord(entry)) return reject('a membership must be an object');
  const deviceId = entry['device_id'];
  const callId = entry['call_id'];
  const application = entry['application'];
  const scope = entry['scope'] ?? ROOM_SCOPE;
  const membershipId = entry['membershipID'];
  if (!isNonEmptyString(deviceId)) return reject('device_id must be a non-empty string');
  if (typeof callId !== 'string' || callId.length > 255) return reject('call_id must be a string');
  if (!isNonEmptyString(application)) return reject('application must be a non-empty string');
  if (!isNonEmptyString(scope)) return reject('scope must be a non-empty string');
  if (!isNonEmptyString(membershipId)) return reject('membershipID must be a non-empty string');
  // One event per user: its devices are the sender's, under the sender's own state key.
  if (event.state_key !== event.sender)
    return reject(`state key ${JSON.stringify(event.state_key)} does not belong to ${event.sender}`);

  const createdField = entry['created_ts'];
  if (createdField !== undefined && !isPositiveMs(createdField))
    return reject('created_ts must be a timestamp');
  const createdTs = createdField ?? event.origin_server_ts;
  const expires = entry['expires'];
  const expiresTs = entry['expires_ts'];
  let expiresAt: number;
  if (expires !== undefined) {
    if (!isPositiveMs(expires)) return reject('expires must be a positive duration');
    expiresAt = createdTs + expires;
  } else if (expiresTs !== undefined) {
    if (!isPositiveMs(expiresTs)) return reject('expires_ts must be a timestamp');
    expiresAt = expiresTs;
  } else {
    return reject('expires or expires_ts must be present');
  }

  const fociField = entry['foci_active'];
  if (fociField !== undefined && !Array.isArray(fociField)) return reject('foci_active must be an array');
  const foci: readonly unknown[] = fociField ?? [];
  const backend = foci.map(backendFromFocus).find((b) => b !== undefined) ?? {
    type: 'other' as const,
    name: 'unknown',
  };

  return accept({
    format: 'element-legacy',
    eventType: ELEMENT_MEMBER_EVENT,
    stateKey: event.state_key ?? '',
    eventId: event.event_id,
    userId: event.sender,
    deviceId,
    application,
    callId,
    scope,
    membershipId,
    sessionId: membershipId,
    createdTs,
    expiresAt,
    backend,
    fociPreferred: foci,
    // The kit writes the listen-only marker only in the current formats.
    listenOnly: false,
  });
}
