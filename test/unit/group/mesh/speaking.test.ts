import { expect } from '@open-wc/testing';
import { audioLevelsFromStats } from '../../../../src/group/mesh/audio-levels.js';
import { SpeakingTracker } from '../../../../src/group/mesh/speaking.js';

describe('speaking and the active speaker', () => {
  it('speaks while over the threshold and for the hold after', () => {
    const t = new SpeakingTracker({ threshold: 0.05, holdMs: 500 });
    t.update('bob', 0.01, 0);
    expect(t.isSpeaking('bob', 0)).to.equal(false);
    t.update('bob', 0.2, 100);
    expect(t.isSpeaking('bob', 100)).to.equal(true);
    t.update('bob', 0.0, 300);
    expect(t.isSpeaking('bob', 600)).to.equal(true);
    expect(t.isSpeaking('bob', 601)).to.equal(false);
    expect(t.isSpeaking('nobody', 0)).to.equal(false);
    t.update('bad', Number.NaN, 0);
    expect(t.isSpeaking('bad', 0)).to.equal(false);
  });

  it('the loudest speaker becomes active and stays so while speaking; a silent one stays until someone speaks', () => {
    const t = new SpeakingTracker({ threshold: 0.05, holdMs: 500 });
    const all = ['bob', 'carol'];
    expect(t.activeSpeaker(all, 0)).to.equal(undefined);
    t.update('bob', 0.1, 0);
    t.update('carol', 0.3, 0);
    expect(t.activeSpeaker(all, 0)).to.equal('carol');
    t.update('bob', 0.9, 100);
    t.update('carol', 0.1, 100);
    expect(t.activeSpeaker(all, 100), 'carol still speaking').to.equal('carol');
    t.update('carol', 0, 1_000);
    t.update('bob', 0, 1_000);
    expect(t.activeSpeaker(all, 1_000), 'nobody speaks: the last one stays').to.equal('carol');
    t.update('bob', 0.2, 1_100);
    expect(t.activeSpeaker(all, 1_100)).to.equal('bob');
    expect(t.activeSpeaker(['carol'], 1_100), 'bob left the call').to.equal(undefined);
  });

  it('reads received and captured audio levels from a stats report', () => {
    const report = new Map<string, object>([
      ['a', { type: 'inbound-rtp', kind: 'audio', audioLevel: 0.2 }],
      ['b', { type: 'inbound-rtp', kind: 'audio', audioLevel: 0.4 }],
      ['c', { type: 'inbound-rtp', kind: 'video' }],
      ['d', { type: 'media-source', kind: 'audio', audioLevel: 0.1 }],
      ['e', { type: 'outbound-rtp', kind: 'audio', audioLevel: 0.9 }],
    ]);
    expect(audioLevelsFromStats(report)).to.deep.equal({ remote: 0.4, local: 0.1 });
    expect(audioLevelsFromStats(new Map())).to.deep.equal({});
  });
});
