/**
 * Trust: a membership counts only while its user is joined to the room. A kicked, banned or departed
 * user's call membership state stays in the room (nobody else can clear it), so without this check
 * they keep their mesh legs, newcomers call them, and on the SFU they receive rotated keys. The
 * MembershipSet reads m.room.member state and follows its changes (src/group/membership-set.ts).
 */
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import { MembershipSet } from '../../src/group/membership-set.js';
import {
  buildElementMembership,
  elementStateKey,
} from '../../src/signalling/membership/element-membership.js';
import { ELEMENT_MEMBER_EVENT } from '../../src/signalling/membership/event-types.js';
import { until } from '../support/demo-page.js';

const alice = '@alice:test.invalid';
const bob = '@bob:test.invalid';
const carol = '@carol:test.invalid';

function joinCall(hs: TestHomeserver, roomId: string, userId: string, deviceId: string): void {
  hs.sendState(
    roomId,
    userId,
    ELEMENT_MEMBER_EVENT,
    elementStateKey(userId, deviceId),
    buildElementMembership({ userId, deviceId, backend: { type: 'mesh' }, expires: 4 * 60 * 60 * 1000 }),
    deviceId,
  );
}

describe('memberships of users who are not joined to the room (adversarial)', () => {
  let hs: TestHomeserver;
  let roomId: string;
  let set: MembershipSet;

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    for (const user of [alice, bob, carol]) hs.addUser(user, { devices: ['D1'] });
    roomId = hs.createRoom({ creator: alice, members: [bob, carol] });
  });
  afterEach(() => set?.stop());

  async function startSet(): Promise<void> {
    const transport = new MemoryTransport(hs, { userId: alice, deviceId: 'D1', roomId });
    await transport.start([
      { kind: 'receive-state', type: 'm.room.member' },
      { kind: 'receive-state', type: ELEMENT_MEMBER_EVENT },
    ]);
    set = new MembershipSet({ transport });
    await set.start();
  }
  const users = () => set.memberships.map((m) => m.userId).sort();

  it('a member who is kicked drops out of the call at once, though their membership state stays', async () => {
    joinCall(hs, roomId, bob, 'D1');
    joinCall(hs, roomId, carol, 'D1');
    await startSet();
    expect(users()).to.deep.equal([bob, carol]);
    hs.leave(roomId, bob, alice);
    await until('Bob to drop out', () => !users().includes(bob));
    expect(users()).to.deep.equal([carol]);
    expect(hs.state(roomId, ELEMENT_MEMBER_EVENT, elementStateKey(bob, 'D1'))[0]?.content).to.not.deep.equal(
      {},
    );
  });

  it('a membership left behind by a user who had already left does not count from the start', async () => {
    joinCall(hs, roomId, bob, 'D1');
    joinCall(hs, roomId, carol, 'D1');
    hs.leave(roomId, carol);
    await startSet();
    expect(users()).to.deep.equal([bob]);
  });

  it('a user who rejoins the room counts again with their membership', async () => {
    joinCall(hs, roomId, bob, 'D1');
    hs.leave(roomId, bob);
    await startSet();
    expect(users()).to.deep.equal([]);
    hs.join(roomId, bob);
    await until('Bob to count again', () => users().includes(bob));
  });
});
