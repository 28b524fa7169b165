/**
 * Hostile delays: a membership's `expires`, an opt-in's `expires_ts` or an invite's `lifetime` far in
 * the future become timer delays past 2^31-1 ms, which a browser fires at once (a busy loop, or a call
 * timed out the moment it rings). Every real clock the core runs on clamps its delays
 * (src/time/system-clock.ts); these tests use the clocks as the production code does, with real timers.
 */
import { expect } from '@open-wc/testing';
import { realCallClock } from '../../src/call/call-timings.js';
import { realClock as membershipClock } from '../../src/group/membership-clock.js';
import { systemClock as keyRingClock } from '../../src/group/livekit/key-ring.js';
import {
  MAX_TIMER_DELAY_MS,
  clampDelay,
  setClampedTimeout,
  systemClock,
} from '../../src/time/system-clock.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timer delays from hostile values (adversarial)', () => {
  it('clampDelay keeps delays within [0, 2^31-1]: far future and Infinity to the bound, NaN and negatives to 0', () => {
    expect(clampDelay(2 ** 40)).to.equal(MAX_TIMER_DELAY_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).to.equal(MAX_TIMER_DELAY_MS);
    expect(clampDelay(Number.MAX_SAFE_INTEGER)).to.equal(MAX_TIMER_DELAY_MS);
    expect(clampDelay(Number.NaN)).to.equal(0);
    expect(clampDelay(-5)).to.equal(0);
    expect(clampDelay(1500)).to.equal(1500);
  });

  const clocks = [
    ['the shared system clock', systemClock],
    ['1:1 calls (an invite lifetime)', realCallClock],
    ['memberships (an expires)', membershipClock],
    ['media keys', keyRingClock],
  ] as const;
  for (const [name, clock] of clocks) {
    it(`${name}: delays past 2^31-1 ms and Infinity do not fire at once`, async () => {
      let fired = 0;
      const handles = [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY].map((ms) =>
        clock.setTimeout(() => fired++, ms),
      );
      const control = { fired: false };
      clock.setTimeout(() => (control.fired = true), 1);
      await settle(150);
      for (const handle of handles) clock.clearTimeout(handle);
      expect(control.fired, 'an ordinary delay still fires').to.equal(true);
      expect(fired).to.equal(0);
    });
  }

  it('setClampedTimeout (the walkie-talkie floor and playback timers) does not fire a far-future delay at once', async () => {
    let fired = false;
    const handle = setClampedTimeout(() => (fired = true), 2 ** 42);
    await settle(150);
    clearTimeout(handle);
    expect(fired).to.equal(false);
  });
});
