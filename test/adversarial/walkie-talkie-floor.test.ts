/**
 * Trust: the walkie-talkie floor against hostile room members (docs/security.md, "The walkie-talkie
 * floor"). Engines run over the homeserver test double; the hostile side is a bare transport that writes
 * whatever floor events it likes, as a modified client could.
 */
import { expect } from '@open-wc/testing';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import { TURN_WINDOW } from '../../src/ptt/floor-control.js';
import { prepareVoiceMessage } from '../../src/ptt/voice-message.js';
import { walkieTalkieNeeds } from '../../src/ptt/walkie-needs.js';
import { FLOOR_RELEASE, FLOOR_REQUEST } from '../../src/signalling/ptt/event-types.js';
import { buildOptIn } from '../../src/signalling/ptt/opt-in.js';
import { FakeClock } from '../support/fake-clock.js';
import { until } from '../support/demo-page.js';
import { ALICE, BOB, CAROL, PttRoom, everyoneOptedIn, sleep, talkerOf } from '../integration/ptt/ptt-room.js';

/** A room member's client that writes raw floor events (no engine behind it). */
async function hostile(room: PttRoom, userId: string, deviceId: string, optIn: boolean) {
  const transport = new MemoryTransport(room.homeserver, { userId, deviceId, roomId: room.roomId });
  await transport.start(walkieTalkieNeeds({ userId, deviceId }));
  if (optIn) {
    const out = buildOptIn({ userId, deviceId, receive: true, send: true });
    await transport.sendStateEvent(out.type, out.stateKey, out.content);
  }
  return {
    transport,
    claim: (turn: number, ts = Date.now()) =>
      transport.sendRoomEvent(FLOOR_REQUEST, { turn, ts, user_id: userId, device_id: deviceId }),
    revoke: (claim: { turn: number; userId: string; deviceId: string }, reason: string, extra = {}) =>
      transport.sendRoomEvent(FLOOR_RELEASE, {
        turn: claim.turn,
        user_id: claim.userId,
        device_id: claim.deviceId,
        reason,
        ...extra,
      }),
  };
}

/** Moves the fake clock in small steps, giving the homeserver double's task delivery a turn after each. */
async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await clock.advance(Math.min(step, ms - done));
    await sleep(2);
  }
}

async function untilOnClock(clock: FakeClock, what: string, probe: () => boolean, limitMs = 60_000) {
  const start = clock.now();
  while (!probe()) {
    if (clock.now() - start > limitMs) throw new Error(`${what}: not within ${limitMs} ms of fake time`);
    await advance(clock, 100);
  }
}

const reasons = (d: { engine: { rejected: readonly { reason: string }[] } }) =>
  d.engine.rejected.map((r) => r.reason).join('\n');

