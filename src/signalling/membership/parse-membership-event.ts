/**
 * Reading any membership state event, in any of the formats the kit understands:
 * - `org.matrix.msc3401.call.member` per device (Element Call): `{}` = left, else one membership;
 * - `org.matrix.msc3401.call.member` with `memberships[]` (older matrix-js-sdk), read only;
 * - `com.famedly.call.member` with `memberships[]` (famedly).
 *
 * Owns: choosing the format parser for an event and collecting entries. Never: throws, filters by
 * call or expiry (callers do, with their own clock), or writes anything.
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import type { CallMembership } from './call-membership.js';
import { MAX_MEMBERSHIP_ENTRIES, parseElementLegacyEntry } from './element-legacy.js';
import { parseElementMembership } from './element-membership.js';
import { ELEMENT_MEMBER_EVENT, FAMEDLY_MEMBER_EVENT } from './event-types.js';
import { parseFamedlyEntry } from './famedly-membership.js';
import { accept, isRecord, isUserId, reject, type Parsed } from './parsed.js';
import type { MembershipStateReading } from './reading.js';

function readEntries(
  entries: unknown,
  event: RawRoomEvent,
  parseEntry: (entry: unknown, event: RawRoomEvent) => Parsed<CallMembership>,
): Parsed<MembershipStateReading> {
  if (!Array.isArray(entries)) return reject('memberships must be an array');
  const memberships: CallMembership[] = [];
  const skipped: string[] = [];
  entries.slice(0, MAX_MEMBERSHIP_ENTRIES).forEach((entry, index) => {
    const parsed = parseEntry(entry, event);
    if (parsed.ok) memberships.push(parsed.value);
    else skipped.push(`memberships[${index}]: ${parsed.reason}`);
  });
  if (entries.length > MAX_MEMBERSHIP_ENTRIES) skipped.push('memberships: entries past the limit ignored');
  return accept(reading(event, memberships, skipped));
}

function reading(
  event: RawRoomEvent,
  memberships: readonly CallMembership[],
  skipped: readonly string[] = [],
): MembershipStateReading {
  return {
    eventType: event.type,
    stateKey: event.state_key ?? '',
    sender: event.sender,
    memberships,
    skipped,
  };
}

export function parseMembershipEvent(event: RawRoomEvent): Parsed<MembershipStateReading> {
  if (event.type !== ELEMENT_MEMBER_EVENT && event.type !== FAMEDLY_MEMBER_EVENT) {
    return reject(`${event.type} is not a call membership event`);
  }
  if (typeof event.state_key !== 'string') return reject('a membership must be a state event');
  if (!isUserId(event.sender)) return reject('sender must be a user id');
  if (typeof event.origin_server_ts !== 'number' || !Number.isFinite(event.origin_server_ts)) {
    return reject('origin_server_ts must be a number');
  }
  const content = event.content;
  if (!isRecord(content)) return reject('content must be an object');

  if (event.type === FAMEDLY_MEMBER_EVENT) {
    if (!('memberships' in content)) return accept(reading(event, []));
    return readEntries(content['memberships'], event, parseFamedlyEntry);
  }
  const keys = Object.keys(content);
  if (keys.length === 0) return accept(reading(event, []));
  if ('memberships' in content && !('focus_active' in content)) {
    return readEntries(content['memberships'], event, parseElementLegacyEntry);
  }
  const parsed = parseElementMembership(event);
  return parsed.ok ? accept(reading(event, [parsed.value])) : parsed;
}
