import { expect } from '@open-wc/testing';
import { planLegs, membersWithinLimit, type PlannedLeg } from '../../../../src/group/mesh/leg-plan.js';
import { compareDevices, legKey, placesCallTo, type MeshPeer } from '../../../../src/group/mesh/mesh-peer.js';

const ALICE = '@alice:x';
const BOB = '@bob:x';
const CAROL = '@carol:x';
const peer = (userId: string, deviceId: string, sessionId = 's1'): MeshPeer => ({
  userId,
  deviceId,
  sessionId,
});
const legs = (...peers: MeshPeer[]) =>
  new Map<string, PlannedLeg>(peers.map((p) => [legKey(p), { peer: p, destSessionId: p.sessionId }]));

describe('mesh leg planning', () => {
  it('the lesser (user id, device id) pair places the call; a user with two devices orders by device', () => {
    expect(placesCallTo({ userId: ALICE, deviceId: 'Z' }, { userId: BOB, deviceId: 'A' })).to.equal(true);
    expect(placesCallTo({ userId: BOB, deviceId: 'A' }, { userId: ALICE, deviceId: 'Z' })).to.equal(false);
    expect(placesCallTo({ userId: ALICE, deviceId: 'A1' }, { userId: ALICE, deviceId: 'A2' })).to.equal(true);
    expect(placesCallTo({ userId: ALICE, deviceId: 'A2' }, { userId: ALICE, deviceId: 'A1' })).to.equal(
      false,
    );
    expect(compareDevices({ userId: ALICE, deviceId: 'A' }, { userId: ALICE, deviceId: 'A' })).to.equal(0);
    // Code unit order, not locale order: upper case before lower case.
    expect(placesCallTo({ userId: '@Zed:x', deviceId: 'D' }, { userId: '@adam:x', deviceId: 'D' })).to.equal(
      true,
    );
  });

  it('places legs only to greater devices and none to itself', () => {
    const actions = planLegs({
      self: { userId: BOB, deviceId: 'B1' },
      members: [peer(ALICE, 'A1'), peer(CAROL, 'C1'), peer(BOB, 'B2'), peer(BOB, 'B0')],
      legs: new Map(),
      limit: 8,
    });
    expect(actions).to.deep.equal([
      { kind: 'place', peer: peer(CAROL, 'C1') },
      { kind: 'place', peer: peer(BOB, 'B2') },
    ]);
  });

  it('keeps legs that match, and places nothing twice', () => {
    const carol = peer(CAROL, 'C1');
    expect(
      planLegs({ self: { userId: ALICE, deviceId: 'A1' }, members: [carol], legs: legs(carol), limit: 8 }),
    ).to.deep.equal([]);
  });

  it('ends the leg of a member that left, and of a member whose session changed (then places again)', () => {
    const bob = peer(BOB, 'B1', 'old');
    const carol = peer(CAROL, 'C1', 'old');
    const actions = planLegs({
      self: { userId: ALICE, deviceId: 'A1' },
      members: [peer(CAROL, 'C1', 'new')],
      legs: legs(bob, carol),
      limit: 8,
    });
    expect(actions).to.deep.equal([
      { kind: 'end', key: legKey(bob), reason: 'member-left' },
      { kind: 'end', key: legKey(carol), reason: 'session-changed' },
      { kind: 'place', peer: peer(CAROL, 'C1', 'new') },
    ]);
  });

  it('a callee ends a stale incoming leg but waits for the new invite', () => {
    const alice = peer(ALICE, 'A1', 'old');
    const actions = planLegs({
      self: { userId: CAROL, deviceId: 'C1' },
      members: [peer(ALICE, 'A1', 'new')],
      legs: legs(alice),
      limit: 8,
    });
    expect(actions).to.deep.equal([{ kind: 'end', key: legKey(alice), reason: 'session-changed' }]);
  });

  it('does not place to a device waiting for its retry', () => {
    const bob = peer(BOB, 'B1');
    const carol = peer(CAROL, 'C1');
    const actions = planLegs({
      self: { userId: ALICE, deviceId: 'A1' },
      members: [bob, carol],
      legs: new Map(),
      waitingForRetry: (key) => key === legKey(bob),
      limit: 8,
    });
    expect(actions).to.deep.equal([{ kind: 'place', peer: carol }]);
  });

  it('connects the oldest joinings up to the limit, and keeps the legs it has when older ones appear', () => {
    const members = ['B', 'C', 'D', 'E'].map((d) => peer(`@${d.toLowerCase()}:x`, d));
    expect(membersWithinLimit(members, 3).map((m) => m.deviceId)).to.deep.equal(['B', 'C']);
    expect(
      membersWithinLimit(members, 3, new Set([legKey(members[3]!)])).map((m) => m.deviceId),
    ).to.deep.equal(['B', 'E']);
    expect(membersWithinLimit(members, 0)).to.deep.equal([]);
    const actions = planLegs({
      self: { userId: '@a:x', deviceId: 'A' },
      members,
      legs: legs(members[3]!),
      limit: 3,
    });
    expect(actions).to.deep.equal([{ kind: 'place', peer: members[0] }]);
  });

  it('legs past the limit end as over-limit (the limit is smaller than the legs)', () => {
    const members = ['B', 'C', 'D'].map((d) => peer(`@${d.toLowerCase()}:x`, d));
    const actions = planLegs({
      self: { userId: '@a:x', deviceId: 'A' },
      members,
      legs: legs(...members),
      limit: 3,
    });
    expect(actions).to.deep.equal([{ kind: 'end', key: legKey(members[2]!), reason: 'over-limit' }]);
  });
});
