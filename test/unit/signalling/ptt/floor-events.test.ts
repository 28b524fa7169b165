import { expect } from '@open-wc/testing';
import {
  buildFloorEvent,
  encodeFloorFrame,
  parseFloorEvent,
  parseFloorFrame,
  parseFloorRoomEvent,
  type FloorMessage,
} from '../../../../src/signalling/ptt/floor-events.js';
import { FLOOR_RELEASE, FLOOR_REQUEST } from '../../../../src/signalling/ptt/event-types.js';
import type { RawRoomEvent } from '../../../../src/transport/transport.js';

const alice = { userId: '@alice:example.org', deviceId: 'ALICE1' };
const claim = { turn: 3, userId: alice.userId, deviceId: alice.deviceId, ts: 1700000000000, maxMs: 30000 };

function roomEvent(type: string, content: unknown, sender = alice.userId): RawRoomEvent {
  return { type, content, sender, event_id: '$e', room_id: '!r:example.org', origin_server_ts: 1 };
}

describe('floor events', () => {
  it('round-trips request, heartbeat and release through the wire form', () => {
    const messages: FloorMessage[] = [
      { kind: 'request', claim },
      { kind: 'heartbeat', claim: { turn: 1, userId: alice.userId, deviceId: 'ALICE1', ts: 5 } },
      { kind: 'release', release: { turn: 3, userId: alice.userId, deviceId: 'ALICE1', reason: 'done' } },
      {
        kind: 'release',
        release: { turn: 3, userId: alice.userId, deviceId: 'ALICE1', reason: 'stale', currentTurn: 9 },
      },
    ];
    for (const message of messages) {
      const parsed = parseFloorFrame(encodeFloorFrame(message), alice);
      expect(parsed, JSON.stringify(message)).to.deep.equal({ ok: true, value: message });
    }
  });

  it('writes the documented field names', () => {
    const out = buildFloorEvent({ kind: 'request', claim });
    expect(out.type).to.equal(FLOOR_REQUEST);
    expect(out.content).to.deep.equal({
      turn: 3,
      user_id: '@alice:example.org',
      device_id: 'ALICE1',
      ts: 1700000000000,
      max_ms: 30000,
    });
  });

  it('rejects a claim that does not come from its claimant', () => {
    const { content } = buildFloorEvent({ kind: 'request', claim });
    const r1 = parseFloorRoomEvent(roomEvent(FLOOR_REQUEST, content, '@mallory:example.org'));
    expect(r1.ok).to.equal(false);
    const r2 = parseFloorEvent(FLOOR_REQUEST, content, { userId: alice.userId, deviceId: 'OTHER' });
    expect(r2).to.deep.equal({ ok: false, reason: 'a claim must come from its claimant' });
  });

  it('accepts revocations from anyone but done and yield only from the claimant', () => {
    const bob = { userId: '@bob:example.org' };
    const base = { turn: 3, user_id: alice.userId, device_id: 'ALICE1' };
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'silent' }, bob).ok).to.equal(true);
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'max_time' }, bob).ok).to.equal(true);
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'done' }, bob).ok).to.equal(false);
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'yield' }, bob).ok).to.equal(false);
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'stale' }, bob).ok).to.equal(false);
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'stale', current_turn: 3 }, bob).ok).to.equal(
      false,
    );
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'stale', current_turn: 4 }, bob).ok).to.equal(
      true,
    );
    expect(parseFloorEvent(FLOOR_RELEASE, { ...base, reason: 'whatever' }, bob).ok).to.equal(false);
  });

  it('rejects malformed fields with a reason and never throws', () => {
    const bad: unknown[] = [
      null,
      [],
      'x',
      { turn: 0, user_id: alice.userId, device_id: 'A', ts: 1 },
      { turn: 1.5, user_id: alice.userId, device_id: 'A', ts: 1 },
      { turn: 1, user_id: 'alice', device_id: 'A', ts: 1 },
      { turn: 1, user_id: alice.userId, device_id: '', ts: 1 },
      { turn: 1, user_id: alice.userId, device_id: 'A', ts: -1 },
      { turn: 1, user_id: alice.userId, device_id: 'A', ts: 1, max_ms: 0 },
      { turn: '1', user_id: alice.userId, device_id: 'A', ts: 1 },
    ];
    for (const content of bad) {
      const parsed = parseFloorEvent(FLOOR_REQUEST, content, { userId: alice.userId });
      expect(parsed.ok, JSON.stringify(content)).to.equal(false);
      if (!parsed.ok) expect(parsed.reason.length).to.be.greaterThan(0);
    }
    expect(parseFloorFrame('{not json', alice).ok).to.equal(false);
    expect(parseFloorFrame(new ArrayBuffer(3), alice).ok).to.equal(false);
    expect(parseFloorFrame('x'.repeat(5000), alice).ok).to.equal(false);
    expect(parseFloorFrame('{"type":"m.room.message","content":{}}', alice).ok).to.equal(false);
    expect(parseFloorRoomEvent({ ...roomEvent(FLOOR_REQUEST, {}), state_key: '' }).ok).to.equal(false);
  });
});
