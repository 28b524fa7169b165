// Leg signalling over test/support/to-device-hub.ts (a TEST DOUBLE of a homeserver's to-device delivery).
import { expect } from '@open-wc/testing';
import { MeshSignalling, type ReceivedLegEvent } from '../../../../src/group/mesh/mesh-signalling.js';
import { meshNeeds } from '../../../../src/group/mesh/mesh-needs.js';
import type { CallEvent } from '../../../../src/signalling/voip/types.js';
import { FakeClock, flushMicrotasks } from '../../../support/fake-clock.js';
import { ToDeviceHub } from '../../../support/to-device-hub.js';

const ROOM = '!room:x';
const ALICE = '@alice:x';
const BOB = '@bob:x';

function setup() {
  const clock = new FakeClock();
  const hub = new ToDeviceHub();
  const received: ReceivedLegEvent[] = [];
  const log: string[] = [];
  let bobSession: string | undefined = 'bob-session';
  const alice = new MeshSignalling({
    transport: hub.device(ALICE, 'A1', ROOM),
    clock,
    ownSessionId: () => 'alice-session',
    onEvent: () => undefined,
  });
  const bob = new MeshSignalling({
    transport: hub.device(BOB, 'B1', ROOM),
    clock,
    ownSessionId: () => bobSession,
    onEvent: (event) => received.push(event),
    log: (line) => log.push(line),
  });
  alice.start();
  bob.start();
  return {
    clock,
    hub,
    alice,
    received,
    log,
    setBobSession: (s: string | undefined) => (bobSession = s),
  };
}

const leg = (seq: number, over: Record<string, unknown> = {}) => ({
  device_id: 'A1',
  sender_session_id: 'alice-session',
  dest_session_id: 'bob-session',
  seq,
  room_id: ROOM,
  ...over,
});

const hangup = (seq: number, over: Record<string, unknown> = {}): CallEvent => ({
  kind: 'hangup',
  call_id: 'c1',
  party_id: 'A1',
  version: '1',
  reason: 'user_hangup',
  leg: leg(seq, over) as CallEvent['leg'] & object,
});

describe('mesh leg signalling', () => {
  it('sends a leg event encrypted to the one device at the other end, leg fields in the content', async () => {
    const { hub, alice, received } = setup();
    await alice.signallerFor({ userId: BOB, deviceId: 'B1' }).send(hangup(0));
    await flushMicrotasks();
    expect(hub.log).to.have.length(1);
    expect(hub.log[0]!.to).to.equal(`${BOB}|B1`);
    expect(hub.log[0]!.event.type).to.equal('m.call.hangup');
    expect(hub.log[0]!.event.encrypted).to.equal(true);
    expect(hub.log[0]!.event.content).to.include({
      call_id: 'c1',
      device_id: 'A1',
      sender_session_id: 'alice-session',
      dest_session_id: 'bob-session',
      seq: 0,
      room_id: ROOM,
    });
    expect(received).to.have.length(1);
    expect(received[0]!.sender).to.equal(ALICE);
    expect(received[0]!.event.kind).to.equal('hangup');
    expect(received[0]!.event.leg.device_id).to.equal('A1');
  });

  it('keeps only events of this room addressed to this device’s current session', async () => {
    const { hub, received, log, setBobSession } = setup();
    const deliver = (content: object, type = 'm.call.hangup') =>
      hub.deliver(`${ALICE}|A1`, `${BOB}|B1`, { type, sender: ALICE, content, encrypted: true });
    const base = { call_id: 'c1', party_id: 'A1', version: '1', reason: 'user_hangup' };
    deliver({ ...base, ...leg(0, { dest_session_id: 'an-old-session' }) });
    deliver({ ...base, ...leg(0, { room_id: '!other:x' }) });
    deliver({ ...base }); // no leg fields: a room-style event over to-device
    deliver({ ...base, ...leg(0), seq: -1 });
    deliver({ ...base, ...leg(0) }, 'm.room.message');
    await flushMicrotasks();
    expect(received).to.deep.equal([]);
    expect(log.join('\n'))
      .to.match(/an-old-session/)
      .and.match(/needs device_id/)
      .and.match(/seq/);
    setBobSession(undefined);
    deliver({ ...base, ...leg(0) });
    await flushMicrotasks();
    expect(received).to.deep.equal([]);
    setBobSession('bob-session');
    deliver({ ...base, ...leg(0) });
    await flushMicrotasks();
    expect(received).to.have.length(1);
  });

  it('puts each call’s events back in seq order before handing them on', async () => {
    const { hub, received, clock } = setup();
    const deliver = (seq: number, callId = 'c1') =>
      hub.deliver(`${ALICE}|A1`, `${BOB}|B1`, {
        type: 'm.call.candidates',
        sender: ALICE,
        content: {
          call_id: callId,
          party_id: 'A1',
          version: '1',
          candidates: [{ candidate: '' }],
          ...leg(seq),
        },
        encrypted: true,
      });
    deliver(2);
    deliver(0, 'c2');
    deliver(1);
    await flushMicrotasks();
    expect(received.map((r) => `${r.event.call_id}:${r.event.leg.seq}`)).to.deep.equal(['c2:0']);
    deliver(0);
    await flushMicrotasks();
    expect(received.map((r) => `${r.event.call_id}:${r.event.leg.seq}`)).to.deep.equal([
      'c2:0',
      'c1:0',
      'c1:1',
      'c1:2',
    ]);
    // A gap that never fills is skipped after the wait.
    deliver(4);
    await clock.advance(1_000);
    expect(received.at(-1)!.event.leg.seq).to.equal(4);
  });

  it('asks for the membership state, m.call.* to-device both ways, and TURN', () => {
    const needs = meshNeeds({ userId: ALICE, deviceId: 'A1' });
    const kinds = (kind: string) =>
      needs.filter((n) => n.kind === kind).map((n) => ('type' in n ? n.type : n.kind));
    expect(kinds('send-to-device')).to.include.members([
      'm.call.invite',
      'm.call.candidates',
      'm.call.hangup',
    ]);
    expect(kinds('receive-to-device')).to.include.members([
      'm.call.invite',
      'm.call.answer',
      'm.call.sdp_stream_metadata_changed',
      'org.matrix.call.sdp_stream_metadata_changed',
    ]);
    expect(kinds('receive-state')).to.include('org.matrix.msc3401.call.member');
    expect(needs).to.deep.include({
      kind: 'send-state',
      type: 'org.matrix.msc3401.call.member',
      stateKey: `_${ALICE}_A1_m.call`,
    });
    expect(needs).to.deep.include({ kind: 'turn-servers' });
    expect(needs).to.deep.include({ kind: 'delayed-events' });
  });
});
