import { expect } from '@open-wc/testing';
import { buildCallView, isMissed, type CallFacts } from '../../../src/call/call-view.js';

const base: CallFacts = {
  id: 'c1',
  kind: 'voice',
  state: 'ringing',
  direction: 'incoming',
  peer: { userId: '@a:x', displayName: 'A' },
  localStreams: [],
  remoteStreams: [],
  micMuted: false,
  cameraMuted: true,
  onHold: false,
  remoteOnHold: false,
  screenSharing: false,
  connection: 'new',
  waiting: false,
  answeredHere: false,
};

describe('buildCallView', () => {
  it('is frozen all the way down and leaves out unknown times', () => {
    const view = buildCallView(base);
    expect(Object.isFrozen(view)).to.equal(true);
    expect(Object.isFrozen(view.peer)).to.equal(true);
    expect(Object.isFrozen(view.localStreams)).to.equal(true);
    expect('connectedAt' in view).to.equal(false);
    expect('hangupReason' in view).to.equal(false);
    expect(view).to.include({ id: 'c1', state: 'ringing', direction: 'incoming', missed: false });
  });

  it('copies end facts', () => {
    const view = buildCallView({
      ...base,
      state: 'ended',
      endedAt: 5,
      connectedAt: 2,
      hangupReason: 'user_hangup',
      hangupParty: 'local',
    });
    expect(view).to.include({
      endedAt: 5,
      connectedAt: 2,
      hangupReason: 'user_hangup',
      hangupParty: 'local',
    });
  });

  it('reports missed only for incoming calls nobody here dealt with', () => {
    const ended = { ...base, state: 'ended' as const };
    expect(isMissed({ ...ended, hangupReason: 'user_hangup', hangupParty: 'remote' })).to.equal(true);
    expect(isMissed({ ...ended, hangupReason: 'invite_timeout', hangupParty: 'remote' })).to.equal(true);
    expect(
      isMissed({ ...ended, hangupReason: 'user_hangup', hangupParty: 'remote', answeredHere: true }),
    ).to.equal(false);
    expect(isMissed({ ...ended, hangupReason: 'rejected', hangupParty: 'local' })).to.equal(false);
    expect(isMissed({ ...ended, hangupReason: 'answered_elsewhere', hangupParty: 'remote' })).to.equal(false);
    expect(isMissed({ ...ended, hangupReason: 'dismissed', hangupParty: 'local' })).to.equal(false);
    expect(
      isMissed({ ...ended, direction: 'outgoing', hangupReason: 'user_hangup', hangupParty: 'remote' }),
    ).to.equal(false);
    expect(isMissed({ ...base, hangupParty: 'remote' })).to.equal(false, 'still ringing');
  });
});
