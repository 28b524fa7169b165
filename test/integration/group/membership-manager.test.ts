// Membership manager over the in-memory homeserver TEST DOUBLE (demo/host/homeserver.ts), with a fake
// clock driving both the server's delayed events and the manager's timers.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import {
  MembershipManager,
  membershipNeeds,
  type MembershipManagerOptions,
} from '../../../src/group/membership-manager.js';
import { DEFAULT_MEMBERSHIP_TIMINGS } from '../../../src/group/membership-timings.js';
import {
  ELEMENT_MEMBER_EVENT,
  FAMEDLY_MEMBER_EVENT,
  parseMembershipEvent,
} from '../../../src/signalling/membership/index.js';
import type { Need } from '../../../src/transport/transport.js';
import { FakeClock, flushMicrotasks } from '../../support/fake-clock.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const MINUTE = 60_000;

interface Device {
  transport: MemoryTransport;
  manager: MembershipManager;
  log: string[];
}

function setup() {
  const clock = new FakeClock();
  const hs = new TestHomeserver({ clock });
  const roomId = hs.createRoom({ creator: ALICE, members: [BOB] });
  const devices: Device[] = [];

  async function device(
    userId: string,
    deviceId: string,
    options: Partial<MembershipManagerOptions> & { deny?: Need[] } = {},
  ): Promise<Device> {
    const { deny, ...managerOptions } = options;
    const transport = new MemoryTransport(hs, { userId, deviceId, roomId, ...(deny ? { deny } : {}) });
    await transport.start(membershipNeeds(transport, managerOptions));
    const log: string[] = [];
    const manager = new MembershipManager({
      transport,
      backend: { type: 'mesh' },
      clock,
      log: (line) => log.push(line),
      ...managerOptions,
    });
    await manager.start();
    const d = { transport, manager, log };
    devices.push(d);
    return d;
  }

  /** The page goes away without leaving: no more timers, no more transport. */
  function vanish(d: Device) {
    d.manager.dispose();
    d.transport.close();
  }

  const state = (type: string, stateKey: string) => hs.state(roomId, type, stateKey)[0];
  const devicesIn = (d: Device) => d.manager.memberships.map((m) => `${m.userId}/${m.deviceId}`);

  return { clock, hs, roomId, device, vanish, state, devicesIn, devices };
}

const settle = () => flushMicrotasks(200);
const NO_DELAYED: Need[] = [{ kind: 'delayed-events' }];

