/**
 * Races for the floor with optimistic talking (no collection window): three WalkieTalkie engines over the
 * homeserver double, with the loopback fast path test double between them, press at the same moment.
 * Each device talks at its own press and yields when it hears of a lesser claim of its turn. Checked: every
 * race ends with the same single talker on every device (100 of 100), the losers' cut audio is not kept,
 * and a listener that began playing a loser's voice switches to the winner's. Waits poll for conditions;
 * nothing here depends on timing.
 */
import { expect } from '@open-wc/testing';
import type { FloorClaim } from '../../../src/signalling/ptt/floor-events.js';
import type { FloorTimings } from '../../../src/ptt/floor-control.js';
import { FLOOR_REQUEST } from '../../../src/signalling/ptt/event-types.js';
import { claimKey, compareClaims } from '../../../src/ptt/claim-order.js';
import {
  ALICE,
  BOB,
  CAROL,
  LoopbackFastPath,
  PttRoom,
  everyoneOptedIn,
  sleep,
  talkerOf,
  waitFor,
  type Device,
} from './ptt-room.js';

const name = (d: Device) => `${d.engine.self.userId}|${d.engine.self.deviceId}`;

/** The claims of one turn as the room stored them. */
function claimsOfTurn(room: PttRoom, turn: number): FloorClaim[] {
  return room
    .sent(FLOOR_REQUEST)
    .map((e) => e.content as { turn: number; ts: number; user_id: string; device_id: string })
    .filter((c) => c.turn === turn)
    .map((c) => ({ turn: c.turn, ts: c.ts, userId: c.user_id, deviceId: c.device_id }));
}

