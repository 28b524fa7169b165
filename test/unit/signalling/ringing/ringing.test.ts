import { expect } from '@open-wc/testing';
import {
  buildRtcDecline,
  buildRtcNotification,
  isNotificationActive,
  LEGACY_CALL_NOTIFY_EVENT,
  notificationConcerns,
  notificationTypeFor,
  parseRtcDecline,
  parseRtcNotification,
  RTC_DECLINE_EVENT,
  RTC_NOTIFICATION_EVENT,
} from '../../../../src/signalling/ringing/index.js';
import type { RawRoomEvent } from '../../../../src/transport/transport.js';

const T0 = 1_736_000_000_000;
const event = (type: string, content: unknown, ts = T0, sender = '@alice:example.org'): RawRoomEvent => ({
  type,
  sender,
  content,
  event_id: '$notif',
  room_id: '!r:example.org',
  origin_server_ts: ts,
});

describe('call notifications (MSC4075)', () => {
  it('rings in a two-person room and notifies in larger rooms', () => {
    expect(notificationTypeFor(2)).to.equal('ring');
    expect(notificationTypeFor(3)).to.equal('notification');
  });

  it('builds what matrix-js-sdk sends and reads it back', () => {
    const content = buildRtcNotification({
      type: 'ring',
      membershipEventId: '$member',
      senderTs: T0,
      callIntent: 'video',
    });
    expect(content).to.deep.equal({
      'm.mentions': { user_ids: [], room: true },
      notification_type: 'ring',
      'm.relates_to': { rel_type: 'm.reference', event_id: '$member' },
      sender_ts: T0,
      lifetime: 30_000,
      'm.call.intent': 'video',
    });
    const parsed = parseRtcNotification(event(RTC_NOTIFICATION_EVENT, content, T0 + 300));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.type).to.equal('ring');
    expect(parsed.value.membershipEventId).to.equal('$member');
    expect(parsed.value.sentAt).to.equal(T0);
    expect(isNotificationActive(parsed.value, T0 + 29_999)).to.equal(true);
    expect(isNotificationActive(parsed.value, T0 + 30_000)).to.equal(false);
    expect(notificationConcerns(parsed.value, '@bob:example.org')).to.equal(true);
    expect(notificationConcerns(parsed.value, '@alice:example.org')).to.equal(false);
  });

  it('trusts origin_server_ts when sender_ts is more than 20 s off, and caps the lifetime at 90 s', () => {
    const content = { notification_type: 'notification', sender_ts: T0 - 60_000, lifetime: 600_000 };
    const parsed = parseRtcNotification(event(RTC_NOTIFICATION_EVENT, content));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.sentAt).to.equal(T0);
    expect(parsed.value.lifetime).to.equal(90_000);
    expect(notificationConcerns(parsed.value, '@bob:example.org')).to.equal(false);
  });

  it('reads the older call.notify form', () => {
    const parsed = parseRtcNotification(
      event(LEGACY_CALL_NOTIFY_EVENT, {
        application: 'm.call',
        call_id: '',
        notify_type: 'notify',
        'm.mentions': { user_ids: [], room: true },
      }),
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.type).to.equal('notification');
    expect(parsed.value.sentAt).to.equal(T0);
  });

  it('rejects malformed notifications with reasons', () => {
    const good = { notification_type: 'ring', sender_ts: T0, lifetime: 30_000 };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, notification_type: 'shout' }, /notification_type/],
      [{ ...good, sender_ts: '1' }, /sender_ts/],
      [{ ...good, lifetime: -1 }, /lifetime/],
      [{ ...good, 'm.relates_to': { rel_type: 'm.annotation', event_id: '$x' } }, /m.reference/],
      [{ ...good, 'm.mentions': 'all' }, /m.mentions/],
      [{ ...good, 'm.mentions': { user_ids: [1] } }, /user_ids/],
      [[], /object/],
    ];
    for (const [content, pattern] of cases) {
      const parsed = parseRtcNotification(event(RTC_NOTIFICATION_EVENT, content));
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.reason).to.match(pattern);
    }
  });
});

describe('call declines (MSC4310)', () => {
  it('builds and parses a reference to the notification', () => {
    const content = buildRtcDecline('$notif');
    expect(content).to.deep.equal({ 'm.relates_to': { rel_type: 'm.reference', event_id: '$notif' } });
    const parsed = parseRtcDecline(event(RTC_DECLINE_EVENT, content, T0, '@bob:example.org'));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value).to.deep.equal({
      eventId: '$notif',
      sender: '@bob:example.org',
      notificationEventId: '$notif',
    });
  });

  it('rejects a decline without a reference', () => {
    const parsed = parseRtcDecline(event(RTC_DECLINE_EVENT, { reason: 'busy' }));
    expect(parsed.ok).to.equal(false);
    expect(parseRtcDecline(event(RTC_NOTIFICATION_EVENT, {})).ok).to.equal(false);
  });
});
