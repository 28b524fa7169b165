// Invite lifetime on a fake clock: the caller hangs up with invite_timeout, the callee's ringing stops.
import { expect } from '@open-wc/testing';
import { CallPair } from './call-pair.js';
import { FakeClock } from '../../support/fake-clock.js';
import { waitFor } from '../../support/webrtc.js';
import type { CallInvite } from '../../../src/signalling/voip/types.js';

describe('PeerCall: invite timeout', () => {
  let pair: CallPair;
  afterEach(() => pair?.dispose());

  it('hangs up with invite_timeout after the default 90 s and the callee records a missed call', async () => {
    const clock = new FakeClock();
    pair = new CallPair({ clock });
    await pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob ringing');
    expect(pair.bob.inviteLifetime).to.equal(90_000);
    await clock.advance(89_000);
    expect(pair.alice.view.state).to.equal('inviting');
    expect(pair.bob.view.state).to.equal('ringing');
    expect(pair.sent('alice', 'hangup')).to.have.length(0);

    await clock.advance(1_000);
    expect(pair.alice.view).to.include({
      state: 'ended',
      hangupReason: 'invite_timeout',
      hangupParty: 'local',
    });
    expect(pair.sent('alice', 'hangup')[0]).to.include({ reason: 'invite_timeout' });
    await waitFor(() => pair.bob.ended, 'Bob ended');
    expect(pair.bob.view).to.include({ hangupReason: 'invite_timeout', missed: true });
  });

  it('uses the configured lifetime and honours the age of the invite on the callee', async () => {
    const clock = new FakeClock();
    pair = new CallPair({ clock, timings: { inviteLifetimeMs: 30_000 } });
    // Bob hears the invite late: 20 s of its 30 s lifetime are gone.
    const bob = pair.bob;
    const original = bob.handle.bind(bob);
    bob.handle = (received) =>
      original(received.event.kind === 'invite' ? { ...received, ageOnReceipt: 20_000 } : received);
    await pair.alice.place();
    await waitFor(() => bob.view.state === 'ringing', 'Bob ringing');
    expect((pair.sent('alice', 'invite')[0] as CallInvite).lifetime).to.equal(30_000);
    await clock.advance(10_000);
    expect(bob.view).to.include({ state: 'ended', hangupReason: 'invite_timeout', missed: true });
    expect(pair.alice.view.state).to.equal('inviting');
    await clock.advance(20_000);
    expect(pair.alice.view.hangupReason).to.equal('invite_timeout');
  });

  it('an answer stops the invite timer', async () => {
    const clock = new FakeClock();
    pair = new CallPair({ clock, kind: 'voice' });
    await pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob ringing');
    const answering = pair.bob.answer();
    await waitFor(() => pair.alice.view.state !== 'inviting', 'Alice got the answer', 5000);
    await answering;
    await clock.advance(120_000);
    expect(pair.sent('alice', 'hangup')).to.have.length(0);
    expect(pair.alice.ended).to.equal(false);
  });
});
