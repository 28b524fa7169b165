import { expect } from '@open-wc/testing';
import {
  buildElementMembership,
  buildFamedlyContent,
  buildFamedlyEntry,
  countsAsInCall,
  ELEMENT_MEMBER_EVENT,
  elementStateKey,
  FAMEDLY_MEMBER_EVENT,
  famedlyStateKey,
  LISTEN_ONLY_FIELD,
  parseMembershipEvent,
  type CallMembership,
} from '../../../../src/signalling/membership/index.js';
import type { RawRoomEvent } from '../../../../src/transport/transport.js';

const ROOM = '!walkie:example.org';
const T0 = 1_736_000_000_000;
const USER = '@bob:example.org';
const DEVICE = 'BOBPHONE';

function stateEvent(type: string, stateKey: string, content: unknown): RawRoomEvent {
  return {
    type,
    sender: USER,
    state_key: stateKey,
    content,
    event_id: `$ev-${stateKey}`,
    room_id: ROOM,
    origin_server_ts: T0,
  };
}

function memberships(event: RawRoomEvent): readonly CallMembership[] {
  const parsed = parseMembershipEvent(event);
  if (!parsed.ok) throw new Error(`rejected: ${parsed.reason}`);
  expect(parsed.value.skipped, 'skipped entries').to.deep.equal([]);
  return parsed.value.memberships;
}

const elementContent = (listenOnly?: boolean) =>
  buildElementMembership({
    userId: USER,
    deviceId: DEVICE,
    backend: { type: 'mesh' },
    expires: 60_000,
    ...(listenOnly !== undefined ? { listenOnly } : {}),
  });

const famedlyEntry = (listenOnly?: boolean) =>
  buildFamedlyEntry({
    deviceId: DEVICE,
    backend: { type: 'mesh' },
    callId: ROOM,
    expiresTs: T0 + 60_000,
    membershipId: 'session-1',
    ...(listenOnly !== undefined ? { listenOnly } : {}),
  });

describe('the walkie-talkie listen-only marker (org.matrix.msc4002.listen_only)', () => {
  it('is the unstable field name the protocol document gives', () => {
    expect(LISTEN_ONLY_FIELD).to.equal('org.matrix.msc4002.listen_only');
  });

  it("is written in Element's format by a listen-only join only, and read back", () => {
    const key = elementStateKey(USER, DEVICE);
    const marked = elementContent(true);
    expect(marked[LISTEN_ONLY_FIELD]).to.equal(true);
    expect(elementContent(false)).not.to.have.property(LISTEN_ONLY_FIELD);
    expect(elementContent()).not.to.have.property(LISTEN_ONLY_FIELD);

    const [listening] = memberships(stateEvent(ELEMENT_MEMBER_EVENT, key, marked));
    expect(listening!.listenOnly).to.equal(true);
    expect(countsAsInCall(listening!)).to.equal(false);
    const [inCall] = memberships(stateEvent(ELEMENT_MEMBER_EVENT, key, elementContent()));
    expect(inCall!.listenOnly).to.equal(false);
    expect(countsAsInCall(inCall!)).to.equal(true);
  });

  it("is written in famedly's format per entry, and read per entry", () => {
    const other = { ...famedlyEntry(), device_id: 'BOBLAPTOP', membershipID: 'session-2' };
    const content = buildFamedlyContent({ memberships: [other] }, DEVICE, famedlyEntry(true));
    const read = memberships(stateEvent(FAMEDLY_MEMBER_EVENT, famedlyStateKey(USER, DEVICE), content));
    expect(read.map((m) => [m.deviceId, m.listenOnly])).to.deep.equal([
      ['BOBLAPTOP', false],
      [DEVICE, true],
    ]);
    expect(famedlyEntry(false)).not.to.have.property(LISTEN_ONLY_FIELD);
  });

  it('leaves a membership without the marker, or with a marker that is not true, in the call', () => {
    const key = elementStateKey(USER, DEVICE);
    for (const value of [false, 'true', 1, null, {}]) {
      const [m] = memberships(
        stateEvent(ELEMENT_MEMBER_EVENT, key, { ...elementContent(), [LISTEN_ONLY_FIELD]: value }),
      );
      expect(m!.listenOnly, JSON.stringify(value)).to.equal(false);
    }
    const [famedly] = memberships(
      stateEvent(FAMEDLY_MEMBER_EVENT, USER, {
        memberships: [{ ...famedlyEntry(), [LISTEN_ONLY_FIELD]: 'yes' }],
      }),
    );
    expect(famedly!.listenOnly).to.equal(false);
  });

  it('reads the legacy memberships[] form (which the kit never writes) as not listen-only', () => {
    const [legacy] = memberships(
      stateEvent(ELEMENT_MEMBER_EVENT, USER, {
        memberships: [
          {
            application: 'm.call',
            call_id: '',
            scope: 'm.room',
            device_id: DEVICE,
            membershipID: 'legacy-1',
            expires: 60_000,
            foci_active: [{ type: 'mesh' }],
            [LISTEN_ONLY_FIELD]: true,
          },
        ],
      }),
    );
    expect(legacy!.format).to.equal('element-legacy');
    expect(legacy!.listenOnly).to.equal(false);
  });
});
