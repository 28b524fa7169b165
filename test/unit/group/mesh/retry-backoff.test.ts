import { expect } from '@open-wc/testing';
import { backoffDelay, RetrySchedule } from '../../../../src/group/mesh/retry-backoff.js';
import { FakeClock } from '../../../support/fake-clock.js';

describe('mesh retry backoff', () => {
  it('doubles from 1 s and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n))).to.deep.equal([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(3, { firstMs: 100, maxMs: 500 })).to.equal(500);
    expect(backoffDelay(-2)).to.equal(1_000);
  });

  it('calls back when each retry is due, waiting longer after every failure, and starts over after a success', async () => {
    const clock = new FakeClock();
    const due: Array<[string, number]> = [];
    const start = clock.now();
    const retries = new RetrySchedule(clock, (key) => due.push([key, clock.now() - start]));
    expect(retries.failed('bob')).to.equal(1_000);
    expect(retries.isWaiting('bob')).to.equal(true);
    await clock.advance(999);
    expect(due).to.deep.equal([]);
    await clock.advance(1);
    expect(due).to.deep.equal([['bob', 1_000]]);
    expect(retries.isWaiting('bob')).to.equal(false);
    expect(retries.failed('bob')).to.equal(2_000);
    await clock.advance(2_000);
    expect(retries.failed('bob')).to.equal(4_000);
    expect(retries.attemptsOf('bob')).to.equal(3);
    retries.succeeded('bob');
    await clock.advance(4_000);
    expect(retries.failed('bob'), 'after a success').to.equal(1_000);
    expect(due.map(([, at]) => at)).to.deep.equal([1_000, 3_000, 7_000]);
  });

  it('forgets a device that left: its retry never fires', async () => {
    const clock = new FakeClock();
    const due: string[] = [];
    const retries = new RetrySchedule(clock, (key) => due.push(key));
    retries.failed('bob');
    retries.failed('carol');
    retries.forget('bob');
    await clock.advance(5_000);
    expect(due).to.deep.equal(['carol']);
    retries.failed('carol');
    retries.clear();
    await clock.advance(60_000);
    expect(due).to.deep.equal(['carol']);
    expect(clock.pending).to.equal(0);
  });
});