describe('walkie-talkie floor against hostile members (adversarial)', () => {
  let room: PttRoom;
  beforeEach(() => {
    room = new PttRoom();
  });
  afterEach(() => room.dispose());

  it('refuses a claim from a device that never opted in to send, with a reason', async () => {
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    const carol = await hostile(room, CAROL, 'C', false);
    await carol.claim(1);
    await until('both to refuse the claim', () => [a, b].every((d) => /opt/.test(reasons(d))));
    for (const d of [a, b]) expect(d.engine.view.floor).to.equal('idle');
    a.engine.press();
    await until('Bob to hear Alice', () => b.engine.view.talker?.userId === ALICE);
    a.engine.release();
  });

  it('keeps the talker on the floor when others send silent, max_time or stale revocations', async () => {
    const a = await room.device(ALICE, 'A');
    const c = await room.device(CAROL, 'C');
    await everyoneOptedIn([a, c]);
    a.engine.press();
    await until('Alice to talk', () => a.engine.view.floor === 'talking' && talkerOf(c) === `${ALICE}|A`);
    const own = a.engine.floorSnapshot.ownClaim!;
    const optedIn = await hostile(room, BOB, 'EVIL', true);
    const stranger = await hostile(room, BOB, 'NOT-OPTED-IN', false);
    await optedIn.revoke(own, 'silent');
    await optedIn.revoke(own, 'max_time');
    await optedIn.revoke(own, 'stale', { current_turn: own.turn + 1 });
    await stranger.revoke(own, 'silent');
    await until('the revocations to be refused', () =>
      [a, c].every((d) => d.engine.rejected.filter((r) => r.type === FLOOR_RELEASE).length === 4),
    );
    expect(a.engine.view.floor, 'Alice still talks').to.equal('talking');
    expect(talkerOf(c), 'Carol still hears Alice').to.equal(`${ALICE}|A`);
    expect(c.engine.floorSnapshot.turn).to.equal(own.turn);
    await sleep(300); // something to record
    a.engine.release();
    await a.engine.settled();
    expect(room.sent('m.room.message', ALICE), 'her transmission is posted').to.have.length(1);
  });

  it('a claim sent again every ~32 s does not hold the floor past the maximum transmit time', async () => {
    const clock = new FakeClock(Date.now());
    const a = await room.device(ALICE, 'A', { clock });
    const c = await room.device(CAROL, 'C', { clock });
    await everyoneOptedIn([a, c]);
    const bob = await hostile(room, BOB, 'EVIL', true);
    await until('the opt-in to arrive', () => a.engine.listeners.length === 2);
    await bob.claim(1, clock.now());
    await until('Bob to hold the floor', () => [a, c].every((d) => d.engine.view.talker?.userId === BOB));
    await untilOnClock(clock, 'the floor to free at the limit', () =>
      [a, c].every((d) => d.engine.view.floor === 'idle'),
    );
    // The hostile client claims the next turn at once, and would again every ~32 s.
    await bob.claim(2, clock.now());
    await until('the new claim to arrive', () => [a, c].every((d) => d.engine.floorSnapshot.turn === 2));
    await advance(clock, 200);
    for (const d of [a, c])
      expect(d.engine.view.floor, 'his hold is over: the floor is free').to.equal('idle');
    a.engine.press();
    await advance(clock, 500);
    expect(a.engine.view.floor).to.equal('talking');
    await until('Carol to hear Alice', () => talkerOf(c) === `${ALICE}|A`);
    a.engine.release();
  });

  it("keeps a talker's transmission as a voice message when a higher claim takes the floor", async () => {
    const a = await room.device(ALICE, 'A');
    const c = await room.device(CAROL, 'C');
    await everyoneOptedIn([a, c]);
    const bob = await hostile(room, BOB, 'EVIL', true);
    await until('the opt-in to arrive', () => a.engine.listeners.length === 2);
    a.engine.press();
    await until('Alice to talk', () => a.engine.view.floor === 'talking');
    await sleep(300); // something to record
    await bob.claim(a.engine.floorSnapshot.turn + 1);
    await until('Alice to lose the floor', () => a.engine.view.floor === 'denied');
    await a.engine.settled();
    expect(room.sent('m.room.message', ALICE), 'what she said is posted').to.have.length(1);
    a.engine.release();
  });

  it('does not auto-play voice messages from users who never opted in', async () => {
    const a = await room.device(ALICE, 'A');
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    const carol = await hostile(room, CAROL, 'C', false);
    const post = async (transport: MemoryTransport) => {
      const content = await prepareVoiceMessage({
        recording: new Blob([new Uint8Array(64)], { type: 'audio/ogg' }),
        mimeType: 'audio/ogg',
        durationMs: 1000,
        encrypted: false,
        upload: (file) => transport.uploadFile(file),
      });
      await transport.sendRoomEvent('m.room.message', content);
    };
    await post(carol.transport);
    await post(b.transport);
    await until("Bob's voice message to play", () => a.sink.files.length >= 1);
    await sleep(50);
    expect(a.sink.files, "only Bob's plays").to.have.length(1);
    expect(a.engine.view.queuedRecordings).to.equal(0);
  });

  it('refuses turns beyond the window (Number.MAX_SAFE_INTEGER included) and keeps working', async () => {
    const a = await room.device(ALICE, 'A');
    const c = await room.device(CAROL, 'C');
    await everyoneOptedIn([a, c]);
    const bob = await hostile(room, BOB, 'EVIL', true);
    await until('the opt-in to arrive', () => [a, c].every((d) => d.engine.listeners.length === 2));
    const refusedTurns = (d: typeof a) => (reasons(d).match(/past the window/g) ?? []).length;
    await bob.claim(Number.MAX_SAFE_INTEGER); // before any turn is known: past the first-turn ceiling
    await until('the first to be refused', () => [a, c].every((d) => refusedTurns(d) === 1));
    const talkOnce = async (turn: number) => {
      a.engine.press();
      await until(`turn ${turn}: Carol to hear Alice`, () => talkerOf(c) === `${ALICE}|A`);
      expect(c.engine.floorSnapshot.turn).to.equal(turn);
      a.engine.release();
      await until('the floor to free', () => c.engine.view.floor === 'idle');
    };
    await talkOnce(1);
    await bob.claim(Number.MAX_SAFE_INTEGER);
    await bob.claim(1 + TURN_WINDOW + 1);
    await bob.revoke({ turn: 1, userId: ALICE, deviceId: 'A' }, 'stale', {
      current_turn: Number.MAX_SAFE_INTEGER,
    });
    await until('the three to be refused', () => [a, c].every((d) => refusedTurns(d) === 4));
    for (const d of [a, c]) {
      expect(d.engine.view.floor).to.equal('idle');
      expect(d.engine.floorSnapshot.turn).to.equal(1);
    }
    await talkOnce(2);
    // The window moves with the turn: its top is accepted.
    await bob.claim(2 + TURN_WINDOW);
    await until('the claim at the top of the window', () => talkerOf(c) === `${BOB}|EVIL`);
    expect(a.engine.floorSnapshot.turn).to.equal(2 + TURN_WINDOW);
  });
});

