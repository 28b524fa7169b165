import { expect } from '@open-wc/testing';
import {
  FloorControl,
  DEFAULT_FLOOR_TIMINGS,
  MAX_FIRST_TURN,
  TURN_WINDOW,
} from '../../../src/ptt/floor-control.js';
import { FloorNetwork, talkerOf } from '../../support/floor-network.js';

const A = 0;
const B = 1;
const C = 2;
const names = ['@alice:example.org', '@bob:example.org', '@carol:example.org'];
const three = () => new FloorNetwork({ devices: 3, userOf: (i) => names[i]!, delay: () => 40 });

describe('FloorControl', () => {
  it('A talks, B is refused while A holds the floor, B gets it after A releases', () => {
    const net = three();
    net.press(A);
    expect(net.device(A).snapshot.floor, 'talking at the press: no collection window').to.equal('talking');
    net.advance(400);
    expect(net.device(A).snapshot.floor).to.equal('talking');
    expect(net.device(B).snapshot.floor).to.equal('listening');
    expect(net.device(C).snapshot.floor).to.equal('listening');
    expect(talkerOf(net.device(C))).to.equal('@alice:example.org/DEV0');

    const sentBefore = net.log.length;
    expect(net.press(B)).to.deep.equal([]); // refused locally: nothing goes out
    expect(net.device(B).snapshot.floor).to.equal('denied');
    net.advance(1000);
    expect(net.log.slice(sentBefore).every(([from]) => from === A)).to.equal(true); // only A's heartbeats
    expect(net.device(A).snapshot.floor).to.equal('talking');
    net.release(B);
    expect(net.device(B).snapshot.floor).to.equal('listening');

    net.release(A);
    net.advance(200);
    for (const i of [A, B, C]) expect(net.device(i).snapshot.floor).to.equal('idle');

    net.press(B);
    net.advance(400);
    expect(net.device(B).snapshot.floor).to.equal('talking');
    expect(net.device(A).snapshot.floor).to.equal('listening');
    expect(talkerOf(net.device(A))).to.equal('@bob:example.org/DEV1');
    expect(net.device(B).snapshot.turn).to.equal(2);
  });

  it('resolves a simultaneous press the same way everywhere: the earlier press wins', () => {
    const net = three();
    net.press(B);
    net.advance(10, 10);
    net.press(A); // later by 10 ms, so B wins even though @alice sorts first
    net.advance(500);
    expect(net.device(B).snapshot.floor).to.equal('talking');
    expect(net.device(A).snapshot.floor).to.equal('denied');
    expect(net.devices.map(talkerOf)).to.deep.equal(Array(3).fill('@bob:example.org/DEV1'));
  });

  it('talks at the press, and a lesser claim of the same turn that arrives later takes the floor back', () => {
    const net = three();
    net.press(B);
    net.advance(10, 10);
    net.press(A); // later by 10 ms: B's claim (40 ms on the way) beats A's, though A does not know it yet
    expect(net.device(A).snapshot.floor, 'optimistic: A talks before it hears of B').to.equal('talking');
    const sentBefore = net.log.filter(([from]) => from === A).length;
    net.advance(20, 10); // B's claim reaches A at 40 ms after B's press
    expect(net.device(A).snapshot.floor).to.equal('talking');
    net.advance(20, 10);
    expect(net.device(A).snapshot.floor, 'A yields within one trip of the claims').to.equal('denied');
    expect(net.log.filter(([from]) => from === A).length, 'yielding sends nothing').to.equal(sentBefore);
    net.advance(500);
    expect(net.devices.map(talkerOf)).to.deep.equal(Array(3).fill('@bob:example.org/DEV1'));
    expect(net.devices.filter((d) => d.snapshot.floor === 'talking')).to.have.length(1);
  });

  it('keeps a claimant requesting for the collection window when one is set (the old 300 ms window)', () => {
    const net = new FloorNetwork({
      devices: 3,
      userOf: (i) => names[i]!,
      delay: () => 40,
      timings: { collectionWindowMs: 300 },
    });
    net.press(A);
    expect(net.device(A).snapshot.floor).to.equal('requesting');
    expect(net.device(A).nextDeadline()).to.equal(net.now + 300);
    net.advance(250);
    expect(net.device(A).snapshot.floor).to.equal('requesting');
    expect(talkerOf(net.device(B)), 'the others name the claimant at once').to.equal(
      '@alice:example.org/DEV0',
    );
    net.advance(100);
    expect(net.device(A).snapshot.floor).to.equal('talking');
  });

  it('breaks a tie in press time by user id, then device id', () => {
    const net = three();
    net.press(C);
    net.press(B);
    net.advance(500);
    expect(net.devices.map(talkerOf)).to.deep.equal(Array(3).fill('@bob:example.org/DEV1'));
    expect(net.device(C).snapshot.floor).to.equal('denied');
  });

  it('a talker that loses a late race yields', () => {
    // B's claim reaches A only a second later (long after A went live and the race time passed).
    const net = new FloorNetwork({
      devices: 3,
      userOf: (i) => names[i]!,
      delay: (from, to) => (from === B && to === A ? 1000 : 20),
    });
    net.press(B);
    net.advance(5, 5);
    net.press(A);
    net.advance(400);
    expect(net.device(A).snapshot.floor).to.equal('talking');
    net.advance(800);
    expect(net.device(A).snapshot.floor).to.equal('denied');
    expect(net.devices.map(talkerOf)).to.deep.equal(Array(3).fill('@bob:example.org/DEV1'));
  });

  it('frees the floor within the silence bound when the talker vanishes', () => {
    const net = three();
    net.press(A);
    net.advance(2000);
    expect(net.device(B).snapshot.floor).to.equal('listening');
    net.vanished.add(A);
    const vanishedAt = net.now;
    let freedAt: number | undefined;
    while (net.now - vanishedAt < 10_000) {
      net.advance(50);
      if ([B, C].every((i) => net.device(i).snapshot.floor === 'idle')) {
        freedAt = net.now;
        break;
      }
    }
    expect(freedAt, 'floor never freed').to.not.equal(undefined);
    const bound = DEFAULT_FLOOR_TIMINGS.silenceMs + 40 + 50; // silence + one delivery + one tick step
    expect(freedAt! - vanishedAt).to.be.at.most(bound);
    expect(freedAt! - vanishedAt).to.be.at.least(DEFAULT_FLOOR_TIMINGS.silenceMs - 1000);
    // And B may now talk.
    net.press(B);
    net.advance(400);
    expect(net.device(B).snapshot.floor).to.equal('talking');
  });

  it("a talker cut off by silence does not take the others' word for it, and yields to the next claim", () => {
    const net = three();
    net.press(A);
    net.advance(500);
    net.drop = (from) => from === A; // A keeps talking, but nobody hears it
    net.advance(DEFAULT_FLOOR_TIMINGS.silenceMs + 500);
    expect(net.device(B).snapshot.floor).to.equal('idle');
    expect(net.devices.map(talkerOf)).to.deep.equal(['@alice:example.org/DEV0', 'none', 'none']);
    expect(net.device(A).snapshot.floor, 'a silent revocation of its own claim is not honoured').to.equal(
      'talking',
    );
    net.press(B);
    net.advance(400);
    expect(net.device(A).snapshot.floor, 'the higher turn beats its claim').to.equal('denied');
    expect(net.devices.map(talkerOf)).to.deep.equal(Array(3).fill('@bob:example.org/DEV1'));
  });

  it('enforces the maximum transmit time', () => {
    const maxTransmitMs = 5000;
    const net = new FloorNetwork({
      devices: 3,
      userOf: (i) => names[i]!,
      delay: () => 40,
      timings: { maxTransmitMs },
    });
    net.press(A);
    const pressedAt = net.now;
    net.advance(400);
    expect(net.device(A).snapshot.floorEndsAt).to.equal(pressedAt + maxTransmitMs);
    // B counts from when it heard the claim (the next 50 ms step after the 40 ms delivery).
    expect(net.device(B).snapshot.floorEndsAt).to.be.within(
      pressedAt + 40 + maxTransmitMs,
      pressedAt + 50 + maxTransmitMs,
    );
    net.advance(maxTransmitMs - 400 - 100);
    expect(net.device(A).snapshot.floor).to.equal('talking');
    net.advance(200);
    expect(net.device(A).snapshot.floor).to.equal('denied'); // still holding the button, but cut off
    const release = net.log.find(([, m]) => m.kind === 'release');
    expect(release?.[1]).to.deep.include({ kind: 'release' });
    expect(release?.[1].kind === 'release' && release[1].release.reason).to.equal('max_time');
    net.advance(100);
    expect(net.device(B).snapshot.floor).to.equal('idle');
  });

  it('listeners revoke a talker that ignores the maximum transmit time', () => {
    const maxTransmitMs = 3000;
    const net = new FloorNetwork({
      devices: 3,
      userOf: (i) => names[i]!,
      delay: () => 40,
      timings: { maxTransmitMs },
    });
    net.drop = (from, m) => from === A && m.kind === 'release';
    net.press(A);
    net.advance(maxTransmitMs + DEFAULT_FLOOR_TIMINGS.revokeGraceMs - 100);
    expect(net.device(B).snapshot.floor).to.equal('listening');
    net.advance(300);
    expect(net.device(B).snapshot.floor).to.equal('idle');
    expect(net.device(C).snapshot.floor).to.equal('idle');
  });

  it('catches up a device with stale knowledge after one press that nobody else takes', () => {
    const net = three();
    for (let round = 0; round < 4; round++) {
      net.press(A);
      net.advance(400);
      net.release(A);
      net.advance(100);
    }
    expect(net.device(B).snapshot.turn).to.equal(4);
    // A fresh device (a reload) with no history joins the fast path.
    const fresh = new FloorControl({
      self: { userId: '@dave:example.org', deviceId: 'DAVE' },
      now: () => net.now,
    });
    net.devices.push(fresh);
    net.press(3);
    net.advance(400);
    // The others revoke the stale claim; the fresh device cannot check that word, so it keeps its own view
    // (its recording is still posted) and only numbers its next claim from the revocation's current_turn.
    expect(fresh.snapshot.floor).to.equal('talking');
    expect(fresh.snapshot.turn).to.equal(1);
    expect([A, B, C].map((i) => net.device(i).snapshot.floor)).to.deep.equal(['idle', 'idle', 'idle']);
    net.release(3);
    net.press(3);
    net.advance(400);
    expect(fresh.snapshot.floor).to.equal('talking');
    expect(fresh.snapshot.turn).to.equal(5);
    expect(net.devices.map(talkerOf)).to.deep.equal(Array(4).fill('@dave:example.org/DAVE'));
  });

  it('gives up a claim of its own from an earlier page load', () => {
    const now = 1000;
    const floor = new FloorControl({ self: { userId: '@a:x', deviceId: 'D' }, now: () => now });
    const old = { turn: 7, userId: '@a:x', deviceId: 'D', ts: 10 };
    const out = floor.receive({ kind: 'request', claim: old }, 'durable');
    expect(out.map((o) => o.message)).to.deep.equal([
      { kind: 'release', release: { turn: 7, userId: '@a:x', deviceId: 'D', reason: 'yield' } },
    ]);
    expect(floor.snapshot.floor).to.equal('idle');
  });

  it('is off while disabled and lets go of the floor when disabled', () => {
    const net = three();
    net.press(A);
    net.advance(400);
    net.send(A, net.device(A).setEnabled(false));
    expect(net.device(A).snapshot.floor).to.equal('off');
    net.advance(100);
    expect(net.device(B).snapshot.floor).to.equal('idle');
    expect(net.press(A)).to.deep.equal([]);
  });

  it("counts a user's claims in a row as one hold: a new turn does not restart the limit", () => {
    const maxTransmitMs = 3000;
    const net = new FloorNetwork({
      devices: 3,
      userOf: (i) => names[i]!,
      delay: () => 40,
      timings: { maxTransmitMs },
    });
    net.press(A);
    net.advance(maxTransmitMs + 100);
    expect(net.device(A).snapshot.floor, 'cut off at the limit').to.equal('denied');
    net.release(A);
    expect(net.press(A), 'refused locally: the hold is used up').to.deep.equal([]);
    net.release(A);
    // A hostile copy of A that claims the next turn at once is ended by the others at once.
    const turn = net.device(B).snapshot.turn + 1;
    const claim = { turn, userId: names[A]!, deviceId: 'DEV0', ts: net.now };
    net.send(A, [{ message: { kind: 'request', claim }, paths: ['fast', 'durable'] }]);
    net.advance(100);
    expect(net.device(B).snapshot.turn).to.equal(turn);
    expect(net.device(B).snapshot.floor, 'the hold is over: the floor is free').to.equal('idle');
    net.advance(DEFAULT_FLOOR_TIMINGS.restMs);
    net.press(A);
    net.advance(400);
    expect(net.device(A).snapshot.floor, 'after the rest, a new hold').to.equal('talking');
  });

  it('takes turns only within the window above the current turn', () => {
    const floor = new FloorControl({ self: { userId: '@a:x', deviceId: 'D' }, now: () => 1000 });
    const claim = (turn: number) =>
      ({ kind: 'request', claim: { turn, userId: '@b:x', deviceId: 'E', ts: 1 } }) as const;
    expect(floor.refusal(claim(Number.MAX_SAFE_INTEGER))).to.match(/past the window/);
    expect(floor.refusal(claim(MAX_FIRST_TURN)), 'a first turn up to 2^52').to.equal(undefined);
    floor.receive(claim(5), 'durable');
    expect(floor.refusal(claim(5 + TURN_WINDOW + 1))).to.match(/past the window/);
    expect(floor.refusal(claim(5 + TURN_WINDOW))).to.equal(undefined);
    floor.receive(claim(5 + TURN_WINDOW + 1), 'durable');
    expect(floor.snapshot.turn).to.equal(5);
  });

  it('tells the caller when it next needs a tick', () => {
    const net = three();
    expect(net.device(A).nextDeadline()).to.equal(undefined);
    net.press(A);
    expect(net.device(A).nextDeadline(), 'the first heartbeat').to.equal(
      net.now + DEFAULT_FLOOR_TIMINGS.heartbeatMs,
    );
    net.advance(100);
    expect(net.device(B).nextDeadline()).to.be.a('number');
  });
});
