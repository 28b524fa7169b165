/**
 * MSC4075 call notifications: `org.matrix.msc4075.rtc.notification` with `{ notification_type:
 * 'ring' | 'notification', sender_ts, lifetime, m.mentions, m.relates_to: { rel_type: 'm.reference',
 * event_id: <the sender's membership event> }, m.call.intent? }`, as matrix-js-sdk's
 * MatrixRTCSession sends it when the first member joins. Also reads the older
 * `org.matrix.msc4075.call.notify` (`notify_type: 'ring' | 'notify'`, call_id, application).
 *
 * Owns: building and parsing (never throwing), and when a notification stops ringing. Never: sends,
 * plays sounds, or decides whether a call started (the group call does).
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { accept, isNonEmptyString, isRecord, reject, type Parsed } from '../membership/parsed.js';
import {
  LEGACY_CALL_NOTIFY_EVENT,
  MAX_NOTIFICATION_LIFETIME_MS,
  NOTIFICATION_LIFETIME_MS,
  RTC_NOTIFICATION_EVENT,
  SENDER_TS_TOLERANCE_MS,
} from './event-types.js';

export type NotificationType = 'ring' | 'notification';

/** Ring in a two-person room (a direct call), notify in larger rooms. */
export function notificationTypeFor(joinedMemberCount: number): NotificationType {
  return joinedMemberCount <= 2 ? 'ring' : 'notification';
}

export interface NotificationInput {
  readonly type: NotificationType;
  /** The sender's own membership event, which the notification references. */
  readonly membershipEventId: string;
  readonly senderTs: number;
  readonly lifetime?: number;
  readonly callIntent?: 'audio' | 'video' | string;
  /** Default `{ user_ids: [], room: true }`, as matrix-js-sdk sends. */
  readonly mentions?: { readonly user_ids: readonly string[]; readonly room?: boolean };
}

export function buildRtcNotification(input: NotificationInput): Record<string, unknown> {
  return {
    'm.mentions': input.mentions
      ? { user_ids: [...input.mentions.user_ids], ...(input.mentions.room ? { room: true } : {}) }
      : { user_ids: [], room: true },
    notification_type: input.type,
    'm.relates_to': { rel_type: 'm.reference', event_id: input.membershipEventId },
    sender_ts: input.senderTs,
    lifetime: input.lifetime ?? NOTIFICATION_LIFETIME_MS,
    ...(input.callIntent !== undefined ? { 'm.call.intent': input.callIntent } : {}),
  };
}

export interface RtcNotification {
  readonly eventId: string;
  readonly sender: string;
  readonly type: NotificationType;
  /** The membership event it refers to, if any (absent in the legacy form). */
  readonly membershipEventId?: string;
  /** The start time to trust: sender_ts, or origin_server_ts when they differ by more than 20 s. */
  readonly sentAt: number;
  /** Lifetime, capped at 90 s. */
  readonly lifetime: number;
  readonly callIntent?: string;
  readonly mentionsUserIds: readonly string[];
  readonly mentionsRoom: boolean;
}

/** Whether the notification should still ring / show at `now`. */
export function isNotificationActive(notification: RtcNotification, now: number): boolean {
  return now < notification.sentAt + notification.lifetime;
}

/** Whether it concerns `userId`: it mentions the room or the user, and the user did not send it. */
export function notificationConcerns(notification: RtcNotification, userId: string): boolean {
  return (
    notification.sender !== userId &&
    (notification.mentionsRoom || notification.mentionsUserIds.includes(userId))
  );
}

function parseMentions(value: unknown): Parsed<{ userIds: readonly string[]; room: boolean }> {
  if (value === undefined) return accept({ userIds: [], room: false });
  if (!isRecord(value)) return reject('m.mentions must be an object');
  const ids = value['user_ids'] ?? [];
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    return reject('m.mentions.user_ids must be an array of strings');
  }
  return accept({ userIds: ids as string[], room: value['room'] === true });
}

export function parseRtcNotification(event: RawRoomEvent): Parsed<RtcNotification> {
  const content = event.content;
  if (!isRecord(content)) return reject('content must be an object');
  const mentions = parseMentions(content['m.mentions']);
  if (!mentions.ok) return mentions;
  const base = {
    eventId: event.event_id,
    sender: event.sender,
    mentionsUserIds: mentions.value.userIds,
    mentionsRoom: mentions.value.room,
  };

  if (event.type === LEGACY_CALL_NOTIFY_EVENT) {
    const notifyType = content['notify_type'];
    if (notifyType !== 'ring' && notifyType !== 'notify') return reject('notify_type must be ring or notify');
    return accept({
      ...base,
      type: notifyType === 'ring' ? 'ring' : 'notification',
      sentAt: event.origin_server_ts,
      lifetime: NOTIFICATION_LIFETIME_MS,
    });
  }
  if (event.type !== RTC_NOTIFICATION_EVENT) return reject(`${event.type} is not a call notification`);

  const type = content['notification_type'];
  if (type !== 'ring' && type !== 'notification')
    return reject('notification_type must be ring or notification');
  const senderTs = content['sender_ts'];
  const lifetime = content['lifetime'];
  if (typeof senderTs !== 'number' || !Number.isFinite(senderTs)) return reject('sender_ts must be a number');
  if (typeof lifetime !== 'number' || !Number.isFinite(lifetime) || lifetime < 0) {
    return reject('lifetime must be a non-negative number');
  }
  const relation = content['m.relates_to'];
  let membershipEventId: string | undefined;
  if (relation !== undefined) {
    if (
      !isRecord(relation) ||
      relation['rel_type'] !== 'm.reference' ||
      !isNonEmptyString(relation['event_id'])
    ) {
      return reject('m.relates_to must be an m.reference with an event_id');
    }
    membershipEventId = relation['event_id'];
  }
  const intent = content['m.call.intent'];
  if (intent !== undefined && !isNonEmptyString(intent, 64)) return reject('m.call.intent must be a string');

  const trustSender = Math.abs(senderTs - event.origin_server_ts) <= SENDER_TS_TOLERANCE_MS;
  return accept({
    ...base,
    type,
    ...(membershipEventId !== undefined ? { membershipEventId } : {}),
    sentAt: trustSender ? senderTs : event.origin_server_ts,
    lifetime: Math.min(lifetime, MAX_NOTIFICATION_LIFETIME_MS),
    ...(intent !== undefined ? { callIntent: intent } : {}),
  });
}
