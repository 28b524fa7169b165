import { expect } from '@open-wc/testing';
import {
  ALICE,
  BOB,
  ControllerRoom,
  connectCall,
  findCall,
  ringing,
  waitForCall,
  waitForMediaBytes,
  type Side,
} from './controller-room.js';

describe('CallController: a 1:1 call between two controllers', () => {
  let room: ControllerRoom;
  let alice: Side;
  let bob: Side;

  beforeEach(async () => {
    room = new ControllerRoom();
    alice = await room.side(ALICE, 'ALICEDEVICE');
    bob = await room.side(BOB, 'BOBDEVICE');
  });
  afterEach(() => room.dispose());

  it('starts ready in a two-person private room', () => {
    const snapshot = alice.controller.snapshot;
    expect(snapshot.status).to.equal('ready');
    expect(snapshot.error).to.equal(undefined);
    expect(snapshot.self).to.deep.equal({ userId: ALICE, deviceId: 'ALICEDEVICE' });
    expect(snapshot.room.canCall).to.equal(true);
    expect(snapshot.room.isPublic).to.equal(false);
    expect(snapshot.room.members.map((m) => m.userId).sort()).to.deep.equal([ALICE, BOB]);
    expect(Object.isFrozen(snapshot)).to.equal(true);
  });

  it('places a video call that the other side answers, with media bytes flowing both ways', async () => {
    const changes: unknown[] = [];
    alice.controller.addEventListener('change', () => changes.push(alice.controller.snapshot));
    const callId = await connectCall(alice, bob, 'video');

    const aliceCall = findCall(alice, (c) => c.id === callId)!;
    const bobCall = findCall(bob, (c) => c.id === callId)!;
    expect(aliceCall.direction).to.equal('outgoing');
    expect(bobCall.direction).to.equal('incoming');
    expect(aliceCall.peer.userId).to.equal(BOB);
    expect(bobCall.peer.userId).to.equal(ALICE);
    expect(aliceCall.kind).to.equal('video');
    expect(aliceCall.connectedAt).to.be.a('number');
    expect(await waitForMediaBytes(alice, callId, 'at Alice')).to.be.greaterThan(0);
    expect(await waitForMediaBytes(bob, callId, 'at Bob')).to.be.greaterThan(0);
    await waitForCall(alice, (c) => c.id === callId && c.remoteStreams.length > 0, 'Bob’s stream at Alice');
    await waitForCall(bob, (c) => c.id === callId && c.remoteStreams.length > 0, 'Alice’s stream at Bob');
    expect(findCall(alice, (c) => c.id === callId)!.localStreams[0]!.purpose).to.equal('m.usermedia');

    // Every change replaced the snapshot.
    expect(new Set(changes).size).to.equal(changes.length);
    expect(changes.length).to.be.greaterThan(2);
    // One invite, one answer on the wire, and the server holds both.
    expect(room.sent('m.call.invite', ALICE)).to.have.length(1);
    expect(room.sent('m.call.answer', BOB)).to.have.length(1);
  });

  it('hangs up from the caller: both sides end with user_hangup', async () => {
    const callId = await connectCall(alice, bob);
    await alice.controller.hangup(callId);
    const bobEnded = await waitForCall(
      bob,
      (c) => c.id === callId && c.state === 'ended',
      'Bob to see the end',
    );
    const aliceEnded = findCall(alice, (c) => c.id === callId)!;
    expect(aliceEnded.state).to.equal('ended');
    expect(aliceEnded.hangupReason).to.equal('user_hangup');
    expect(aliceEnded.hangupParty).to.equal('local');
    expect(bobEnded.hangupReason).to.equal('user_hangup');
    expect(bobEnded.hangupParty).to.equal('remote');
    expect(bobEnded.missed).to.equal(false);
  });

  it('hangs up from the callee', async () => {
    const callId = await connectCall(alice, bob, 'voice');
    await bob.controller.hangup(callId);
    const aliceEnded = await waitForCall(
      alice,
      (c) => c.id === callId && c.state === 'ended',
      'Alice to see the end',
    );
    expect(aliceEnded.hangupParty).to.equal('remote');
    expect(aliceEnded.hangupReason).to.equal('user_hangup');
    expect(findCall(bob, (c) => c.id === callId)!.hangupParty).to.equal('local');
  });

  it('rejects: the caller sees rejected, nobody sees a missed call', async () => {
    await alice.controller.placeCall('voice');
    const incoming = await waitForCall(bob, ringing, 'Bob to ring');
    await bob.controller.reject(incoming.id);
    const aliceEnded = await waitForCall(
      alice,
      (c) => c.id === incoming.id && c.state === 'ended',
      'Alice to see it',
    );
    expect(aliceEnded.hangupReason).to.equal('rejected');
    expect(aliceEnded.hangupParty).to.equal('remote');
    const bobEnded = findCall(bob, (c) => c.id === incoming.id)!;
    expect(bobEnded.hangupReason).to.equal('rejected');
    expect(bobEnded.missed).to.equal(false);
    expect(room.sent('m.call.reject', BOB)).to.have.length(1);
  });

  it('a call the caller gives up on while it rings is a missed call', async () => {
    await alice.controller.placeCall('voice');
    const incoming = await waitForCall(bob, ringing, 'Bob to ring');
    await alice.controller.hangup(incoming.id);
    const missed = await waitForCall(bob, (c) => c.id === incoming.id && c.state === 'ended', 'Bob to stop');
    expect(missed.missed).to.equal(true);
    expect(missed.hangupParty).to.equal('remote');
    expect(findCall(alice, (c) => c.id === incoming.id)!.missed).to.equal(false);
  });

  it('dismiss stops ringing here and sends nothing', async () => {
    await alice.controller.placeCall('voice');
    const incoming = await waitForCall(bob, ringing, 'Bob to ring');
    const eventsBefore = room.homeserver.timeline(room.roomId).length;
    bob.controller.dismiss(incoming.id);
    const dismissed = findCall(bob, (c) => c.id === incoming.id)!;
    expect(dismissed.state).to.equal('ended');
    expect(dismissed.hangupReason).to.equal('dismissed');
    expect(dismissed.missed).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bobSent = room.homeserver
      .timeline(room.roomId)
      .slice(eventsBefore)
      .filter((e) => e.sender === BOB);
    expect(bobSent).to.have.length(0);
    expect(findCall(alice, (c) => c.id === incoming.id)!.state).to.equal('inviting');
  });

  it('lists live calls first, then ended ones newest first, at most five ended', async () => {
    for (let i = 0; i < 7; i++) {
      await alice.controller.placeCall('voice');
      const incoming = await waitForCall(bob, ringing, `ring ${i}`);
      await bob.controller.reject(incoming.id);
      await waitForCall(alice, (c) => c.id === incoming.id && c.state === 'ended', `end ${i}`);
    }
    await alice.controller.placeCall('voice');
    const live = await waitForCall(bob, ringing, 'the last ring');
    const calls = alice.controller.snapshot.calls;
    expect(calls).to.have.length(6);
    expect(calls[0]!.id).to.equal(live.id);
    expect(calls[0]!.state).to.not.equal('ended');
    const endedAt = calls.slice(1).map((c) => c.endedAt!);
    expect(endedAt).to.deep.equal([...endedAt].sort((a, b) => b - a));
  });
});