describe('the walkie-talkie microphone when the permission prompt answers late (adversarial)', () => {
  let room: PttRoom;
  let granted: MediaStream[];
  beforeEach(() => {
    room = new PttRoom();
    granted = [];
  });
  afterEach(() => {
    room.dispose();
    granted.forEach((s) => s.getTracks().forEach((t) => t.stop()));
  });

  /** A microphone whose permission prompt stays open until `answer()`: then a real fake-device stream. */
  function latePrompt() {
    const waiting: ((stream: MediaStream) => void)[] = [];
    return {
      media: { getUserMedia: () => new Promise<MediaStream>((resolve) => waiting.push(resolve)) },
      get asked() {
        return waiting.length;
      },
      answer: async () => {
        const resolve = waiting.shift();
        if (!resolve) throw new Error('nobody asked for the microphone');
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
        granted.push(stream);
        resolve(stream);
        return stream;
      },
    };
  }
  const allEnded = (stream: MediaStream) => stream.getTracks().every((t) => t.readyState === 'ended');

  it('a stream granted after the button was let go is stopped at once, and nothing is posted', async () => {
    const prompt = latePrompt();
    const a = await room.device(ALICE, 'A', { engine: { media: prompt.media } });
    const b = await room.device(BOB, 'B');
    await everyoneOptedIn([a, b]);
    a.engine.press();
    await until('the prompt', () => prompt.asked === 1);
    a.engine.release();
    const stream = await prompt.answer();
    await until('the late stream to be stopped', () => allEnded(stream));
    await a.engine.settled();
    expect(room.sent('m.room.message'), 'no voice message').to.have.length(0);
  });

  it('a stream granted after close() is stopped at once', async () => {
    const prompt = latePrompt();
    const a = await room.device(ALICE, 'A', { engine: { media: prompt.media } });
    await everyoneOptedIn([a]);
    a.engine.press();
    await until('the prompt', () => prompt.asked === 1);
    a.engine.close();
    const stream = await prompt.answer();
    await until('the late stream to be stopped', () => allEnded(stream));
  });

  it('a pre-warm stream granted after close() or after opting out is stopped at once', async () => {
    for (const leave of ['close', 'opt-out'] as const) {
      const prompt = latePrompt();
      const a = await room.device(ALICE, leave, { engine: { media: prompt.media, prewarm: true } });
      await a.engine.setOptIn(true);
      await until('the pre-warm prompt', () => prompt.asked === 1);
      if (leave === 'close') a.engine.close();
      else await a.engine.setOptIn(false);
      const stream = await prompt.answer();
      await until(`${leave}: the late stream to be stopped`, () => allEnded(stream));
    }
  });
});
