import { expect } from '@open-wc/testing';
import { KeyFanOut } from '../../../../src/group/livekit/key-fan-out.js';
import type { KeyProviderSink } from '../../../../src/group/livekit/key-ring.js';

class RecordingSink implements KeyProviderSink {
  readonly keys: string[] = [];
  setKey(identity: string, bytes: Uint8Array, index: number): void {
    this.keys.push(`${identity}#${index}=${bytes[0]}`);
  }
}

describe('KeyFanOut (one key sink in front of the rooms of a multi-SFU call)', () => {
  it('forwards every key to every attached room, and replays the kept ones to a room attached later', () => {
    const fan = new KeyFanOut();
    const own = new RecordingSink();
    fan.attach(own);
    fan.setKey('@a:x:A', new Uint8Array([1]), 0);
    fan.setKey('@b:x:B', new Uint8Array([2]), 0);
    fan.setKey('@a:x:A', new Uint8Array([3]), 1);
    const later = new RecordingSink();
    fan.attach(later);
    expect(own.keys).to.deep.equal(['@a:x:A#0=1', '@b:x:B#0=2', '@a:x:A#1=3']);
    expect(later.keys).to.have.members(['@a:x:A#0=1', '@a:x:A#1=3', '@b:x:B#0=2']);
    fan.setKey('@b:x:B', new Uint8Array([4]), 1);
    expect(later.keys.at(-1)).to.equal('@b:x:B#1=4');
    fan.detach(own);
    fan.setKey('@b:x:B', new Uint8Array([5]), 2);
    expect(own.keys.at(-1), 'a detached room gets nothing more').to.equal('@b:x:B#1=4');
  });

  it('keeps a bounded number of keys per participant for replay, newest kept', () => {
    const fan = new KeyFanOut();
    for (let i = 0; i < 50; i++) fan.setKey('@a:x:A', new Uint8Array([i]), i % 256);
    const later = new RecordingSink();
    fan.attach(later);
    expect(later.keys.length).to.be.at.most(8);
    expect(later.keys.at(-1)).to.equal('@a:x:A#49=49');
  });

  it("keeps a copy: changing the caller's bytes afterwards does not change what is replayed", () => {
    const fan = new KeyFanOut();
    const bytes = new Uint8Array([7]);
    fan.setKey('@a:x:A', bytes, 0);
    bytes[0] = 9;
    const later = new RecordingSink();
    fan.attach(later);
    expect(later.keys).to.deep.equal(['@a:x:A#0=7']);
  });
});
