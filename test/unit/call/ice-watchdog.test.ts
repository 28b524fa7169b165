import { expect } from '@open-wc/testing';
import { IceWatchdog } from '../../../src/call/ice-watchdog.js';
import { FakeClock } from '../../support/fake-clock.js';

function setup() {
  const clock = new FakeClock();
  const log: string[] = [];
  const dog = new IceWatchdog({
    clock,
    disconnectedRestartMs: 5000,
    giveUpMs: 30000,
    restart: () => log.push(`restart@${clock.now() - start}`),
    giveUp: () => log.push(`giveUp@${clock.now() - start}`),
  });
  const start = clock.now();
  return { clock, log, dog };
}

describe('IceWatchdog', () => {
  it('restarts at once when ICE fails', () => {
    const { log, dog } = setup();
    dog.onState('failed');
    expect(log).to.deep.equal(['restart@0']);
  });

  it('restarts after 5 s of disconnection, not after a short blip', async () => {
    const { clock, log, dog } = setup();
    dog.onState('disconnected');
    await clock.advance(3000);
    dog.onState('connected');
    await clock.advance(60000);
    expect(log).to.deep.equal([]);
    dog.onState('disconnected');
    await clock.advance(5000);
    expect(log).to.deep.equal(['restart@68000']);
  });

  it('gives up 30 s after the trouble began when ICE never recovers', async () => {
    const { clock, log, dog } = setup();
    dog.onState('disconnected');
    await clock.advance(10000);
    dog.onState('failed');
    dog.onState('checking');
    await clock.advance(20000);
    expect(log).to.deep.equal(['restart@5000', 'restart@10000', 'giveUp@30000']);
    dog.onState('failed');
    expect(log).to.have.length(3, 'nothing after giving up');
  });

  it('a recovery clears the give-up timer', async () => {
    const { clock, log, dog } = setup();
    dog.onState('failed');
    await clock.advance(20000);
    dog.onState('completed');
    await clock.advance(60000);
    expect(log).to.deep.equal(['restart@0']);
    expect(dog.troubled).to.equal(false);
  });
});
