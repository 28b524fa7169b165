// Two PeerCalls over a loopback signaller, real RTCPeerConnections and fake-device media.
import { expect } from '@open-wc/testing';
import { CallPair, viewsOf } from './call-pair.js';
import { waitFor } from '../../support/webrtc.js';
import type { CallAnswer, CallCandidates, CallInvite } from '../../../src/signalling/voip/types.js';

describe('PeerCall: setting up and ending a call', () => {
  let pair: CallPair;
  afterEach(() => pair?.dispose());

  it('connects a video call with media flowing both ways and the v1 exchange on the wire', async () => {
    pair = new CallPair();
    const aliceViews = viewsOf(pair.alice);
    await pair.connect();
    await pair.mediaFlowsBothWays();

    const invite = pair.sent('alice', 'invite')[0] as CallInvite;
    expect(invite.version).to.equal('1');
    expect(invite.party_id).to.equal('ALICEDEVICE');
    expect(invite.lifetime).to.equal(90_000);
    expect(invite.invitee).to.equal('@bob:test.invalid');
    expect(Object.values(invite.sdp_stream_metadata ?? {}).map((m) => m.purpose)).to.deep.equal([
      'm.usermedia',
    ]);
    expect(pair.sent('bob', 'answer')).to.have.length(1);
    const select = pair.sent('alice', 'select_answer');
    expect(select).to.have.length(1);
    expect(select[0]).to.include({ selected_party_id: 'BOBDEVICE' });
    expect(pair.alice.peerPartyId).to.equal('BOBDEVICE');
    expect(pair.bob.peerPartyId).to.equal('ALICEDEVICE');
    const endMarkers = pair
      .sent('alice', 'candidates')
      .flatMap((e) => (e.kind === 'candidates' ? e.candidates : []));
    expect(endMarkers.some((c) => c.candidate === '')).to.equal(true, 'end-of-candidates sent');

    expect(aliceViews.map((v) => v.state)).to.include.members([
      'preparing',
      'inviting',
      'connecting',
      'connected',
    ]);
    for (const view of aliceViews) expect(Object.isFrozen(view)).to.equal(true);
    expect(pair.alice.view.connectedAt).to.be.a('number');
    expect(pair.bob.view.direction).to.equal('incoming');
    expect(pair.bob.view.kind).to.equal('video');
    expect(pair.alice.view.remoteStreams).to.have.length(1);
    expect(pair.alice.view.remoteStreams[0]!.purpose).to.equal('m.usermedia');
    expect(pair.alice.view.remoteStreams[0]!.id).to.equal(pair.bob.localUserMedia!.id);
    expect(pair.bob.view.remoteStreams[0]!.id).to.equal(pair.alice.localUserMedia!.id);
    expect(pair.bob.view.missed).to.equal(false);
  });

  it('trickles the caller’s later candidates after the invite, ending with end-of-candidates', async () => {
    // The batch windows themselves are timed with a fake clock in test/unit/call/candidate-batcher.test.ts.
    pair = new CallPair();
    await pair.connect();
    await waitFor(
      () =>
        pair
          .sent('alice', 'candidates')
          .some((c) => (c as CallCandidates).candidates.some((x) => x.candidate === '')),
      'Alice’s end-of-candidates',
    );
    const kinds = pair.log.filter((s) => s.from === 'alice').map((s) => s.event.kind);
    expect(kinds.indexOf('candidates')).to.be.greaterThan(kinds.indexOf('invite'));
  });

  it('the invite carries the caller’s first candidates; the answer goes out before the callee’s, which follow it', async () => {
    pair = new CallPair();
    await pair.connect();
    await pair.mediaFlowsBothWays();
    const invite = pair.sent('alice', 'invite')[0] as CallInvite;
    const answer = pair.sent('bob', 'answer')[0] as CallAnswer;
    expect(/^a=candidate:/m.test(invite.offer.sdp), 'candidates in the offer').to.equal(true);
    expect(/^a=candidate:/m.test(answer.answer.sdp), 'candidates in the answer').to.equal(false);
    const bobKinds = pair.log.filter((s) => s.from === 'bob').map((s) => s.event.kind);
    expect(bobKinds.indexOf('candidates')).to.be.greaterThan(bobKinds.indexOf('answer'));
    // What the answer said is what the callee applied: the same ICE credentials and DTLS fingerprint.
    const keyLines = (sdp: string) =>
      sdp.split(/\r?\n/).filter((l) => /^a=(ice-ufrag|ice-pwd|fingerprint):/.test(l));
    const applied = pair.bob.peerConnection!.localDescription!.sdp;
    expect(keyLines(applied)).to.have.length.greaterThan(0);
    expect(keyLines(applied)).to.deep.equal(keyLines(answer.answer.sdp));
  });

  it('ends on both sides when the caller hangs up', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.connect();
    await pair.alice.hangup();
    await waitFor(() => pair.bob.ended, 'Bob ended');
    expect(pair.alice.view).to.include({ state: 'ended', hangupReason: 'user_hangup', hangupParty: 'local' });
    expect(pair.bob.view).to.include({
      state: 'ended',
      hangupReason: 'user_hangup',
      hangupParty: 'remote',
      missed: false,
    });
    expect(pair.alice.view.endedAt).to.be.a('number');
    expect(pair.alice.peerConnection!.signalingState).to.equal('closed');
    expect(pair.alice.localUserMedia!.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('ends on both sides when the callee hangs up', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.connect();
    await pair.bob.hangup();
    await waitFor(() => pair.alice.ended, 'Alice ended');
    expect(pair.alice.view).to.include({ hangupReason: 'user_hangup', hangupParty: 'remote' });
    expect(pair.bob.view).to.include({ hangupReason: 'user_hangup', hangupParty: 'local' });
    expect(pair.sent('bob', 'hangup')[0]).to.include({ reason: 'user_hangup' });
  });

  it('rejects: the callee sends m.call.reject and the caller selects it', async () => {
    pair = new CallPair();
    await pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob ringing');
    await pair.bob.reject();
    await waitFor(() => pair.alice.ended, 'Alice ended');
    expect(pair.sent('bob', 'reject')).to.have.length(1);
    expect(pair.sent('bob', 'answer')).to.have.length(0);
    expect(pair.alice.view).to.include({ hangupReason: 'rejected', hangupParty: 'remote' });
    expect(pair.bob.view).to.include({ hangupReason: 'rejected', hangupParty: 'local', missed: false });
    await waitFor(() => pair.sent('alice', 'select_answer').length === 1, 'select_answer after reject');
    expect(pair.sent('alice', 'select_answer')[0]).to.include({ selected_party_id: 'BOBDEVICE' });
  });

  it('a caller hanging up before an answer leaves a missed call', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob ringing');
    await pair.alice.hangup();
    await waitFor(() => pair.bob.ended, 'Bob ended');
    expect(pair.bob.view).to.include({ missed: true, hangupParty: 'remote' });
  });

  it('answering a video call with voice sends no camera', async () => {
    pair = new CallPair({ kind: 'video' });
    await pair.connect('voice');
    await pair.mediaFlowsBothWays();
    expect(pair.bobMedia.userMediaRequests).to.deep.equal(['voice']);
    expect(pair.bob.view.cameraMuted).to.equal(true);
    const bobSeenByAlice = pair.alice.view.remoteStreams[0]!;
    expect(bobSeenByAlice.videoMuted).to.equal(true);
    expect(bobSeenByAlice.stream.getVideoTracks()).to.have.length(0);
  });
});
