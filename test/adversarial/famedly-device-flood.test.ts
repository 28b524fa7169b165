/**
 * Trust: what one membership state event may claim. famedly's format lists all of a user's devices in
 * one event, each device a claim of the sender, and its created_ts (which decides who is "oldest" and
 * so who gets a mesh slot) is the sender's too. One event listing 64 fake devices filled the mesh limit
 * and ended real legs. Now one event counts for at most MAX_DEVICES_PER_EVENT live devices
 * (src/group/membership-set.ts), each entry's device must belong to the event's sender and state key,
 * and a device keeps the legs it has when newcomers arrive (src/group/mesh/leg-plan.ts).
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import { MAX_DEVICES_PER_EVENT, MembershipSet } from '../../src/group/membership-set.js';
import { planLegs, type PlannedLeg } from '../../src/group/mesh/leg-plan.js';
import { legKey, type MeshPeer } from '../../src/group/mesh/mesh-peer.js';
import { buildFamedlyEntry } from '../../src/signalling/membership/famedly-membership.js';
import { ELEMENT_MEMBER_EVENT, FAMEDLY_MEMBER_EVENT } from '../../src/signalling/membership/event-types.js';
import { until } from '../support/demo-page.js';
import { connectedMeshPair } from './mesh-pair.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';
const mallory = '@mallory:test.invalid';
const trudy = '@trudy:test.invalid';
const HOUR = 60 * 60 * 1000;

/** A famedly membership event whose entries claim `count` devices, all "oldest". */
function fakeDevices(roomId: string, count: number, prefix = 'FAKE') {
  return {
    memberships: Array.from({ length: count }, (_, i) =>
      buildFamedlyEntry({
        deviceId: `${prefix}${i}`,
        backend: { type: 'mesh' },
        callId: roomId,
        expiresTs: Date.now() + HOUR,
        membershipId: `m${i}`,
        createdTs: 1 + i,
      }),
    ),
  };
}

describe('membership events claiming many devices (adversarial)', () => {
  let hs: TestHomeserver;
  let roomId: string;
  const stops: Array<() => void> = [];

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    for (const user of [alice, bob, mallory, trudy]) hs.addUser(user, { devices: ['D1'] });
    roomId = hs.createRoom({ creator: alice, members: [bob, mallory, trudy] });
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  async function membershipSet(): Promise<MembershipSet> {
    const transport = new MemoryTransport(hs, { userId: alice, deviceId: 'D1', roomId });
    await transport.start([
      { kind: 'receive-state', type: 'm.room.member' },
      { kind: 'receive-state', type: FAMEDLY_MEMBER_EVENT },
      { kind: 'receive-state', type: ELEMENT_MEMBER_EVENT },
    ]);
    const set = new MembershipSet({ transport });
    await set.start();
    stops.push(() => set.stop());
    return set;
  }

  it('one famedly event listing 64 devices counts for at most a few of them', async () => {
    hs.sendState(roomId, mallory, FAMEDLY_MEMBER_EVENT, mallory, fakeDevices(roomId, 64));
    const set = await membershipSet();
    expect(set.memberships.length, 'devices counted').to.be.at.most(MAX_DEVICES_PER_EVENT);
    expect(set.memberships.length).to.be.greaterThan(0);
  });

  it('a device entry counts only under its own sender and state key', async () => {
    // famedly's per-device state key names one device: the event's other entries are not the key's.
    hs.sendState(roomId, mallory, FAMEDLY_MEMBER_EVENT, `${mallory}_FAKE0`, fakeDevices(roomId, 8));
    // Element's legacy per-user form under another user's state key.
    const legacy = {
      memberships: [
        {
          application: 'm.call',
          call_id: '',
          scope: 'm.room',
          device_id: 'LEGACY',
          membershipID: 'x',
          expires: HOUR,
          created_ts: Date.now(),
          foci_active: [{ type: 'mesh' }],
        },
      ],
    };
    hs.sendState(roomId, mallory, ELEMENT_MEMBER_EVENT, bob, legacy);
    const set = await membershipSet();
    expect(set.memberships.map((m) => `${m.userId}/${m.deviceId}`)).to.deep.equal([`${mallory}/FAKE0`]);
  });

  it('a leg already placed is never ended because older-looking devices appear past the limit', () => {
    const peer = (userId: string, deviceId: string): MeshPeer => ({ userId, deviceId, sessionId: 's' });
    const real = peer('@zed:x', 'Z1');
    const legs = new Map<string, PlannedLeg>([[legKey(real), { peer: real, destSessionId: 's' }]]);
    const fakes = Array.from({ length: 64 }, (_, i) => peer('@mallory:x', `F${i}`));
    const actions = planLegs({
      self: { userId: '@a:x', deviceId: 'A' },
      members: [...fakes, real],
      legs,
      limit: 8,
    });
    expect(actions.filter((a) => a.kind === 'end')).to.deep.equal([]);
    expect(actions.filter((a) => a.kind === 'place')).to.have.length(6);
  });

  it('a mesh call keeps its connected leg when two users claim 64 devices each', async () => {
    const pair = await connectedMeshPair(hs, roomId, { alice, bob });
    stops.push(() => pair.dispose());
    const { alice: a, legToBob, connected } = pair;
    const legBefore = legToBob()!.callId;

    hs.sendState(roomId, mallory, FAMEDLY_MEMBER_EVENT, mallory, fakeDevices(roomId, 64, 'M'));
    hs.sendState(roomId, trudy, FAMEDLY_MEMBER_EVENT, trudy, fakeDevices(roomId, 64, 'T'));
    await until('Alice to see the call over its limit', () => a.call.error?.code === 'group-call-full');
    expect(
      a.log.filter((l) => l.includes(`ending the leg to ${bob}`)),
      'legs to Bob ended',
    ).to.deep.equal([]);
    expect(legToBob()?.callId, 'the same leg to Bob').to.equal(legBefore);
    expect(connected(), `still connected; Alice's log: ${a.log.join(' / ')}`).to.equal(true);
    const fakesCounted = a.call.view.participants.filter((p) => p.userId === mallory).length;
    expect(fakesCounted, 'Mallory’s devices in the call').to.be.at.most(MAX_DEVICES_PER_EVENT);
  });
});
