import { expect } from '@open-wc/testing';
import { OutgoingEvents } from '../../../src/call/outgoing-events.js';

describe('OutgoingEvents', () => {
  it('stamps call_id, party_id and version "1" on room events, with no leg', () => {
    const out = new OutgoingEvents('call-1', 'DEV', undefined);
    const event = out.stamp({ kind: 'hangup', reason: 'user_hangup' });
    expect(event).to.deep.equal({
      kind: 'hangup',
      reason: 'user_hangup',
      call_id: 'call-1',
      party_id: 'DEV',
      version: '1',
    });
  });

  it('stamps to-device leg fields with a seq counting from 0 per call', () => {
    const leg = {
      device_id: 'DEV',
      sender_session_id: 's1',
      dest_session_id: 's2',
      room_id: '!r:x',
      conf_id: 'g1',
    };
    const out = new OutgoingEvents('call-1', 'DEV', leg);
    const seqs = [
      out.stamp({ kind: 'reject' }),
      out.stamp({ kind: 'candidates', candidates: [] }),
      out.stamp({ kind: 'hangup', reason: 'user_hangup' }),
    ].map((e) => e.leg?.seq);
    expect(seqs).to.deep.equal([0, 1, 2]);
    expect(out.stamp({ kind: 'reject' }).leg).to.deep.equal({ ...leg, seq: 3 });
    expect(new OutgoingEvents('call-2', 'DEV', leg).stamp({ kind: 'reject' }).leg?.seq).to.equal(0);
  });
});
