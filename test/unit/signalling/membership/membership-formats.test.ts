import { expect } from '@open-wc/testing';
import {
  buildElementMembership,
  buildFamedlyContent,
  buildFamedlyEntry,
  ELEMENT_DEFAULT_EXPIRES_MS,
  ELEMENT_MEMBER_EVENT,
  elementStateKey,
  FAMEDLY_MEMBER_EVENT,
  famedlyStateKey,
  isRoomCall,
  parseMembershipEvent,
  type CallMembership,
  type MembershipStateReading,
} from '../../../../src/signalling/membership/index.js';
import type { RawRoomEvent } from '../../../../src/transport/transport.js';

const ROOM = '!bJtNdhBmbWsEKCOVwz:matrix.example.org';
const T0 = 1_736_000_000_000;

function stateEvent(type: string, sender: string, stateKey: string, content: unknown, ts = T0): RawRoomEvent {
  return {
    type,
    sender,
    state_key: stateKey,
    content,
    event_id: `$ev-${stateKey}-${ts}`,
    room_id: ROOM,
    origin_server_ts: ts,
  };
}

function read(event: RawRoomEvent): MembershipStateReading {
  const parsed = parseMembershipEvent(event);
  if (!parsed.ok) throw new Error(`rejected: ${parsed.reason}`);
  return parsed.value;
}

function only(event: RawRoomEvent): CallMembership {
  const reading = read(event);
  expect(reading.memberships, JSON.stringify(reading.skipped)).to.have.length(1);
  return reading.memberships[0]!;
}

