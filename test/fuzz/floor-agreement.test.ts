/**
 * Property tests of the floor rule: N devices, presses at random (often identical) moments, every message
 * delivered eventually in a random order with random delays on both paths. Once delivery quiesces (and,
 * where talkers vanish or time out, once every device's own limits have passed), every device names the
 * same talker (or none), and at most one device believes it is talking.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { FloorNetwork, talkerOf } from '../support/floor-network.js';
import type { FloorClaim } from '../../src/signalling/ptt/floor-events.js';
import { compareClaims } from '../../src/ptt/claim-order.js';
import { DEFAULT_FLOOR_TIMINGS, type FloorPath } from '../../src/ptt/floor-control.js';

/** Delays drawn from a list, cycled: fast-check shrinks the list when a case fails. */
function delayFrom(delays: readonly number[], durableExtra: number) {
  let next = 0;
  return (_from: number, _to: number, path: FloorPath) => {
    const d = delays[next++ % delays.length] ?? 0;
    return path === 'fast' ? d : d * 2 + durableExtra;
  };
}

function assertAgreement(net: FloorNetwork): string {
  expect(net.inFlight, 'messages still in flight').to.equal(0);
  const live = net.devices.filter((_, i) => !net.vanished.has(i));
  const talkers = new Set(live.map(talkerOf));
  expect([...talkers], 'devices disagree on the talker').to.have.length(1);
  const talking = live.filter((d) => d.snapshot.floor === 'talking' || d.snapshot.floor === 'requesting');
  expect(talking.length, 'more than one device believes it talks').to.be.at.most(1);
  const talker = [...talkers][0]!;
  for (const d of talking) expect(`${d.self.userId}/${d.self.deviceId}`).to.equal(talker);
  return talker;
}

function claimsIn(net: FloorNetwork): FloorClaim[] {
  return net.log.flatMap(([, m]) => (m.kind === 'request' ? [m.claim] : []));
}

describe('floor agreement (property)', function () {
  this.timeout(120_000);

  it('devices pressing at the same moment end with the same single talker', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 60 }),
        (n, delays) => {
          const net = new FloorNetwork({ devices: n, delay: delayFrom(delays, 300) });
          for (let i = 0; i < n; i++) net.press(i);
          net.advance(3000, 25);
          net.quiesce();
          const talker = assertAgreement(net);
          const winner = claimsIn(net).sort(compareClaims)[0]!;
          expect(talker).to.equal(`${winner.userId}/${winner.deviceId}`);
          expect(net.devices.filter((d) => d.snapshot.floor === 'talking')).to.have.length(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random presses over a short window agree on the winner of the first claims', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), {
          minLength: 2,
          maxLength: 7,
        }),
        fc.array(fc.integer({ min: 0, max: 800 }), { minLength: 1, maxLength: 80 }),
        (pressSteps, delays) => {
          const n = pressSteps.length;
          const net = new FloorNetwork({ devices: n, delay: delayFrom(delays, 500) });
          for (let step = 0; step <= 40; step++) {
            pressSteps.forEach((s, i) => s === step && net.press(i));
            net.advance(25, 25);
          }
          net.advance(3000, 25);
          net.quiesce();
          const talker = assertAgreement(net);
          const claims = claimsIn(net);
          if (claims.length === 0) {
            expect(talker).to.equal('none');
            return;
          }
          // Nobody let go, so the least claim of the first turn holds the floor.
          const winner = claims.sort(compareClaims)[0]!;
          expect(talker).to.equal(`${winner.userId}/${winner.deviceId}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('presses, releases, long delays, vanishing talkers and transmit limits still converge', () => {
    const action = fc.record({
      step: fc.integer({ min: 0, max: 120 }),
      device: fc.nat(),
      kind: fc.constantFrom('press', 'release', 'press', 'vanish'),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(action, { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 80 }),
        (n, actions, delays) => {
          const net = new FloorNetwork({
            devices: n,
            delay: delayFrom(delays, 700),
            timings: { maxTransmitMs: 4000 },
          });
          for (let step = 0; step <= 120; step++) {
            for (const a of actions) {
              if (a.step !== step) continue;
              const i = a.device % n;
              if (a.kind === 'press') net.press(i);
              else if (a.kind === 'release') net.release(i);
              else if (net.vanished.size < n - 1) net.vanished.add(i);
            }
            net.advance(100, 50);
          }
          net.quiesce();
          // Revocations from others count only once a device's own clock agrees (docs/security.md), so a
          // device that learned of a claim late ends it by its own limit: agreement within that time.
          net.advance(4000 + DEFAULT_FLOOR_TIMINGS.revokeGraceMs + 100, 50);
          assertAgreement(net);
        },
      ),
      { numRuns: 200 },
    );
  });
});
