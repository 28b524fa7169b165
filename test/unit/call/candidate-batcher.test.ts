import { expect } from '@open-wc/testing';
import { CandidateBatcher, END_OF_CANDIDATES } from '../../../src/call/candidate-batcher.js';
import type { CallCandidate } from '../../../src/signalling/voip/types.js';
import { FakeClock } from '../../support/fake-clock.js';

const c = (n: number): CallCandidate => ({
  candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${1000 + n} typ host`,
  sdpMid: '0',
});

function setup(fail = 0) {
  const clock = new FakeClock();
  const batches: { at: number; candidates: readonly CallCandidate[] }[] = [];
  let failuresLeft = fail;
  let gaveUp: unknown;
  const batcher = new CandidateBatcher({
    clock,
    firstBatchMs: 200,
    batchMs: 500,
    send: async (candidates) => {
      if (failuresLeft-- > 0) throw new Error('rate limited');
      batches.push({ at: clock.now(), candidates });
    },
    onGiveUp: (e) => (gaveUp = e),
  });
  return { clock, batches, batcher, start: clock.now(), gaveUp: () => gaveUp };
}

describe('CandidateBatcher', () => {
  it('holds candidates until the invite or answer is out', async () => {
    const { clock, batches, batcher } = setup();
    batcher.push(c(1));
    batcher.push(c(2));
    await clock.advance(5000);
    expect(batches).to.have.length(0);
    batcher.open();
    await clock.advance(199);
    expect(batches).to.have.length(0);
    await clock.advance(1);
    expect(batches).to.have.length(1);
    expect(batches[0]!.candidates).to.deep.equal([c(1), c(2)]);
  });

  it('sends the first batch within 200 ms, then gathers later ones for 500 ms', async () => {
    const { clock, batches, batcher, start } = setup();
    batcher.open();
    batcher.push(c(1));
    await clock.advance(50);
    batcher.push(c(2));
    await clock.advance(150);
    expect(batches.map((b) => b.at - start)).to.deep.equal([200]);
    batcher.push(c(3));
    await clock.advance(100);
    batcher.push(c(4));
    await clock.advance(400);
    expect(batches.map((b) => b.at - start)).to.deep.equal([200, 700]);
    expect(batches[1]!.candidates).to.deep.equal([c(3), c(4)]);
  });

  it('sends at once when gathering completes, cutting the window short', async () => {
    const { clock, batches, batcher, start } = setup();
    batcher.open();
    batcher.push(c(1));
    await clock.advance(10);
    batcher.push(c(2));
    batcher.push(END_OF_CANDIDATES);
    await clock.advance(0);
    expect(batches.map((b) => b.at - start)).to.deep.equal([10]);
    expect(batches[0]!.candidates).to.deep.equal([c(1), c(2), END_OF_CANDIDATES]);
  });

  it('sends a queue that is already complete as soon as the invite or answer is out', async () => {
    const { clock, batches, batcher, start } = setup();
    batcher.push(c(1));
    batcher.push(END_OF_CANDIDATES);
    await clock.advance(30);
    expect(batches).to.have.length(0);
    batcher.open();
    await clock.advance(0);
    expect(batches.map((b) => b.at - start)).to.deep.equal([30]);
  });

  it("never cuts a failed send's back-off short, even once gathering is complete", async () => {
    const { clock, batches, batcher, start } = setup(1);
    batcher.open();
    batcher.push(c(1));
    await clock.advance(200);
    expect(batches).to.have.length(0);
    batcher.push(END_OF_CANDIDATES);
    await clock.advance(999);
    expect(batches).to.have.length(0);
    await clock.advance(1);
    expect(batches.map((b) => b.at - start)).to.deep.equal([1200]);
    expect(batches[0]!.candidates).to.deep.equal([c(1), END_OF_CANDIDATES]);
  });

  it('is fast again after hurryNext (an ICE restart)', async () => {
    const { clock, batches, batcher, start } = setup();
    batcher.open();
    batcher.push(c(1));
    await clock.advance(1000);
    batcher.hurryNext();
    batcher.push(c(2));
    await clock.advance(200);
    expect(batches.map((b) => b.at - start)).to.deep.equal([200, 1200]);
  });

  it('retries a failed send with the same candidates in order, then gives up', async () => {
    const { clock, batches, batcher } = setup(1);
    batcher.open();
    batcher.push(c(1));
    await clock.advance(200);
    expect(batches).to.have.length(0);
    batcher.push(c(2));
    await clock.advance(1000);
    expect(batches).to.have.length(1);
    expect(batches[0]!.candidates).to.deep.equal([c(1), c(2)]);

    const failing = setup(100);
    failing.batcher.open();
    failing.batcher.push(c(1));
    await failing.clock.advance(60_000);
    expect(failing.gaveUp()).to.be.instanceOf(Error);
    expect(failing.batches).to.have.length(0);
  });

  it('sends nothing after stop', async () => {
    const { clock, batches, batcher } = setup();
    batcher.open();
    batcher.push(c(1));
    batcher.stop();
    batcher.push(c(2));
    await clock.advance(5000);
    expect(batches).to.have.length(0);
    expect(clock.pending).to.equal(0);
  });
});
