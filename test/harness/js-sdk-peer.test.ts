// A self-check of the test rig, not a test of the kit (no kit code runs here): the matrix-js-sdk peer
// harness (test/support/js-sdk-peer.ts) that the interop tests put against the kit, proven with
// matrix-js-sdk calling matrix-js-sdk. When an interop test fails, this group says whether the harness
// itself still works: two real MatrixClients, each running its own sync loop against the in-page
// homeserver TEST DOUBLE, place, ring, answer, connect with media flowing both ways, and hang up,
// all through MatrixCall's own code. Real RTCPeerConnections, fake media devices, real timers.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import { quietMatrixJsSdkLogs, startJsSdkPeer, type JsSdkPeer } from '../support/js-sdk-peer.js';
import { waitFor } from '../support/webrtc.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';

describe('harness self-check: matrix-js-sdk calls matrix-js-sdk over the homeserver double', function () {
  this.timeout(30000);
  let hs: TestHomeserver;
  let roomId: string;
  let alice: JsSdkPeer;
  let bob: JsSdkPeer;
  let restoreLogs: () => void;
  before(() => (restoreLogs = quietMatrixJsSdkLogs()));
  after(() => restoreLogs());

  beforeEach(async () => {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(ALICE, { displayName: 'Alice' });
    hs.addUser(BOB, { displayName: 'Bob' });
    roomId = hs.createRoom({ creator: ALICE, members: [BOB] });
    [alice, bob] = await Promise.all([
      startJsSdkPeer(hs, { userId: ALICE, deviceId: 'ALICEDEV' }),
      startJsSdkPeer(hs, { userId: BOB, deviceId: 'BOBDEV' }),
    ]);
  });

  afterEach(async () => {
    await Promise.all([alice?.stop(), bob?.stop()]);
  });

  it('each client syncs the room and knows the other member', () => {
    expect(alice.client.getRoom(roomId)?.getMember(BOB)?.membership).to.equal('join');
    expect(bob.client.getRoom(roomId)?.getMember(ALICE)?.name).to.equal('Alice');
    expect(alice.unhandledRoutes, JSON.stringify(alice.unhandledRoutes)).to.deep.equal([]);
  });

  for (const kind of ['voice', 'video'] as const) {
    it(`${kind} call: rings, connects with media both ways, and hangs up on both sides`, async () => {
      const incoming = bob.nextIncomingCall();
      const outgoing = await alice.placeCall(roomId, kind);
      const ringing = await incoming;
      expect(ringing.callId).to.equal(outgoing.callId);
      expect(ringing.state).to.equal('ringing');
      expect(ringing.type).to.equal(kind);
      expect(ringing.getOpponentMember()?.userId).to.equal(ALICE);

      await bob.answer(ringing);
      await Promise.all([alice.waitForState('connected', outgoing), bob.waitForState('connected', ringing)]);

      const flowing = async () => {
        const [a, b] = await Promise.all([alice.mediaBytes(outgoing), bob.mediaBytes(ringing)]);
        return kind === 'video'
          ? a.audioIn > 0 && a.videoIn > 0 && b.audioIn > 0 && b.videoIn > 0
          : a.audioIn > 0 && b.audioIn > 0 && a.videoIn === 0 && b.videoIn === 0;
      };
      let ok = false;
      const deadline = Date.now() + 10000;
      while (!ok && Date.now() < deadline) {
        ok = await flowing();
        if (!ok) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ok, 'RTP bytes flowing both ways').to.equal(true);
      expect(alice.remoteFeeds(outgoing)).to.have.length(1);
      expect(bob.remoteFeeds(ringing)[0]?.stream.getVideoTracks()).to.have.length(kind === 'video' ? 1 : 0);

      alice.hangup(outgoing);
      await bob.waitForState('ended', ringing);
      expect(ringing.hangupParty).to.equal('remote');
      expect(ringing.hangupReason).to.equal('user_hangup');
      expect(outgoing.hangupParty).to.equal('local');

      const types = hs
        .timeline(roomId)
        .map((e) => e.type)
        .filter((t) => t.startsWith('m.call.'));
      expect(types[0]).to.equal('m.call.invite');
      expect(types).to.include('m.call.answer');
      expect(types).to.include('m.call.select_answer');
      expect(types[types.length - 1]).to.equal('m.call.hangup');
      expect([...alice.unhandledRoutes, ...bob.unhandledRoutes]).to.deep.equal([]);
    });
  }

  it('the callee rejects: the caller ends with the remote party and reason rejected', async () => {
    const incoming = bob.nextIncomingCall();
    const outgoing = await alice.placeCall(roomId, 'voice');
    const ringing = await incoming;
    bob.reject(ringing);
    await alice.waitForState('ended', outgoing);
    expect(outgoing.hangupParty).to.equal('remote');
    expect(outgoing.hangupReason).to.equal('user_hangup');
    expect(hs.timeline(roomId).some((e) => e.type === 'm.call.reject')).to.equal(true);
  });

  it('the callee mutes the microphone: the caller sees the remote feed muted', async () => {
    const incoming = bob.nextIncomingCall();
    const outgoing = await alice.placeCall(roomId, 'video');
    const ringing = await incoming;
    await bob.answer(ringing);
    await Promise.all([alice.waitForState('connected', outgoing), bob.waitForState('connected', ringing)]);
    // matrix-js-sdk can report connected before the remote stream's track event made its feed.
    await waitFor(() => alice.remoteFeeds(outgoing).length > 0, 'a remote feed at the caller');
    const remote = alice.remoteFeeds(outgoing)[0]!;
    expect(remote.isAudioMuted()).to.equal(false);
    await bob.setMicMuted(true, ringing);
    await waitFor(() => remote.isAudioMuted(), 'the remote feed muted');
    expect(remote.isVideoMuted()).to.equal(false);
    // matrix-js-sdk sends the unstable prefix of MSC3077's event.
    expect(
      hs.timeline(roomId).some((e) => e.type === 'org.matrix.call.sdp_stream_metadata_changed'),
    ).to.equal(true);
  });
});
