import { expect } from '@open-wc/testing';
import type { CallKind } from '../../../src/snapshot.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';
import {
  ALICE,
  BOB,
  ControllerRoom,
  callsOf,
  waitForCall,
  waitForMediaBytes,
  type Side,
} from './controller-room.js';

/** Media that waits on its first request until released: a caller stuck in 'preparing'. */
class SlowFirstMedia extends RecordingMediaSource {
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  private first = true;

  override async getUserMedia(kind: CallKind): Promise<MediaStream> {
    if (this.first) {
      this.first = false;
      await this.gate;
    }
    return super.getUserMedia(kind);
  }

  open(): void {
    this.release();
  }
}

const live = (side: Side) => callsOf(side).filter((c) => c.state !== 'ended');

async function expectExactlyOneConnected(alice: Side, bob: Side, winner: string): Promise<void> {
  await waitForCall(
    alice,
    (c) => c.id === winner && c.state === 'connected',
    'Alice connected on the winner',
  );
  await waitForCall(bob, (c) => c.id === winner && c.state === 'connected', 'Bob connected on the winner');
  // Let any stray event land before counting.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(live(alice).map((c) => c.id)).to.deep.equal([winner]);
  expect(live(bob).map((c) => c.id)).to.deep.equal([winner]);
  expect(live(alice)[0]!.state).to.equal('connected');
  expect(live(bob)[0]!.state).to.equal('connected');
  expect(await waitForMediaBytes(alice, winner, 'Alice')).to.be.greaterThan(0);
  expect(await waitForMediaBytes(bob, winner, 'Bob')).to.be.greaterThan(0);
}

describe('CallController: glare', () => {
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  for (const lesser of ['alice', 'bob'] as const) {
    it(`both invites sent: the lesser call_id (${lesser}'s) wins and the other is replaced`, async () => {
      room = new ControllerRoom();
      const aliceId = lesser === 'alice' ? 'call-a' : 'call-z';
      const bobId = lesser === 'alice' ? 'call-z' : 'call-a';
      const alice = await room.side(ALICE, 'ALICEDEVICE', { controller: { newCallId: () => aliceId } });
      const bob = await room.side(BOB, 'BOBDEVICE', { controller: { newCallId: () => bobId } });
      alice.transport.hold();
      bob.transport.hold();
      await Promise.all([alice.controller.placeCall('video'), bob.controller.placeCall('video')]);
      await waitFor(
        () => room.sent('m.call.invite').length === 2,
        'both invites to reach the server before either side hears the other',
      );
      expect(callsOf(alice).map((c) => c.state)).to.deep.equal(['inviting']);
      expect(callsOf(bob).map((c) => c.state)).to.deep.equal(['inviting']);
      alice.transport.release();
      bob.transport.release();

      const winner = 'call-a';
      const loserSide = lesser === 'alice' ? bob : alice;
      const loserId = 'call-z';
      await expectExactlyOneConnected(alice, bob, winner);
      const replaced = callsOf(loserSide).find((c) => c.id === loserId)!;
      expect(replaced.state).to.equal('ended');
      expect(replaced.hangupReason).to.equal('replaced');
      // The winner's side never created a call for the loser's invite.
      const winnerSide = lesser === 'alice' ? alice : bob;
      expect(callsOf(winnerSide).some((c) => c.id === loserId)).to.equal(false);
      expect(room.sent('m.call.answer')).to.have.length(1);
      // The loser's invite went out, so it is withdrawn on the wire with reason 'replaced'.
      const loserUser = lesser === 'alice' ? BOB : ALICE;
      await waitFor(() => room.sent('m.call.hangup', loserUser).length === 1, "the loser's hangup");
      expect(room.sent('m.call.hangup', loserUser)[0]!.content).to.include({
        call_id: loserId,
        reason: 'replaced',
      });
      expect(live(alice).map((c) => c.id)).to.deep.equal([winner]);
    });
  }

  it('still preparing: the incoming invite replaces the call being placed, and no second invite goes out', async () => {
    room = new ControllerRoom();
    const slow = new SlowFirstMedia();
    const alice = await room.side(ALICE, 'ALICEDEVICE', { controller: { newCallId: () => 'call-z' } });
    const bob = await room.side(BOB, 'BOBDEVICE', { media: slow, controller: { newCallId: () => 'call-b' } });
    const bobPlacing = bob.controller.placeCall('voice');
    await waitForCall(bob, (c) => c.state === 'preparing', 'Bob preparing');
    await alice.controller.placeCall('video');
    // Alice's id is the greater one: without the preparing rule Bob's call would win.
    await waitForCall(bob, (c) => c.id === 'call-b' && c.state === 'ended', 'Bob’s own call replaced');
    expect(callsOf(bob).find((c) => c.id === 'call-b')!.hangupReason).to.equal('replaced');
    slow.open();
    await bobPlacing;
    await expectExactlyOneConnected(alice, bob, 'call-z');
    expect(room.sent('m.call.invite', BOB)).to.have.length(0);
    // No invite went out, so there is nothing to withdraw.
    expect(room.sent('m.call.hangup', BOB)).to.have.length(0);
    // Bob answers with the kind he was placing.
    expect(slow.userMediaRequests.at(-1)).to.equal('voice');
  });
});
