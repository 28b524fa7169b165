// Actions that must not run twice: a second answer or hang-up while the first runs does nothing
// twice on the wire, and the snapshot lists the running one so elements can disable its button.
import { expect } from '@open-wc/testing';
import { ALICE, BOB, ControllerRoom, findCall, ringing, waitForCall, type Side } from './controller-room.js';

describe('CallController: guarded actions run once at a time', () => {
  let room: ControllerRoom;
  let alice: Side;
  let bob: Side;

  beforeEach(async () => {
    room = new ControllerRoom();
    alice = await room.side(ALICE, 'ALICEDEVICE');
    bob = await room.side(BOB, 'BOBDEVICE');
  });
  afterEach(() => room.dispose());

  it('a double answer answers once, and is listed as pending while it runs', async () => {
    await alice.controller.placeCall('voice');
    const callId = (await waitForCall(bob, ringing, 'Bob rings')).id;
    const first = bob.controller.answer(callId, 'voice');
    const second = bob.controller.answer(callId, 'voice');
    expect(second === first, 'the second click gets the running answer').to.equal(true);
    expect(bob.controller.snapshot.pending).to.deep.equal([{ action: 'answer', callId }]);
    await Promise.all([first, second]);
    expect(bob.controller.snapshot.pending).to.deep.equal([]);
    await waitForCall(alice, (c) => c.id === callId && c.state === 'connected', 'Alice connected');
    expect(room.sent('m.call.answer', BOB)).to.have.length(1);
  });

  it('a double hang-up hangs up once', async () => {
    await alice.controller.placeCall('voice');
    const callId = (await waitForCall(bob, ringing, 'Bob rings')).id;
    await bob.controller.answer(callId, 'voice');
    await waitForCall(alice, (c) => c.id === callId && c.state === 'connected', 'Alice connected');
    const first = alice.controller.hangup(callId);
    const second = alice.controller.hangup(callId);
    expect(second === first).to.equal(true);
    expect(alice.controller.snapshot.pending).to.deep.equal([{ action: 'hangup', callId }]);
    await Promise.all([first, second]);
    await waitForCall(bob, (c) => c.id === callId && c.state === 'ended', 'Bob ended');
    expect(room.sent('m.call.hangup', ALICE)).to.have.length(1);
    expect(findCall(alice, (c) => c.id === callId)?.state).to.equal('ended');
  });
});
