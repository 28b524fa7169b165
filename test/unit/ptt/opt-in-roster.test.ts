import { expect } from '@open-wc/testing';
import { OptInRoster } from '../../../src/ptt/opt-in-roster.js';
import { isOptionalWalkieTalkieNeed, walkieTalkieNeeds } from '../../../src/ptt/walkie-needs.js';
import { PTT_OPT_IN } from '../../../src/signalling/ptt/event-types.js';
import type { RawRoomEvent } from '../../../src/transport/transport.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';

function optIn(
  sender: string,
  device: string,
  content: object,
  stateKey = `_${sender}_${device}`,
): RawRoomEvent {
  return {
    type: PTT_OPT_IN,
    sender,
    state_key: stateKey,
    content,
    event_id: `$${Math.random()}`,
    room_id: '!r:test.invalid',
    origin_server_ts: 0,
  };
}

describe('OptInRoster', () => {
  it('counts valid receivers and senders, and drops them at expiry or opt-out', () => {
    const roster = new OptInRoster();
    roster.apply(optIn(ALICE, 'A', { device_id: 'A', receive: true, send: true }));
    roster.apply(optIn(BOB, 'B', { device_id: 'B', receive: true, send: false, expires_ts: 1_000 }));
    expect(roster.receivers(500).map((d) => d.userId)).to.deep.equal([ALICE, BOB]);
    expect(roster.canSend({ userId: BOB, deviceId: 'B' }, 500)).to.equal(false);
    expect(roster.canSend({ userId: ALICE, deviceId: 'A' }, 500)).to.equal(true);
    expect(roster.nextExpiry(500)).to.equal(1_000);
    expect(roster.receivers(1_000).map((d) => d.userId)).to.deep.equal([ALICE]);
    expect(roster.nextExpiry(1_000)).to.equal(undefined);
    roster.apply(optIn(ALICE, 'A', {}));
    expect(roster.receivers(2_000)).to.deep.equal([]);
  });

  it('rejects an opt-in written for another user, with a reason, and keeps the old state', () => {
    const roster = new OptInRoster();
    roster.apply(optIn(ALICE, 'A', { device_id: 'A', receive: true }));
    const forged = roster.apply(optIn(BOB, 'A', {}, `_${ALICE}_A`));
    expect(forged.ok).to.equal(false);
    if (!forged.ok) expect(forged.reason).to.match(/state key/);
    expect(roster.canReceive({ userId: ALICE, deviceId: 'A' }, 0)).to.equal(true);
  });
});

describe('walkieTalkieNeeds', () => {
  it('asks for its own opt-in key, the floor and voice message types, uploads and encryption state', () => {
    const needs = walkieTalkieNeeds({ userId: ALICE, deviceId: 'A' });
    expect(needs).to.deep.include({ kind: 'send-state', type: PTT_OPT_IN, stateKey: `_${ALICE}_A` });
    expect(needs).to.deep.include({ kind: 'send-event', type: 'org.matrix.msc4002.floor.request' });
    expect(needs).to.deep.include({ kind: 'receive-event', type: 'm.room.message' });
    expect(needs).to.deep.include({ kind: 'receive-state', type: 'm.room.encryption' });
    expect(needs).to.deep.include({ kind: 'upload-file' });
    expect(needs.filter(isOptionalWalkieTalkieNeed).map((n) => n.kind)).to.have.members([
      'delayed-events',
      'read-timeline',
    ]);
  });
});