describe('MembershipManager (Element Call format)', () => {
  it('join writes the membership at _@user_DEVICE_m.call, guarded by a delayed leave', async () => {
    const { hs, device, state, devicesIn } = setup();
    const alice = await device(ALICE, 'ALICEDEV', { callIntent: 'video' });
    const bob = await device(BOB, 'BOBDEV');
    await alice.manager.join();
    await settle();

    const event = state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`);
    expect(event, 'membership state event').to.not.equal(undefined);
    expect(event!.content).to.deep.equal({
      application: 'm.call',
      call_id: '',
      scope: 'm.room',
      device_id: 'ALICEDEV',
      membershipID: `${ALICE}:ALICEDEV`,
      expires: DEFAULT_MEMBERSHIP_TIMINGS.expiryWithDelayedLeaveMs,
      focus_active: { type: 'mesh', focus_selection: 'oldest_membership' },
      foci_preferred: [{ type: 'mesh' }],
      'm.call.intent': 'video',
    });
    const delayed = hs.delayedEvents();
    expect(delayed).to.have.length(1);
    expect(delayed[0]).to.include({
      type: ELEMENT_MEMBER_EVENT,
      stateKey: `_${ALICE}_ALICEDEV_m.call`,
      delayMs: 8000,
    });
    expect(delayed[0]!.content).to.deep.equal({});
    expect(alice.manager.delayedLeave).to.equal('active');
    expect(alice.manager.ownEventId).to.equal(event!.event_id);

    expect(devicesIn(bob)).to.deep.equal([`${ALICE}/ALICEDEV`]);
    expect(devicesIn(alice)).to.deep.equal([`${ALICE}/ALICEDEV`]);
    expect(alice.manager.ownMembership?.createdTs).to.equal(event!.origin_server_ts);
    expect(Object.isFrozen(bob.manager.memberships)).to.equal(true);
  });

  it('notifies change listeners with a new immutable list on join and leave', async () => {
    const { device } = setup();
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    const seen: number[] = [];
    bob.manager.addEventListener('change', () => seen.push(bob.manager.memberships.length));
    const before = bob.manager.memberships;
    await alice.manager.join();
    await settle();
    expect(bob.manager.memberships).to.not.equal(before);
    await alice.manager.leave();
    await settle();
    expect(seen).to.deep.equal([1, 0]);
  });

  it('keeps the delayed leave alive while the device lives', async () => {
    const { clock, hs, device, devicesIn } = setup();
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    let changes = 0;
    bob.manager.addEventListener('change', () => changes++);
    await alice.manager.join();
    await clock.advance(10 * MINUTE);
    expect(devicesIn(bob)).to.deep.equal([`${ALICE}/ALICEDEV`]);
    expect(changes, 'one change (the join), no leave and rejoin').to.equal(1);
    expect(alice.log).to.deep.equal([]);
    const [pending] = hs.delayedEvents();
    expect(pending!.dueAt - clock.now()).to.be.greaterThan(2000);
  });

  it('leave clears the membership with {} and leaves no delayed event behind', async () => {
    const { hs, device, state, devicesIn } = setup();
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    await alice.manager.join();
    await settle();
    await alice.manager.leave();
    await settle();
    expect(state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`)!.content).to.deep.equal({});
    expect(hs.delayedEvents()).to.deep.equal([]);
    expect(devicesIn(bob)).to.deep.equal([]);
    expect(alice.manager.joined).to.equal(false);
  });

  it('a device that vanishes is removed by its delayed leave after 8 s', async () => {
    const { clock, device, vanish, devicesIn, state } = setup();
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    await alice.manager.join();
    await bob.manager.join();
    await clock.advance(30_000);
    expect(devicesIn(bob)).to.have.length(2);

    vanish(alice);
    await clock.advance(7_000);
    expect(devicesIn(bob), 'still within the delay').to.include(`${ALICE}/ALICEDEV`);
    await clock.advance(2_000);
    expect(devicesIn(bob)).to.deep.equal([`${BOB}/BOBDEV`]);
    expect(state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`)!.content).to.deep.equal({});
  });

  it('without delayed events: short expiry, refreshed before it lapses; a vanished device expires', async () => {
    const { clock, device, vanish, devicesIn, state } = setup();
    const alice = await device(ALICE, 'ALICEDEV', { deny: NO_DELAYED });
    const bob = await device(BOB, 'BOBDEV');
    await alice.manager.join();
    await settle();
    expect(alice.manager.delayedLeave).to.equal('unsupported');
    const first = state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`)!;
    const lifetime = DEFAULT_MEMBERSHIP_TIMINGS.expiryWithoutDelayedLeaveMs;
    expect((first.content as { expires: number }).expires).to.equal(lifetime);

    // Across three lifetimes the membership never lapses for Bob.
    for (let i = 0; i < 15; i++) {
      await clock.advance(MINUTE);
      expect(devicesIn(bob), `minute ${i + 1}`).to.include(`${ALICE}/ALICEDEV`);
    }
    const refreshed = state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`)!;
    expect(refreshed.event_id).to.not.equal(first.event_id);
    const content = refreshed.content as { created_ts: number; expires: number };
    expect(content.created_ts, 'created_ts keeps the first join').to.equal(first.origin_server_ts);
    expect(content.created_ts + content.expires).to.be.greaterThan(clock.now());
    expect(content.created_ts + content.expires).to.be.at.most(clock.now() + lifetime);

    vanish(alice);
    await clock.advance(lifetime);
    expect(devicesIn(bob), 'expired').to.deep.equal([]);
  });

  it('schedules a new delayed leave when the server lost the old one', async () => {
    const { clock, hs, device, vanish, devicesIn } = setup();
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    await alice.manager.join();
    await settle();
    const [lost] = hs.delayedEvents();
    hs.updateDelayedEvent(lost!.delayId, ALICE, 'cancel');
    await clock.advance(6_000);
    const now = hs.delayedEvents();
    expect(now).to.have.length(1);
    expect(now[0]!.delayId).to.not.equal(lost!.delayId);
    vanish(alice);
    await clock.advance(9_000);
    expect(devicesIn(bob)).to.deep.equal([]);
  });

  it('after a reload, start() clears the membership the previous page left (default)', async () => {
    const { clock, device, vanish, devicesIn, state } = setup();
    const before = await device(ALICE, 'ALICEDEV', { delayedLeave: false });
    const bob = await device(BOB, 'BOBDEV');
    await before.manager.join();
    await settle();
    vanish(before);
    await clock.advance(1_000);
    expect(devicesIn(bob)).to.deep.equal([`${ALICE}/ALICEDEV`]);

    const after = await device(ALICE, 'ALICEDEV', { delayedLeave: false });
    await settle();
    expect(state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`)!.content).to.deep.equal({});
    expect(devicesIn(bob)).to.deep.equal([]);
    expect(after.manager.joined).to.equal(false);
    expect(after.log.join('\n')).to.match(/clearing/);
  });

  it('after a reload, start() rejoins as a fresh session when asked, and stays joined past the old delayed leave', async () => {
    const { clock, hs, device, vanish, devicesIn, state } = setup();
    const before = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    await before.manager.join();
    await clock.advance(3_000);
    const oldSession = before.manager.ownMembership!.sessionId;
    vanish(before);
    await clock.advance(2_000);

    const after = await device(ALICE, 'ALICEDEV', { staleOwnMembership: 'rejoin' });
    await settle();
    expect(after.manager.joined).to.equal(true);
    const fresh = after.manager.ownMembership!;
    expect(fresh.sessionId).to.not.equal(oldSession);
    // The old page's delayed leave is still due on the server; the manager must come back after it.
    expect(hs.delayedEvents().length, 'old and new delayed leave').to.equal(2);
    await clock.advance(30_000);
    expect(devicesIn(bob)).to.deep.equal([`${ALICE}/ALICEDEV`]);
    const parsed = parseMembershipEvent(state(ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICEDEV_m.call`)!);
    expect(parsed.ok && parsed.value.memberships.length).to.equal(1);
  });

  it('ignores expired memberships it finds in the room', async () => {
    const { clock, hs, roomId, device, devicesIn } = setup();
    hs.sendState(roomId, ALICE, ELEMENT_MEMBER_EVENT, `_${ALICE}_OLD_m.call`, {
      application: 'm.call',
      call_id: '',
      scope: 'm.room',
      device_id: 'OLD',
      expires: 1000,
      focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
      foci_preferred: [],
    });
    await clock.advance(2000);
    const bob = await device(BOB, 'BOBDEV');
    expect(devicesIn(bob)).to.deep.equal([]);
  });
});

describe('MembershipManager (famedly format)', () => {
  it('writes com.famedly.call.member at the user id and keeps the user’s other devices', async () => {
    const { hs, roomId, device, state, devicesIn } = setup();
    const phone = await device(ALICE, 'PHONE', { format: 'famedly', newMembershipId: () => 'phone-session' });
    const laptop = await device(ALICE, 'LAPTOP', {
      format: 'famedly',
      newMembershipId: () => 'laptop-session',
    });
    const bob = await device(BOB, 'BOBDEV');
    await phone.manager.join();
    await settle();
    await laptop.manager.join();
    await settle();

    const content = state(FAMEDLY_MEMBER_EVENT, ALICE)!.content as {
      memberships: Array<Record<string, unknown>>;
    };
    expect(content.memberships.map((m) => m['device_id'])).to.deep.equal(['PHONE', 'LAPTOP']);
    expect(content.memberships[0]).to.include({
      call_id: roomId,
      membershipID: 'phone-session',
      scope: 'm.room',
    });
    expect(content.memberships[0]!['foci_active']).to.deep.equal([{ type: 'mesh' }]);
    expect(devicesIn(bob)).to.have.members([`${ALICE}/PHONE`, `${ALICE}/LAPTOP`]);
    expect(bob.manager.memberships.find((m) => m.deviceId === 'LAPTOP')!.sessionId).to.equal(
      'laptop-session',
    );

    await phone.manager.leave();
    await settle();
    const after = state(FAMEDLY_MEMBER_EVENT, ALICE)!.content as {
      memberships: Array<Record<string, unknown>>;
    };
    expect(after.memberships.map((m) => m['device_id'])).to.deep.equal(['LAPTOP']);
    expect(devicesIn(bob)).to.deep.equal([`${ALICE}/LAPTOP`]);
    expect(hs.delayedEvents().map((d) => d.sender)).to.deep.equal([ALICE]);
  });

  it('an Element-format kit and a famedly-format kit see each other', async () => {
    const { device, devicesIn } = setup();
    const alice = await device(ALICE, 'ALICEDEV', { format: 'famedly' });
    const bob = await device(BOB, 'BOBDEV');
    await alice.manager.join();
    await bob.manager.join();
    await settle();
    expect(devicesIn(alice)).to.have.members([`${ALICE}/ALICEDEV`, `${BOB}/BOBDEV`]);
    expect(devicesIn(bob)).to.have.members([`${ALICE}/ALICEDEV`, `${BOB}/BOBDEV`]);
  });
});
