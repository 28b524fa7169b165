import { expect } from '@open-wc/testing';
import { FloorControl, type Outgoing, type FloorSnapshot } from '../../../src/ptt/floor-control.js';
import { FloorDriver } from '../../../src/ptt/floor-driver.js';

describe('FloorDriver', () => {
  it('ticks the floor on real timers: goes live after the window, heartbeats, and reports changes', async () => {
    const floor = new FloorControl({
      self: { userId: '@a:x', deviceId: 'A' },
      now: Date.now,
      timings: { collectionWindowMs: 50, heartbeatMs: 100 },
    });
    const sent: Outgoing[] = [];
    const states: FloorSnapshot['floor'][] = [];
    const driver = new FloorDriver({
      floor,
      send: (o) => sent.push(o),
      onChange: (s) => states.push(s.floor),
    });
    driver.press();
    await new Promise((r) => setTimeout(r, 350));
    driver.release();
    driver.close();
    expect(states).to.deep.equal(['idle', 'requesting', 'talking', 'idle']);
    const kinds = sent.map((o) => o.message.kind);
    expect(kinds[0]).to.equal('request');
    expect(kinds.at(-1)).to.equal('release');
    expect(kinds.filter((k) => k === 'heartbeat').length).to.be.within(2, 4);
    expect(
      sent.filter((o) => o.message.kind === 'heartbeat').every((o) => o.paths.join() === 'fast'),
    ).to.equal(true);
  });
});
