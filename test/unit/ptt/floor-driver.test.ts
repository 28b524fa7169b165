import { expect } from '@open-wc/testing';
import { FloorControl, type Outgoing, type FloorSnapshot } from '../../../src/ptt/floor-control.js';
import { FloorDriver } from '../../../src/ptt/floor-driver.js';
import { FakeClock } from '../../support/fake-clock.js';

describe('FloorDriver', () => {
  function drive() {
    const clock = new FakeClock();
    const floor = new FloorControl({
      self: { userId: '@a:x', deviceId: 'A' },
      now: clock.now,
      timings: { collectionWindowMs: 50, heartbeatMs: 100 },
    });
    const sent: Outgoing[] = [];
    const states: FloorSnapshot['floor'][] = [];
    const driver = new FloorDriver({
      floor,
      send: (o) => sent.push(o),
      onChange: (s) => states.push(s.floor),
      now: clock.now,
      setTimer: clock.setTimeout,
      clearTimer: clock.clearTimeout,
    });
    return { clock, driver, sent, states };
  }

  it('ticks the floor on its timer: goes live after the window, heartbeats, and reports changes', async () => {
    const { clock, driver, sent, states } = drive();
    driver.press();
    await clock.advance(350);
    driver.release();
    driver.close();
    expect(states).to.deep.equal(['idle', 'requesting', 'talking', 'idle']);
    const kinds = sent.map((o) => o.message.kind);
    expect(kinds[0]).to.equal('request');
    expect(kinds.at(-1)).to.equal('release');
    // Live at 50 ms, then a heartbeat every 100 ms until the release at 350 ms.
    expect(kinds.filter((k) => k === 'heartbeat')).to.have.length(3);
    expect(
      sent.filter((o) => o.message.kind === 'heartbeat').every((o) => o.paths.join() === 'fast'),
    ).to.equal(true);
  });

  it('leaves no timer behind once closed, and reports nothing after', async () => {
    const { clock, driver, states } = drive();
    driver.press();
    driver.close();
    expect(clock.pending).to.equal(0);
    await clock.advance(1000);
    expect(states).to.deep.equal(['idle', 'requesting']);
  });
});
