/**
 * Three WalkieTalkie engines over the homeserver double: one talker at a time, refusals, races that all
 * devices settle alike, and a talker that vanishes.
 */
import { expect } from '@open-wc/testing';
import { DEFAULT_FLOOR_TIMINGS } from '../../../src/ptt/floor-control.js';
import { FLOOR_RELEASE, FLOOR_REQUEST } from '../../../src/signalling/ptt/event-types.js';
import { KitMediaError } from '../../../src/media/media-error.js';
import { FakeClock } from '../../support/fake-clock.js';
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

describe('walkie-talkie floor', () => {
  let room: PttRoom;
  beforeEach(() => {
    room = new PttRoom();
  });
  afterEach(() => room.dispose());

  it('refuses a second talker while the first holds the floor, and grants it after the release', async () => {
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    const c = await room.device(CAROL, 'C');
    await everyoneOptedIn([a, b, c]);
    expect(a.microphone.streams.length, 'no microphone before a press').to.equal(0);

    a.engine.press();
    await waitFor(() => a.engine.view.floor === 'talking', 'Alice to talk');
    await waitFor(
      () =>
        [b, c].every((d) => d.engine.view.floor === 'listening' && d.engine.view.talker?.userId === ALICE),
      'Bob and Carol to hear Alice',
    );
    await waitFor(() => a.microphone.openTracks === 1, 'the press to open the microphone');
    expect(a.microphone.streams.length, 'one microphone').to.equal(1);

    b.engine.press();
    expect(b.engine.view.floor).to.equal('denied');
    await sleep(100);
    expect(room.sent(FLOOR_REQUEST, BOB), 'a refused press sends nothing').to.have.length(0);
    expect(b.microphone.streams.length, 'a refused press opens no microphone').to.equal(0);
    expect(talkerOf(a)).to.equal(`${ALICE}|A`);
    b.engine.release();

    a.engine.release();
    await waitFor(() => [a, b, c].every((d) => d.engine.view.floor === 'idle'), 'the floor to be free');
    await waitFor(() => a.microphone.openTracks === 0, "Alice's microphone to close after her release");

    b.engine.press();
    await waitFor(() => b.engine.view.floor === 'talking', 'Bob to talk');
    await waitFor(
      () => [a, c].every((d) => d.engine.view.talker?.userId === BOB && d.engine.view.floor === 'listening'),
      'Alice and Carol to hear Bob',
    );
    const bobClaim = b.engine.floorSnapshot.ownClaim!;
    expect(bobClaim.turn, "Bob's claim is for the next turn").to.equal(2);
    b.engine.release();
    await waitFor(() => [a, b, c].every((d) => d.engine.view.floor === 'idle'), 'the floor to be free again');
    const releases = room.sent(FLOOR_RELEASE).map((e) => (e.content as { reason: string }).reason);
    expect(releases).to.deep.equal(['done', 'done']);
  });

  it('settles simultaneous presses on the same single talker everywhere, trial after trial', async () => {
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    const c = await room.device(CAROL, 'C');
    const all = [a, b, c];
    await everyoneOptedIn(all);
    const winners = new Set<string>();
    const trials = 12;
    for (let trial = 0; trial < trials; trial++) {
      const [first, second] = trial % 2 === 0 ? [a, b] : [b, a];
      first.engine.press();
      second.engine.press();
      await waitFor(
        () =>
          all.every((d) => d.engine.floorSnapshot.turn === trial + 1 && talkerOf(d) !== 'none') &&
          new Set(all.map(talkerOf)).size === 1 &&
          [a, b].filter((d) => d.engine.view.floor === 'talking').length === 1 &&
          [a, b].filter((d) => d.engine.view.floor === 'denied').length === 1,
        `trial ${trial}: every device to name one talker`,
      );
      const talker = talkerOf(c);
      winners.add(talker);
      const talking = [a, b].find((d) => d.engine.view.floor === 'talking')!;
      expect(talkerOf(talking)).to.equal(`${talking.engine.self.userId}|${talking.engine.self.deviceId}`);
      expect(c.engine.view.floor).to.equal('listening');
      a.engine.release();
      b.engine.release();
      await waitFor(
        () => all.every((d) => d.engine.view.floor === 'idle'),
        `trial ${trial}: the floor to free`,
      );
    }
    // Both claims of every turn are in the room; the rule, not arrival order, picked the talker.
    expect(room.sent(FLOOR_REQUEST)).to.have.length(trials * 2);
    expect(winners.size).to.be.greaterThan(0);
    await Promise.all(all.map((d) => d.engine.settled()));
  });

  it('frees the floor within the silence limit when the talker vanishes from the fast path', async () => {
    const clock = new FakeClock(Date.now());
    const fast = new LoopbackFastPath();
    const a = await room.device(ALICE, 'A', { clock, fastPath: fast });
    const b = await room.device(BOB, 'B', { clock, fastPath: fast });
    const c = await room.device(CAROL, 'C', { clock, fastPath: fast });
    await everyoneOptedIn([a, b, c]);

    a.engine.press();
    await advance(clock, 500);
    expect(a.engine.view.floor).to.equal('talking');
    await advance(clock, 2_000); // heartbeats keep the claim alive
    for (const d of [b, c]) expect(d.engine.view.talker?.userId).to.equal(ALICE);

    vanish(a);
    const vanishedAt = clock.now();
    await waitForOnClock(
      clock,
      () => [b, c].every((d) => d.engine.view.floor === 'idle'),
      'the floor to free',
    );
    const freedAfter = clock.now() - vanishedAt;
    expect(freedAfter, 'freed by the silence rule').to.be.at.most(DEFAULT_FLOOR_TIMINGS.silenceMs + 500);
    const reasons = room.sent(FLOOR_RELEASE).map((e) => (e.content as { reason: string }).reason);
    expect(reasons).to.include('silent');
    expect(reasons).not.to.include('done');

    b.engine.press();
    await advance(clock, 500);
    expect(b.engine.view.floor).to.equal('talking');
    expect(c.engine.view.talker?.userId).to.equal(BOB);
    b.engine.release();
  });

  it('frees the floor at the maximum transmit time when only room events carry the floor', async () => {
    const clock = new FakeClock(Date.now());
    const timings = { maxTransmitMs: 10_000 };
    const a = await room.device(ALICE, 'A', { clock, engine: { timings } });
    const b = await room.device(BOB, 'B', { clock, engine: { timings } });
    const c = await room.device(CAROL, 'C', { clock, engine: { timings } });
    await everyoneOptedIn([a, b, c]);

    a.engine.press();
    await advance(clock, 500);
    await waitFor(
      () => [b, c].every((d) => d.engine.view.talker?.userId === ALICE),
      'Alice to hold the floor',
    );
    vanish(a);
    const vanishedAt = clock.now();
    await advance(clock, 5_000);
    expect(b.engine.view.talker?.userId, 'no silence judged without a fast path').to.equal(ALICE);
    await waitForOnClock(
      clock,
      () => [b, c].every((d) => d.engine.view.floor === 'idle'),
      'the floor to free',
    );
    expect(clock.now() - vanishedAt).to.be.at.most(10_000 + 2_000 + 500);
    const reasons = room.sent(FLOOR_RELEASE).map((e) => (e.content as { reason: string }).reason);
    expect(reasons).to.include('max_time');
  });

  it('ends its own transmission at the maximum transmit time and posts what it recorded', async () => {
    const clock = new FakeClock(Date.now());
    const timings = { maxTransmitMs: 2_000 };
    const a = await room.device(ALICE, 'A', { clock, engine: { timings } });
    const b = await room.device(BOB, 'B', { clock, engine: { timings } });
    await everyoneOptedIn([a, b]);
    a.engine.press();
    await advance(clock, 500);
    expect(a.engine.view.floor).to.equal('talking');
    expect(a.engine.view.floorEndsAt! - clock.now()).to.be.within(1, 2_000);
    await sleep(600); // real time for the recorder
    await advance(clock, 1_600);
    expect(a.engine.view.floor, 'still holding the button, but the floor is gone').to.equal('denied');
    await waitFor(() => b.engine.view.floor === 'idle', 'Bob to see the floor free');
    await a.engine.settled();
    await waitFor(() => room.sent('m.room.message', ALICE).length === 1, 'the voice message');
    const reasons = room.sent(FLOOR_RELEASE).map((e) => (e.content as { reason: string }).reason);
    expect(reasons).to.deep.equal(['max_time']);
    a.engine.release();
    expect(room.sent(FLOOR_RELEASE)).to.have.length(1);
  });

  it('tells the user in plain words when the microphone is refused, and gives the floor back', async () => {
    const denied = {
      getUserMedia: () =>
        Promise.reject(new KitMediaError('permission-denied', 'Microphone access was refused.')),
    };
    const a = await room.device(ALICE, 'A', { engine: { media: denied } });
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    a.engine.press();
    await waitFor(() => a.engine.error !== undefined, 'the error');
    expect(a.engine.error!.code).to.equal('permission-denied');
    expect(a.engine.error!.message).to.match(/refused/);
    await waitFor(
      () => b.engine.view.floor === 'idle' && room.sent(FLOOR_RELEASE).length === 1,
      'the floor back',
    );
    await sleep(100);
    expect(room.sent('m.room.message'), 'nothing recorded, nothing posted').to.have.length(0);
  });

  it('keeps a pre-warmed microphone open between presses only when asked to', async () => {
    const a = await room.device(ALICE, 'A', { engine: { prewarm: true } });
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    await waitFor(() => a.microphone.openTracks === 1, 'the pre-warmed microphone');
    expect(b.microphone.streams).to.have.length(0);
    a.engine.press();
    await waitFor(() => a.engine.view.floor === 'talking', 'Alice to talk');
    await sleep(300);
    a.engine.release();
    await a.engine.settled();
    expect(a.microphone.streams, 'the press reused it').to.have.length(1);
    expect(a.microphone.openTracks).to.equal(1);
    await a.engine.setOptIn(false);
    await waitFor(() => a.microphone.openTracks === 0, 'opting out to close it');
    expect(a.engine.view.floor).to.equal('off');
  });

  it('a device that starts later reads the floor history and claims the next turn at once', async () => {
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    for (let i = 0; i < 3; i++) {
      a.engine.press();
      await waitFor(() => a.engine.view.floor === 'talking', 'Alice to talk');
      a.engine.release();
      await waitFor(
        () => b.engine.floorSnapshot.turn === i + 1 && b.engine.view.floor === 'idle',
        'Bob to see the turn end',
      );
    }
    b.engine.press();
    await waitFor(() => a.engine.view.talker?.userId === BOB, 'Bob to hold the floor');
    const c = await room.device(CAROL, 'C');
    expect(c.engine.view.talker?.userId, 'the late device sees who talks').to.equal(BOB);
    expect(c.engine.floorSnapshot.turn).to.equal(4);
    b.engine.release();
    await waitFor(() => c.engine.view.floor === 'off' && c.engine.floorSnapshot.talker === undefined, 'free');
    await c.engine.setOptIn(true);
    c.engine.press();
    await waitFor(() => a.engine.view.talker?.userId === CAROL, 'Carol to hold the floor');
    expect(c.engine.floorSnapshot.ownClaim!.turn).to.equal(5);
    expect(
      room.sent(FLOOR_RELEASE).some((e) => (e.content as { reason: string }).reason === 'stale'),
    ).to.equal(false);
    c.engine.release();
  });

  it('drops a claim made in someone else’s name, with a reason, and keeps working', async () => {
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    await b.transport.sendRoomEvent(FLOOR_REQUEST, {
      turn: 1,
      ts: Date.now(),
      user_id: ALICE,
      device_id: 'A',
    });
    await waitFor(() => a.engine.rejected.length > 0, 'Alice to reject the forged claim');
    expect(a.engine.rejected[0]!.reason).to.match(/claimant/);
    expect(a.engine.view.floor).to.equal('idle');
    a.engine.press();
    await waitFor(() => a.engine.view.floor === 'talking', 'Alice to talk');
    a.engine.release();
  });
});

function vanish(device: Device): void {
  device.fastPath?.disconnect();
  device.transport.close();
  device.engine.close();
}

/** Moves the fake clock in small steps, giving the homeserver double's real-time delivery a turn after each. */
async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await clock.advance(Math.min(step, ms - done));
    await sleep(2);
  }
}

async function waitForOnClock(clock: FakeClock, condition: () => boolean, what: string, limitMs = 60_000) {
  const start = clock.now();
  while (!condition()) {
    if (clock.now() - start > limitMs) throw new Error(`${what}: not within ${limitMs} ms of fake time`);
    await advance(clock, 100);
  }
}
