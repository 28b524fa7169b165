import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { ReorderBuffer } from '../../../../src/group/mesh/reorder-buffer.js';
import { FakeClock } from '../../../support/fake-clock.js';

function setup(options: { waitMs?: number; maxHeld?: number } = {}) {
  const clock = new FakeClock();
  const out: string[] = [];
  const buffer = new ReorderBuffer<string>({ clock, deliver: (item) => out.push(item), ...options });
  return { clock, out, buffer };
}

describe('mesh seq reorder buffer', () => {
  it('hands on in-order events at once', () => {
    const { out, buffer } = setup();
    expect(buffer.push('s', 0, 'a')).to.equal('delivered');
    expect(buffer.push('s', 1, 'b')).to.equal('delivered');
    expect(out).to.deep.equal(['a', 'b']);
  });

  it('holds events after a gap and releases them in order when the gap fills', () => {
    const { out, buffer } = setup();
    expect(buffer.push('s', 2, 'c')).to.equal('held');
    expect(buffer.push('s', 1, 'b')).to.equal('held');
    expect(out).to.deep.equal([]);
    expect(buffer.heldCount('s')).to.equal(2);
    buffer.push('s', 0, 'a');
    expect(out).to.deep.equal(['a', 'b', 'c']);
    expect(buffer.heldCount('s')).to.equal(0);
  });

  it('keeps streams apart (one per sending device and call)', () => {
    const { out, buffer } = setup();
    buffer.push('bob|call1', 1, 'b1');
    buffer.push('carol|call2', 0, 'c0');
    buffer.push('bob|call1', 0, 'b0');
    expect(out).to.deep.equal(['c0', 'b0', 'b1']);
  });

  it('drops duplicates and events older than what was handed on', () => {
    const { out, buffer } = setup();
    buffer.push('s', 0, 'a');
    expect(buffer.push('s', 0, 'a again')).to.equal('dropped');
    buffer.push('s', 2, 'c');
    expect(buffer.push('s', 2, 'c again')).to.equal('dropped');
    expect(out).to.deep.equal(['a']);
  });

  it('gives up on a gap after the wait and hands on the held events in order', async () => {
    const { clock, out, buffer } = setup({ waitMs: 1_000 });
    buffer.push('s', 3, 'd');
    buffer.push('s', 2, 'c');
    await clock.advance(999);
    expect(out).to.deep.equal([]);
    await clock.advance(1);
    expect(out).to.deep.equal(['c', 'd']);
    expect(buffer.push('s', 0, 'late')).to.equal('dropped');
    expect(buffer.push('s', 4, 'e')).to.equal('delivered');
    expect(out).to.deep.equal(['c', 'd', 'e']);
    expect(clock.pending).to.equal(0);
  });

  it('gives up on a gap at once when too many events are held', () => {
    const { out, buffer } = setup({ maxHeld: 2 });
    buffer.push('s', 5, 'f');
    buffer.push('s', 6, 'g');
    expect(out).to.deep.equal([]);
    expect(buffer.push('s', 7, 'h')).to.equal('delivered');
    expect(out).to.deep.equal(['f', 'g', 'h']);
  });

  it('forgetting a stream drops its held events and timer', async () => {
    const { clock, out, buffer } = setup();
    buffer.push('s', 1, 'b');
    buffer.forget('s');
    await clock.advance(10_000);
    expect(out).to.deep.equal([]);
    expect(clock.pending).to.equal(0);
    buffer.push('s', 0, 'new call');
    expect(out).to.deep.equal(['new call']);
  });

  it('any arrival order of a complete sequence comes out sorted, each event once', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 20 })
          .chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n })),
        (order) => {
          const { out, buffer } = setup({ maxHeld: 64 });
          for (const seq of order) buffer.push('s', seq, String(seq));
          expect(out).to.deep.equal([...order].sort((a, b) => a - b).map(String));
        },
      ),
    );
  });
});