describe('walkie-talkie races (optimistic talking)', function () {
  this.timeout(180_000);
  let room: PttRoom;
  afterEach(() => room.dispose());

  /** Alice, Bob and Carol, opted in, on both paths; engine timings as given. */
  async function three(timings: Partial<FloorTimings> = {}): Promise<Device[]> {
    room = new PttRoom();
    const fastPath = new LoopbackFastPath();
    // restMs 0: each race starts a fresh hold, so the per-user hold limit never refuses a press here.
    const engine = { timings: { restMs: 0, ...timings } };
    const all = [
      await room.device(ALICE, 'A', { fastPath, engine }),
      await room.device(BOB, 'B', { fastPath, engine }),
      await room.device(CAROL, 'C', { fastPath, engine }),
    ];
    await everyoneOptedIn(all);
    return all;
  }

  /** Holds back Bob's floor frames and floor room events until the returned function lets them go. */
  function holdFloorOf(bob: Device): () => Promise<void> {
    const heldFrames: string[] = [];
    const heldEvents: [string, object][] = [];
    let holding = true;
    const sendFrame = bob.fastPath!.sendFloorFrame.bind(bob.fastPath);
    bob.fastPath!.sendFloorFrame = (frame) => (holding ? void heldFrames.push(frame) : sendFrame(frame));
    const sendEvent = bob.transport.sendRoomEvent.bind(bob.transport);
    bob.transport.sendRoomEvent = async (type, content) => {
      if (holding && type.startsWith('org.matrix.msc4002.floor')) {
        heldEvents.push([type, content]);
        return { event_id: `$held${heldEvents.length}` };
      }
      return sendEvent(type, content);
    };
    return async () => {
      holding = false;
      for (const frame of heldFrames.splice(0)) sendFrame(frame);
      for (const [type, content] of heldEvents.splice(0)) await sendEvent(type, content);
    };
  }

  it('100 of 100 simultaneous presses by three devices end with one talker, the same on every device', async () => {
    const all = await three();
    const trials = 100;
    const winners = new Set<string>();
    for (let trial = 0; trial < trials; trial++) {
      const turn = trial + 1;
      // Rotate who presses first; all three press in the same task, each talking at its own press.
      for (let i = 0; i < all.length; i++) all[(trial + i) % all.length]!.engine.press();
      await waitFor(
        () =>
          claimsOfTurn(room, turn).length === 3 &&
          all.every((d) => d.engine.floorSnapshot.turn === turn) &&
          new Set(all.map(talkerOf)).size === 1,
        `race ${turn}: all three claims in the room and every device naming one talker`,
      );
      const winner = claimsOfTurn(room, turn).sort(compareClaims)[0]!;
      const expected = `${winner.userId}|${winner.deviceId}`;
      // Every device has all three claims once the room has them and each names one talker: that talker
      // must be the rule's winner, the only device talking; the others hold a refused button.
      await waitFor(() => all.every((d) => talkerOf(d) === expected), `race ${turn}: the rule's winner`);
      for (const d of all) {
        expect(d.engine.view.floor, `race ${turn}: ${name(d)}`).to.equal(
          name(d) === expected ? 'talking' : 'denied',
        );
      }
      winners.add(expected);
      for (const d of all) d.engine.release();
      await waitFor(
        () => all.every((d) => d.engine.view.floor === 'idle' && d.engine.floorSnapshot.turn === turn),
        `race ${turn}: the floor to free`,
      );
    }
    expect(room.sent(FLOOR_REQUEST)).to.have.length(trials * 3);
    expect(winners.size).to.be.greaterThan(0);
    await Promise.all(all.map((d) => d.engine.settled()));
  });

  it('does not keep the cut audio of a race lost within the race time, and keeps one lost later', async () => {
    for (const raceMs of [600_000, 0]) {
      const [alice, bob] = await three({ raceMs });
      // Bob presses first, so his claim wins, but Alice hears of it only once she has recorded something.
      const letGo = holdFloorOf(bob!);
      bob!.engine.press();
      await sleep(5); // Alice's press is later by the clock
      alice!.engine.press();
      expect(alice!.engine.view.floor, 'Alice talks at her press').to.equal('talking');
      await waitFor(() => alice!.microphone.openTracks === 1, 'Alice’s microphone to open');
      await sleep(300); // something to record
      await letGo();
      await waitFor(() => alice!.engine.view.floor === 'denied', 'Alice to yield to Bob');
      await sleep(300); // something for Bob to record
      alice!.engine.release();
      bob!.engine.release();
      await waitFor(() => room.sent('m.room.message').length >= 1, 'Bob’s voice message');
      await Promise.all([alice!, bob!].map((d) => d.engine.settled()));
      const senders = room.sent('m.room.message').map((e) => e.sender);
      if (raceMs > 0) expect(senders, 'lost within the race time: cut').to.deep.equal([BOB]);
      else expect([...senders].sort(), 'lost after the race time: kept').to.deep.equal([ALICE, BOB]);
      room.dispose();
    }
  });

  it('a listener that began playing a loser’s live voice switches to the winner’s', async () => {
    const [alice, bob, carol] = (await three()) as [Device, Device, Device];
    const all = [alice, bob, carol];
    // Bob presses first, so his claim wins, but his floor frames and room events are held back until
    // Carol plays Alice's live voice; his own live voice travels at once.
    const letGo = holdFloorOf(bob);
    bob.engine.press();
    await sleep(5); // Alice's press comes later by the clock, so it loses the rule
    alice.engine.press();
    const aliceKey = claimKey(alice.engine.floorSnapshot.ownClaim!);
    await waitFor(
      () => carol.playback.current?.kind === 'live' && carol.playback.current.key === aliceKey,
      'Carol to play Alice’s live voice',
    );
    await waitFor(() => bob.fastPath!.sendingTo.length === 2, 'Bob to send his live voice');

    await letGo();
    const bobKey = claimKey(bob.engine.floorSnapshot.ownClaim!);
    await waitFor(() => talkerOf(carol) === `${BOB}|B`, 'Carol to name Bob');
    await waitFor(
      () => carol.playback.current?.kind === 'live' && carol.playback.current.key === bobKey,
      'Carol to play Bob’s live voice, not a recording later',
    );
    expect(carol.playback.queuedFor(room.roomId), 'nothing deferred').to.equal(0);
    expect(alice.engine.view.floor).to.equal('denied');
    expect(talkerOf(alice)).to.equal(`${BOB}|B`);
    for (const d of all) d.engine.release();
    await waitFor(() => all.every((d) => d.engine.view.floor === 'idle'), 'the floor to free');
    expect(talkerOf(carol)).to.equal('none');
  });
});
