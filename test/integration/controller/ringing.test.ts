import { expect } from '@open-wc/testing';
import { FakeClock } from '../../support/fake-clock.js';
import {
  ALICE,
  BOB,
  ControllerRoom,
  callsOf,
  connectCall,
  findCall,
  ringing,
  waitForCall,
  waitForMediaBytes,
} from './controller-room.js';
import { inviteContent } from './raw-invite.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('CallController: ringing, timeouts and other devices', () => {
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  it('an unanswered invite times out on both sides and is a missed call for the callee', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE', {
      controller: { settings: { inviteLifetimeMs: 1500 } },
    });
    const bob = await room.side(BOB, 'BOBDEVICE');
    await alice.controller.placeCall('voice');
    const incoming = await waitForCall(bob, ringing, 'Bob to ring');
    expect(incoming.missed).to.equal(false);
    const aliceEnded = await waitForCall(alice, (c) => c.state === 'ended', 'Alice to give up', 5000);
    expect(aliceEnded.hangupReason).to.equal('invite_timeout');
    const bobEnded = await waitForCall(bob, (c) => c.state === 'ended', 'Bob to stop ringing', 5000);
    expect(bobEnded.hangupReason).to.equal('invite_timeout');
    expect(bobEnded.missed).to.equal(true);
    expect(bobEnded.direction).to.equal('incoming');
  });

  it('an invite sent before the widget started rings when read from the timeline, and connects', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    const bob = await room.side(BOB, 'BOBDEVICE', { start: false });
    await alice.controller.placeCall('video');
    await settle(); // the invite and first candidates are on the server before Bob's widget loads
    expect(callsOf(bob)).to.have.length(0);
    await bob.controller.start();
    const incoming = await waitForCall(bob, ringing, 'Bob to ring from the timeline');
    expect(incoming.peer.userId).to.equal(ALICE);
    await bob.controller.answer(incoming.id);
    await waitForCall(alice, (c) => c.id === incoming.id && c.state === 'connected', 'Alice connected');
    await waitForCall(bob, (c) => c.id === incoming.id && c.state === 'connected', 'Bob connected');
    expect(await waitForMediaBytes(bob, incoming.id, 'Bob')).to.be.greaterThan(0);
  });

  it('does not ring for timeline invites that ran out or were already ended', async () => {
    const clock = new FakeClock(Date.now());
    room = new ControllerRoom({ homeserver: { clock, delivery: 'microtask' } });
    room.homeserver.sendEvent(
      room.roomId,
      ALICE,
      'm.call.invite',
      await inviteContent('old', { lifetime: 60_000 }),
    );
    await clock.advance(61_000);
    room.homeserver.sendEvent(room.roomId, ALICE, 'm.call.invite', await inviteContent('hung-up'));
    room.homeserver.sendEvent(room.roomId, ALICE, 'm.call.hangup', {
      call_id: 'hung-up',
      party_id: 'OLDDEVICE',
      version: '1',
      reason: 'user_hangup',
    });
    room.homeserver.sendEvent(room.roomId, ALICE, 'm.call.invite', await inviteContent('fresh'));
    const bob = await room.side(BOB, 'BOBDEVICE');
    await settle();
    expect(callsOf(bob).map((c) => [c.id, c.state])).to.deep.equal([['fresh', 'ringing']]);
  });

  it('answered on my other device: this one stops ringing (answered_elsewhere), not missed', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    const phone = await room.side(BOB, 'BOBPHONE');
    const laptop = await room.side(BOB, 'BOBLAPTOP');
    await alice.controller.placeCall('voice');
    const onPhone = await waitForCall(phone, ringing, 'the phone to ring');
    await waitForCall(laptop, ringing, 'the laptop to ring');
    await phone.controller.answer(onPhone.id);
    const onLaptop = await waitForCall(laptop, (c) => c.state === 'ended', 'the laptop to stop ringing');
    expect(onLaptop.hangupReason).to.equal('answered_elsewhere');
    expect(onLaptop.missed).to.equal(false);
    await waitForCall(
      alice,
      (c) => c.id === onPhone.id && c.state === 'connected',
      'Alice connected to the phone',
    );
    await waitForCall(phone, (c) => c.id === onPhone.id && c.state === 'connected', 'the phone connected');
    expect(room.sent('m.call.answer', BOB)).to.have.length(1);
  });

  it('rejected on my other device: this one stops ringing (rejected_elsewhere)', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    const phone = await room.side(BOB, 'BOBPHONE');
    const laptop = await room.side(BOB, 'BOBLAPTOP');
    await alice.controller.placeCall('voice');
    const onPhone = await waitForCall(phone, ringing, 'the phone to ring');
    await waitForCall(laptop, ringing, 'the laptop to ring');
    await phone.controller.reject(onPhone.id);
    const onLaptop = await waitForCall(laptop, (c) => c.state === 'ended', 'the laptop to stop ringing');
    expect(onLaptop.hangupReason).to.equal('rejected_elsewhere');
    expect((await waitForCall(alice, (c) => c.state === 'ended', 'Alice')).hangupReason).to.equal('rejected');
  });

  it('my own invite from another device does not ring here', async () => {
    room = new ControllerRoom();
    await room.side(ALICE, 'ALICEDEVICE');
    const phone = await room.side(BOB, 'BOBPHONE');
    const laptop = await room.side(BOB, 'BOBLAPTOP');
    await phone.controller.placeCall('voice');
    await waitForCall(phone, (c) => c.state === 'inviting', 'the phone to invite');
    await settle();
    expect(callsOf(laptop)).to.have.length(0);
  });
});

