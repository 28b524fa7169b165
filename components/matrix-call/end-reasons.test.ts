import { expect } from '@open-wc/testing';
import { HANGUP_REASONS } from '../../src/hangup-reasons.js';
import type { CallView } from '../../src/snapshot.js';
import { endReasonText } from './internal/view-model.js';

function ended(reason: CallView['hangupReason'], party: 'local' | 'remote', incoming: boolean): CallView {
  return {
    id: 'c1',
    kind: 'voice',
    state: 'ended',
    direction: incoming ? 'incoming' : 'outgoing',
    peer: { userId: '@alice:example.org', displayName: 'Alice' },
    localStreams: [],
    remoteStreams: [],
    micMuted: false,
    cameraMuted: false,
    onHold: false,
    remoteOnHold: false,
    screenSharing: false,
    connection: 'closed',
    waiting: false,
    missed: false,
    hangupReason: reason,
    hangupParty: party,
  };
}

describe('end reasons in words', () => {
  it('every hangup reason, from either side and in either direction, has plain words with no placeholder left', () => {
    for (const reason of HANGUP_REASONS) {
      for (const party of ['local', 'remote'] as const) {
        for (const incoming of [false, true]) {
          const text = endReasonText(ended(reason, party, incoming));
          const where = `${reason}, ${party}, ${incoming ? 'incoming' : 'outgoing'}`;
          expect(typeof text, where).to.equal('string');
          expect(text.length, where).to.be.greaterThan(5);
          expect(/[{}]|reason\./.test(text), `${where}: ${text}`).to.equal(false);
        }
      }
    }
  });
});
