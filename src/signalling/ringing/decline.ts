/**
 * MSC4310 call declines: `org.matrix.msc4310.rtc.decline` with `{ m.relates_to: { rel_type:
 * 'm.reference', event_id: <the notification> } }`.
 *
 * Owns: building and parsing (never throwing). Never: sends, or ends anything.
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { accept, isNonEmptyString, isRecord, reject, type Parsed } from '../membership/parsed.js';
import { RTC_DECLINE_EVENT } from './event-types.js';

export function buildRtcDecline(notificationEventId: string): Record<string, unknown> {
  return { 'm.relates_to': { rel_type: 'm.reference', event_id: notificationEventId } };
}

export interface RtcDecline {
  readonly eventId: string;
  readonly sender: string;
  readonly notificationEventId: string;
}

export function parseRtcDecline(event: RawRoomEvent): Parsed<RtcDecline> {
  if (event.type !== RTC_DECLINE_EVENT) return reject(`${event.type} is not a call decline`);
  const content = event.content;
  if (!isRecord(content)) return reject('content must be an object');
  const relation = content['m.relates_to'];
  if (
    !isRecord(relation) ||
    relation['rel_type'] !== 'm.reference' ||
    !isNonEmptyString(relation['event_id'])
  ) {
    return reject('m.relates_to must be an m.reference with an event_id');
  }
  return accept({ eventId: event.event_id, sender: event.sender, notificationEventId: relation['event_id'] });
}