describe('CallController: call waiting', () => {
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  async function busyAlice(settings = {}) {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE', { controller: { settings } });
    const phone = await room.side(BOB, 'BOBPHONE');
    const laptop = await room.side(BOB, 'BOBLAPTOP');
    const first = await connectCall(phone, alice, 'voice');
    await laptop.controller.placeCall('voice');
    return { alice, phone, laptop, first };
  }

  it('a second call while one is connected rings as waiting; answering it holds the first', async () => {
    const { alice, phone, first } = await busyAlice();
    const waiting = await waitForCall(alice, ringing, 'the second call to ring');
    expect(waiting.waiting).to.equal(true);
    expect(waiting.id).to.not.equal(first);
    expect(findCall(alice, (c) => c.id === first)!.state).to.equal('connected');
    await alice.controller.answer(waiting.id);
    await waitForCall(
      alice,
      (c) => c.id === waiting.id && c.state === 'connected',
      'the second call to connect',
    );
    expect(findCall(alice, (c) => c.id === first)!.onHold).to.equal(true);
    await waitForCall(phone, (c) => c.id === first && c.remoteOnHold, 'the first caller to hear the hold');
    // The call in use comes first in the list.
    expect(alice.controller.snapshot.calls[0]!.id).to.equal(waiting.id);
    // Resuming the first holds the second: one call talks at a time.
    await alice.controller.setHold(first, false);
    expect(findCall(alice, (c) => c.id === waiting.id)!.onHold).to.equal(true);
    expect(findCall(alice, (c) => c.id === first)!.onHold).to.equal(false);
  });

  it('with answerWaiting "hangup", answering ends the first call', async () => {
    const { alice, phone, first } = await busyAlice({ answerWaiting: 'hangup' });
    const waiting = await waitForCall(alice, ringing, 'the second call to ring');
    await alice.controller.answer(waiting.id);
    const ended = await waitForCall(
      phone,
      (c) => c.id === first && c.state === 'ended',
      'the first call to end',
    );
    expect(ended.hangupParty).to.equal('remote');
  });

  it('with declineWhileBusy the second call is turned down at once with user_busy', async () => {
    const { alice, laptop, first } = await busyAlice({ declineWhileBusy: true });
    const declined = await waitForCall(laptop, (c) => c.state === 'ended', 'the second caller to hear busy');
    expect(declined.hangupReason).to.equal('user_busy');
    expect(declined.hangupParty).to.equal('remote');
    expect(callsOf(alice).some((c) => c.state === 'ringing')).to.equal(false);
    expect(findCall(alice, (c) => c.id === first)!.state).to.equal('connected');
    const hangups = room.sent('m.call.hangup', ALICE).map((e) => (e.content as { reason?: string }).reason);
    expect(hangups).to.deep.equal(['user_busy']);
  });

  it('a waiting call rings plainly once the first call ends', async () => {
    const { alice, first } = await busyAlice();
    const waiting = await waitForCall(alice, ringing, 'the second call to ring');
    expect(waiting.waiting).to.equal(true);
    await alice.controller.hangup(first);
    await waitForCall(
      alice,
      (c) => c.id === waiting.id && !c.waiting && c.state === 'ringing',
      'plain ringing',
    );
  });
});