function rejection(event: RawRoomEvent): string {
  const parsed = parseMembershipEvent(event);
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.value)}`);
  return parsed.reason;
}

// What Element Call (matrix-js-sdk MembershipManager) writes for a device joining a LiveKit call.
const elementCallContent = {
  application: 'm.call',
  call_id: '',
  scope: 'm.room',
  device_id: 'OXSLMBKYQD',
  membershipID: '@alice:matrix.example.org:OXSLMBKYQD',
  expires: 14_400_000,
  'm.call.intent': 'video',
  focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
  foci_preferred: [
    {
      type: 'livekit',
      livekit_service_url: 'https://matrix-rtc.example.org/livekit/jwt',
      livekit_alias: ROOM,
    },
  ],
};

describe('Element Call membership (org.matrix.msc3401.call.member, per device)', () => {
  const key = '_@alice:matrix.example.org_OXSLMBKYQD_m.call';

  it('reads what Element Call writes', () => {
    const m = only(stateEvent(ELEMENT_MEMBER_EVENT, '@alice:matrix.example.org', key, elementCallContent));
    expect(m.format).to.equal('element');
    expect(m.userId).to.equal('@alice:matrix.example.org');
    expect(m.deviceId).to.equal('OXSLMBKYQD');
    expect(m.callId).to.equal('');
    expect(m.scope).to.equal('m.room');
    expect(m.membershipId).to.equal('@alice:matrix.example.org:OXSLMBKYQD');
    expect(m.createdTs).to.equal(T0);
    expect(m.sessionId).to.equal(String(T0));
    expect(m.expiresAt).to.equal(T0 + 14_400_000);
    expect(m.callIntent).to.equal('video');
    expect(m.backend).to.deep.equal({
      type: 'livekit',
      serviceUrl: 'https://matrix-rtc.example.org/livekit/jwt',
      alias: ROOM,
    });
    expect(isRoomCall(m, ROOM)).to.equal(true);
  });

  it('computes expiry from created_ts + expires on a refreshed membership', () => {
    const refreshed = { ...elementCallContent, created_ts: T0 - 14_000_000, expires: 28_800_000 };
    const m = only(stateEvent(ELEMENT_MEMBER_EVENT, '@alice:matrix.example.org', key, refreshed));
    expect(m.createdTs).to.equal(T0 - 14_000_000);
    expect(m.expiresAt).to.equal(T0 - 14_000_000 + 28_800_000);
  });

  it('falls back to four hours when expires is absent, as matrix-js-sdk does', () => {
    const { expires: _expires, ...noExpiry } = elementCallContent;
    const m = only(stateEvent(ELEMENT_MEMBER_EVENT, '@alice:matrix.example.org', key, noExpiry));
    expect(m.expiresAt).to.equal(T0 + ELEMENT_DEFAULT_EXPIRES_MS);
  });

  it('reads {} as left', () => {
    const reading = read(stateEvent(ELEMENT_MEMBER_EVENT, '@alice:matrix.example.org', key, {}));
    expect(reading.memberships).to.deep.equal([]);
    expect(reading.skipped).to.deep.equal([]);
  });

  it('accepts the state key forms matrix-js-sdk has used', () => {
    for (const k of [
      '_@alice:matrix.example.org_OXSLMBKYQD_m.call',
      '@alice:matrix.example.org_OXSLMBKYQD_m.call',
      '_@alice:matrix.example.org_OXSLMBKYQD',
      '@alice:matrix.example.org_OXSLMBKYQD',
    ]) {
      expect(
        only(stateEvent(ELEMENT_MEMBER_EVENT, '@alice:matrix.example.org', k, elementCallContent)).stateKey,
      ).to.equal(k);
    }
  });

  it('rejects a membership whose state key names someone else (spoofing)', () => {
    const reason = rejection(
      stateEvent(ELEMENT_MEMBER_EVENT, '@mallory:matrix.example.org', key, elementCallContent),
    );
    expect(reason).to.match(/does not name @mallory/);
    const otherDevice = rejection(
      stateEvent(
        ELEMENT_MEMBER_EVENT,
        '@alice:matrix.example.org',
        '_@alice:matrix.example.org_OTHER_m.call',
        elementCallContent,
      ),
    );
    expect(otherDevice).to.match(/does not name/);
  });

  it('rejects malformed contents with a reason, never throwing', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...elementCallContent, device_id: 7 }, /device_id/],
      [{ ...elementCallContent, call_id: null }, /call_id/],
      [{ ...elementCallContent, application: '' }, /application/],
      [{ ...elementCallContent, focus_active: 'livekit' }, /focus_active/],
      [{ ...elementCallContent, foci_preferred: {} }, /foci_preferred/],
      [{ ...elementCallContent, foci_preferred: [{ url: 'x' }] }, /foci_preferred/],
      [{ ...elementCallContent, expires: -5 }, /expires/],
      [{ ...elementCallContent, created_ts: 'yesterday' }, /created_ts/],
      [{ ...elementCallContent, membershipID: 3 }, /membershipID/],
      [{ device_id: 'X' }, /call_id|application|focus_active/],
      ['not an object', /content/],
      [null, /content/],
    ];
    for (const [content, pattern] of cases) {
      expect(rejection(stateEvent(ELEMENT_MEMBER_EVENT, '@alice:matrix.example.org', key, content))).to.match(
        pattern,
      );
    }
    expect(rejection({ ...stateEvent(ELEMENT_MEMBER_EVENT, 'alice', key, elementCallContent) })).to.match(
      /sender/,
    );
    const { state_key: _s, ...noKey } = stateEvent(
      ELEMENT_MEMBER_EVENT,
      '@alice:matrix.example.org',
      key,
      elementCallContent,
    );
    expect(rejection(noKey as RawRoomEvent)).to.match(/state event/);
    expect(rejection(stateEvent('m.room.member', '@alice:matrix.example.org', key, {}))).to.match(
      /not a call membership/,
    );
  });

  it('builds what it reads back, with the state key matrix-js-sdk uses', () => {
    const stateKey = elementStateKey('@kit:example.org', 'KITDEV');
    expect(stateKey).to.equal('_@kit:example.org_KITDEV_m.call');
    expect(elementStateKey('@kit:example.org', 'KITDEV', { ownedStateKeys: true })).to.equal(
      '@kit:example.org_KITDEV_m.call',
    );
    const content = buildElementMembership({
      userId: '@kit:example.org',
      deviceId: 'KITDEV',
      backend: { type: 'livekit', serviceUrl: 'https://rtc.example.org/livekit/jwt', alias: ROOM },
      expires: 3_600_000,
      callIntent: 'audio',
    });
    expect(content).to.deep.equal({
      application: 'm.call',
      call_id: '',
      scope: 'm.room',
      device_id: 'KITDEV',
      membershipID: '@kit:example.org:KITDEV',
      expires: 3_600_000,
      focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
      foci_preferred: [
        { type: 'livekit', livekit_service_url: 'https://rtc.example.org/livekit/jwt', livekit_alias: ROOM },
      ],
      'm.call.intent': 'audio',
    });
    const m = only(stateEvent(ELEMENT_MEMBER_EVENT, '@kit:example.org', stateKey, content));
    expect(m.expiresAt).to.equal(T0 + 3_600_000);
    expect(m.backend.type).to.equal('livekit');

    const mesh = buildElementMembership({
      userId: '@kit:example.org',
      deviceId: 'KITDEV',
      backend: { type: 'mesh' },
      expires: 1000,
      createdTs: T0 - 500,
    });
    expect(mesh['created_ts']).to.equal(T0 - 500);
    expect(only(stateEvent(ELEMENT_MEMBER_EVENT, '@kit:example.org', stateKey, mesh)).backend).to.deep.equal({
      type: 'mesh',
    });
  });
});

describe('legacy memberships[] in org.matrix.msc3401.call.member (read only)', () => {
  // What matrix-js-sdk wrote before per-device events (state key = user id).
  const legacy = {
    memberships: [
      {
        application: 'm.call',
        call_id: '',
        scope: 'm.room',
        device_id: 'PHONE',
        membershipID: 'Rb7FzwQr1Ud6',
        expires: 3_600_000,
        created_ts: T0 - 1000,
        foci_active: [
          { type: 'livekit', livekit_service_url: 'https://sfu.example.org', livekit_alias: ROOM },
        ],
      },
      {
        application: 'm.call',
        call_id: '',
        scope: 'm.room',
        device_id: 'LAPTOP',
        membershipID: 'x1',
        expires_ts: T0 + 60_000,
      },
      { application: 'm.call', call_id: '', device_id: 'BROKEN' },
    ],
  };

  it('reads each valid entry and skips the broken one with a reason', () => {
    const reading = read(stateEvent(ELEMENT_MEMBER_EVENT, '@bob:example.org', '@bob:example.org', legacy));
    expect(reading.memberships.map((m) => m.deviceId)).to.deep.equal(['PHONE', 'LAPTOP']);
    const [phone, laptop] = reading.memberships;
    expect(phone!.format).to.equal('element-legacy');
    expect(phone!.expiresAt).to.equal(T0 - 1000 + 3_600_000);
    expect(phone!.sessionId).to.equal('Rb7FzwQr1Ud6');
    expect(phone!.backend.type).to.equal('livekit');
    expect(laptop!.expiresAt).to.equal(T0 + 60_000);
    expect(laptop!.createdTs).to.equal(T0);
    expect(reading.skipped).to.have.length(1);
    expect(reading.skipped[0]).to.match(/memberships\[2\].*membershipID/);
  });

  it('reads an empty array as everyone of that user left', () => {
    expect(
      read(stateEvent(ELEMENT_MEMBER_EVENT, '@bob:example.org', '@bob:example.org', { memberships: [] }))
        .memberships,
    ).to.deep.equal([]);
  });

  it('rejects memberships that is not an array', () => {
    expect(
      rejection(
        stateEvent(ELEMENT_MEMBER_EVENT, '@bob:example.org', '@bob:example.org', { memberships: 'x' }),
      ),
    ).to.match(/array/);
  });
});

describe("famedly's membership (com.famedly.call.member)", () => {
  // The README's sample, and what famedly's current code writes (foci_active instead of backend).
  const readmeEntry = {
    application: 'm.call',
    backend: { type: 'mesh' },
    call_id: '',
    device_id: 'YVGPEWNLDD',
    expires_ts: 1705152401042,
    scope: 'm.room',
    membershipID: 'gor1Gt5BCIlyrxjyHnaEJQ==',
  };
  const codeEntry = {
    call_id: ROOM,
    application: 'm.call',
    scope: 'm.room',
    foci_active: [
      { type: 'livekit', livekit_alias: ROOM, livekit_service_url: 'https://famedly-livekit.example/jwt' },
    ],
    device_id: 'TABLET',
    expires_ts: T0 + 360_000,
    membershipID: 'x7Qb0VfLdl8pL2x7n0jv3A==',
  };

  it('reads the README form and the form famedly writes', () => {
    const reading = read(
      stateEvent(FAMEDLY_MEMBER_EVENT, '@carol:example.org', '@carol:example.org', {
        memberships: [readmeEntry, codeEntry],
      }),
    );
    const [mesh, livekit] = reading.memberships;
    expect(mesh!.format).to.equal('famedly');
    expect(mesh!.backend).to.deep.equal({ type: 'mesh' });
    expect(mesh!.expiresAt).to.equal(1705152401042);
    expect(mesh!.sessionId).to.equal('gor1Gt5BCIlyrxjyHnaEJQ==');
    expect(livekit!.backend).to.deep.equal({
      type: 'livekit',
      serviceUrl: 'https://famedly-livekit.example/jwt',
      alias: ROOM,
    });
    expect(livekit!.callId).to.equal(ROOM);
    expect(isRoomCall(livekit!, ROOM)).to.equal(true);
    expect(isRoomCall(livekit!, '!other:example.org')).to.equal(false);
  });

  it('skips entries without expires_ts or backend, and rejects entries on a foreign per-device key', () => {
    const reading = read(
      stateEvent(FAMEDLY_MEMBER_EVENT, '@carol:example.org', '@carol:example.org', {
        memberships: [
          { ...readmeEntry, expires_ts: undefined },
          { ...readmeEntry, backend: undefined },
        ],
      }),
    );
    expect(reading.memberships).to.deep.equal([]);
    expect(reading.skipped[0]).to.match(/expires_ts/);
    expect(reading.skipped[1]).to.match(/backend/);
    const foreign = read(
      stateEvent(FAMEDLY_MEMBER_EVENT, '@carol:example.org', '@dave:example.org', {
        memberships: [readmeEntry],
      }),
    );
    expect(foreign.memberships).to.deep.equal([]);
    expect(foreign.skipped[0]).to.match(/state key/);
  });

  it('builds an entry famedly accepts (foci_active list) and keeps the other devices of the user', () => {
    const entry = buildFamedlyEntry({
      deviceId: 'KITDEV',
      backend: { type: 'mesh' },
      callId: ROOM,
      expiresTs: T0 + 300_000,
      membershipId: 'session-1',
    });
    expect(entry['foci_active']).to.deep.equal([{ type: 'mesh' }]);
    expect(entry['backend']).to.deep.equal({ type: 'mesh' });
    const current = {
      memberships: [readmeEntry, { ...readmeEntry, device_id: 'KITDEV', membershipID: 'old' }],
    };
    const content = buildFamedlyContent(current, 'KITDEV', entry);
    expect(content.memberships).to.deep.equal([readmeEntry, entry]);
    expect(buildFamedlyContent(content, 'KITDEV', undefined).memberships).to.deep.equal([readmeEntry]);
    expect(famedlyStateKey('@kit:example.org', 'KITDEV')).to.equal('@kit:example.org');
    const reading = read(stateEvent(FAMEDLY_MEMBER_EVENT, '@kit:example.org', '@kit:example.org', content));
    expect(reading.memberships.map((m) => [m.deviceId, m.sessionId])).to.deep.equal([
      ['YVGPEWNLDD', 'gor1Gt5BCIlyrxjyHnaEJQ=='],
      ['KITDEV', 'session-1'],
    ]);
  });

  it('reads a content without memberships as left', () => {
    expect(
      read(stateEvent(FAMEDLY_MEMBER_EVENT, '@carol:example.org', '@carol:example.org', {})).memberships,
    ).to.deep.equal([]);
  });
});
