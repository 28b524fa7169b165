import { expect } from '@open-wc/testing';
import { ALICE, BOB, CAROL, ControllerRoom, callsOf } from './controller-room.js';
import { inviteContent } from './raw-invite.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('CallController: calls only between two people, never in public rooms', () => {
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  it('refuses to place a call in a room of three, in plain words, and sends nothing', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    expect(alice.controller.snapshot.room.canCall).to.equal(false);
    expect(alice.controller.snapshot.room.members).to.have.length(3);
    await alice.controller.placeCall('voice');
    const snapshot = alice.controller.snapshot;
    expect(snapshot.status).to.equal('ready');
    expect(snapshot.error?.code).to.equal('not-two-person-room');
    expect(snapshot.error?.message).to.match(/exactly two people/);
    expect(snapshot.calls).to.have.length(0);
    expect(alice.media.userMediaRequests).to.have.length(0);
    expect(room.sent('m.call.invite')).to.have.length(0);
  });

  it('does not ring for an invite in a room of three', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const bob = await room.side(BOB, 'BOBDEVICE');
    room.homeserver.sendEvent(
      room.roomId,
      ALICE,
      'm.call.invite',
      await inviteContent('c3', { invitee: BOB }),
    );
    await settle();
    expect(callsOf(bob)).to.have.length(0);
  });

  it('refuses a public room and does not ring there', async () => {
    room = new ControllerRoom({ joinRule: 'public' });
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    const bob = await room.side(BOB, 'BOBDEVICE');
    expect(alice.controller.snapshot.room.isPublic).to.equal(true);
    expect(alice.controller.snapshot.room.canCall).to.equal(false);
    await alice.controller.placeCall('video');
    expect(alice.controller.snapshot.error?.code).to.equal('public-room');
    room.homeserver.sendEvent(room.roomId, ALICE, 'm.call.invite', await inviteContent('cp'));
    await settle();
    expect(callsOf(bob)).to.have.length(0);
    expect(room.sent('m.call.invite', ALICE)).to.have.length(1); // only the one the test put there
  });

  it('follows the room: a third person joining stops new calls, leaving allows them again', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    expect(alice.controller.snapshot.room.canCall).to.equal(true);
    room.homeserver.join(room.roomId, CAROL);
    await settle();
    expect(alice.controller.snapshot.room.canCall).to.equal(false);
    room.homeserver.leave(room.roomId, CAROL);
    await settle();
    expect(alice.controller.snapshot.room.canCall).to.equal(true);
  });

  it('ignores an invite addressed to someone else', async () => {
    room = new ControllerRoom();
    const bob = await room.side(BOB, 'BOBDEVICE');
    room.homeserver.sendEvent(
      room.roomId,
      ALICE,
      'm.call.invite',
      await inviteContent('c-other', { invitee: '@dave:test.invalid' }),
    );
    room.homeserver.sendEvent(
      room.roomId,
      ALICE,
      'm.call.invite',
      await inviteContent('c-bob', { invitee: BOB }),
    );
    await settle();
    expect(callsOf(bob).map((c) => c.id)).to.deep.equal(['c-bob']);
    expect(callsOf(bob)[0]!.state).to.equal('ringing');
  });
});

describe('CallController: a capability the host refuses', () => {
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  it('shows which capability was refused and why, without throwing', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE', {
      deny: [{ kind: 'send-event', type: 'm.call.invite' }],
    });
    const snapshot = alice.controller.snapshot;
    expect(snapshot.status).to.equal('error');
    expect(snapshot.error?.code).to.equal('capability-denied');
    expect(snapshot.error?.message).to.contain('sending m.call.invite events');
    expect(snapshot.error?.message).to.contain('to place, answer and hang up calls');
    await alice.controller.placeCall('voice');
    expect(room.sent('m.call.invite')).to.have.length(0);
  });

  it('names every refused capability in the detail', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE', {
      deny: [{ kind: 'read-timeline' }, { kind: 'receive-state', type: 'm.room.join_rules' }],
    });
    const error = alice.controller.snapshot.error!;
    expect(error.code).to.equal('capability-denied');
    expect(error.detail).to.contain('reading recent room events');
    expect(error.detail).to.contain('reading m.room.join_rules state');
    expect(error.detail).to.contain('public rooms');
  });
});
