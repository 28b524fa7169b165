// ICE restarts and negotiation glare over real connections.
import { expect } from '@open-wc/testing';
import { CallPair } from './call-pair.js';
import { waitFor } from '../../support/webrtc.js';
import type { CallCandidates, CallNegotiate } from '../../../src/signalling/voip/types.js';

function ufrag(sdp: string | undefined): string {
  return /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? '';
}

describe('PeerCall: ICE restarts and glare', () => {
  let pair: CallPair;
  afterEach(() => pair?.dispose());

  it('restarts ICE through m.call.negotiate with new credentials and candidates, media keeps flowing', async () => {
    pair = new CallPair();
    await pair.connect();
    await waitFor(
      () =>
        pair
          .sent('bob', 'candidates')
          .some((e) => (e as CallCandidates).candidates.some((c) => c.candidate === '')),
      'first gathering done',
    );
    const bobBefore = ufrag(pair.bob.peerConnection!.localDescription?.sdp);
    const aliceBefore = ufrag(pair.alice.peerConnection!.localDescription?.sdp);
    const candidateEventsBefore = pair.sent('bob', 'candidates').length;

    pair.holdCandidates = true;
    pair.bob.restartIce();
    expect(pair.bob.iceRestartCount).to.equal(1);
    await waitFor(
      () =>
        ufrag(pair.alice.peerConnection!.remoteDescription?.sdp) !== bobBefore &&
        pair.bob.peerConnection!.signalingState === 'stable',
      'restart offer and answer exchanged',
    );
    const offer = pair.sent('bob', 'negotiate')[0] as CallNegotiate;
    expect(offer.description.type).to.equal('offer');
    expect(ufrag(offer.description.sdp)).to.not.equal(bobBefore);
    expect(ufrag(pair.alice.peerConnection!.localDescription?.sdp)).to.not.equal(aliceBefore);
    await waitFor(() => pair.sent('bob', 'candidates').length > candidateEventsBefore, 'new candidates sent');
    const fresh = pair.sent('bob', 'candidates').slice(candidateEventsBefore) as CallCandidates[];
    const newUfrag = ufrag(pair.bob.peerConnection!.localDescription?.sdp);
    expect(fresh.flatMap((e) => e.candidates).some((c) => c.usernameFragment === newUfrag)).to.equal(true);

    pair.releaseCandidates();
    await waitFor(
      () =>
        pair.alice.peerConnection!.iceConnectionState === 'connected' ||
        pair.alice.peerConnection!.iceConnectionState === 'completed',
      'ICE connected again',
    );
    await pair.mediaFlowsBothWays();
    expect(pair.alice.view.state).to.equal('connected');
  });

  it('restarts ICE when the other side vanishes, then ends the call with ice_failed after the limit', async function () {
    this.timeout(40000);
    pair = new CallPair({ kind: 'voice', timings: { iceDisconnectedRestartMs: 300, iceGiveUpMs: 4000 } });
    await pair.connect();
    // Bob's device drops off the network: nothing reaches him and his connection is gone.
    pair.bobDeaf = true;
    pair.bob.terminate('dismissed', 'local');
    const negotiatesBefore = pair.sent('alice', 'negotiate').length;
    await waitFor(
      () => pair.alice.view.connection === 'disconnected' || pair.alice.view.connection === 'failed',
      'Alice notices',
      20000,
    );
    await waitFor(() => pair.alice.iceRestartCount > 0, 'Alice restarts ICE', 5000);
    await waitFor(
      () => pair.sent('alice', 'negotiate').length > negotiatesBefore,
      'restart offer sent',
      5000,
    );
    await waitFor(() => pair.alice.ended, 'Alice gives up', 10000);
    expect(pair.alice.view).to.include({ hangupReason: 'ice_failed', hangupParty: 'local' });
    expect(pair.sent('alice', 'hangup')[0]).to.include({ reason: 'ice_failed' });
  });

  it('negotiate glare: offers crossing are resolved by perfect negotiation (the callee is polite)', async () => {
    pair = new CallPair();
    await pair.connect();
    pair.paused = true;
    await Promise.all([pair.alice.setScreenSharing(true), pair.bob.setScreenSharing(true)]);
    await waitFor(
      () => pair.sent('alice', 'negotiate').length === 1 && pair.sent('bob', 'negotiate').length === 1,
      'both offered',
    );
    expect((pair.sent('alice', 'negotiate')[0] as CallNegotiate).description.type).to.equal('offer');
    expect((pair.sent('bob', 'negotiate')[0] as CallNegotiate).description.type).to.equal('offer');
    pair.resume();

    await waitFor(
      () =>
        pair.alice.view.remoteStreams.some((s) => s.purpose === 'm.screenshare') &&
        pair.bob.view.remoteStreams.some((s) => s.purpose === 'm.screenshare'),
      'both screens seen',
    );
    await waitFor(
      () =>
        pair.alice.peerConnection!.signalingState === 'stable' &&
        pair.bob.peerConnection!.signalingState === 'stable',
      'both stable',
    );
    const bobNegotiates = pair.sent('bob', 'negotiate') as CallNegotiate[];
    const aliceNegotiates = pair.sent('alice', 'negotiate') as CallNegotiate[];
    // Bob rolled back and answered Alice's offer (his unsent screen track may ride on the m-line her offer
    // brought, or he offers again once stable); Alice ignored his first offer and answered only later ones.
    const bobTypes = bobNegotiates.map((n) => n.description.type);
    const aliceTypes = aliceNegotiates.map((n) => n.description.type);
    expect(bobTypes.slice(0, 2)).to.deep.equal(['offer', 'answer']);
    expect(aliceTypes[0]).to.equal('offer');
    expect(aliceTypes.filter((t) => t === 'answer').length).to.equal(
      bobTypes.filter((t) => t === 'offer').length - 1,
    );
    expect(pair.alice.view.state).to.equal('connected');
    expect(pair.bob.view.state).to.equal('connected');
  });

  it('both sides restarting ICE at once end stable and connected with new credentials', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.connect();
    const before = ufrag(pair.alice.peerConnection!.localDescription?.sdp);
    pair.paused = true;
    pair.alice.restartIce();
    pair.bob.restartIce();
    await waitFor(
      () => pair.sent('alice', 'negotiate').length === 1 && pair.sent('bob', 'negotiate').length === 1,
      'both offered',
    );
    pair.resume();
    await waitFor(
      () =>
        pair.alice.peerConnection!.signalingState === 'stable' &&
        pair.bob.peerConnection!.signalingState === 'stable' &&
        ufrag(pair.alice.peerConnection!.localDescription?.sdp) !== before,
      'stable again',
    );
    expect(ufrag(pair.bob.peerConnection!.remoteDescription?.sdp)).to.equal(
      ufrag(pair.alice.peerConnection!.localDescription?.sdp),
    );
    await pair.mediaFlowsBothWays();
    expect(pair.alice.view.state).to.equal('connected');
  });
});
