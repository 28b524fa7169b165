import { expect } from '@open-wc/testing';
import { ToDeviceBatcher } from '../../../../src/group/mesh/to-device-batch.js';

type Request = { type: string; encrypted: boolean; messages: Record<string, Record<string, object>> };

function recorder(fail = false) {
  const requests: Request[] = [];
  return {
    requests,
    transport: {
      sendToDevice: async (
        type: string,
        encrypted: boolean,
        messages: Readonly<Record<string, Readonly<Record<string, object>>>>,
      ) => {
        requests.push({ type, encrypted, messages: structuredClone(messages) as Request['messages'] });
        if (fail) throw new Error('refused');
      },
    },
  };
}

describe('to-device batches', () => {
  it('messages of one type sent in one task to several devices go out as one encrypted request', async () => {
    const { requests, transport } = recorder();
    const batcher = new ToDeviceBatcher(transport);
    await Promise.all([
      batcher.send('m.call.sdp_stream_metadata_changed', '@b:x', 'B1', { n: 1 }),
      batcher.send('m.call.sdp_stream_metadata_changed', '@c:x', 'C1', { n: 2 }),
      batcher.send('m.call.sdp_stream_metadata_changed', '@b:x', 'B2', { n: 3 }),
    ]);
    expect(requests).to.deep.equal([
      {
        type: 'm.call.sdp_stream_metadata_changed',
        encrypted: true,
        messages: { '@b:x': { B1: { n: 1 }, B2: { n: 3 } }, '@c:x': { C1: { n: 2 } } },
      },
    ]);
  });

  it('a second message to the same device starts a new request, in order; other types go apart', async () => {
    const { requests, transport } = recorder();
    const batcher = new ToDeviceBatcher(transport, false);
    await Promise.all([
      batcher.send('m.call.candidates', '@b:x', 'B1', { seq: 0 }),
      batcher.send('m.call.hangup', '@c:x', 'C1', { seq: 0 }),
      batcher.send('m.call.candidates', '@b:x', 'B1', { seq: 1 }),
    ]);
    expect(requests.map((r) => [r.type, r.encrypted, JSON.stringify(r.messages)])).to.deep.equal([
      ['m.call.candidates', false, '{"@b:x":{"B1":{"seq":0}}}'],
      ['m.call.hangup', false, '{"@c:x":{"C1":{"seq":0}}}'],
      ['m.call.candidates', false, '{"@b:x":{"B1":{"seq":1}}}'],
    ]);
  });

  it('messages sent in later tasks go out in later requests', async () => {
    const { requests, transport } = recorder();
    const batcher = new ToDeviceBatcher(transport);
    await batcher.send('t', '@b:x', 'B1', {});
    await batcher.send('t', '@c:x', 'C1', {});
    expect(requests).to.have.length(2);
  });

  it('a refused request rejects every send in it', async () => {
    const { transport } = recorder(true);
    const batcher = new ToDeviceBatcher(transport);
    const results = await Promise.allSettled([
      batcher.send('t', '@b:x', 'B1', {}),
      batcher.send('t', '@c:x', 'C1', {}),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
  });
});
