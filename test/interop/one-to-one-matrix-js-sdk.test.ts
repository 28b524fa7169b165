// Interop: the kit's 1:1 calls (CallController over MemoryTransport) against matrix-js-sdk's MatrixCall,
// the code Element Web uses, in one page over the same homeserver TEST DOUBLE (demo/host/homeserver.ts).
// matrix-js-sdk runs as a real MatrixClient with its own sync loop (test/support/js-sdk-peer.ts); the
// kit runs as a widget would, through a simulated host (test/support/kit-call-peer.ts). Real
// RTCPeerConnections, fake media devices, real timers.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import type { CallView } from '../../src/snapshot.js';
import {
  quietMatrixJsSdkLogs,
  startJsSdkPeer,
  type JsSdkPeer,
  type MatrixCall,
  type MediaBytes,
} from '../support/js-sdk-peer.js';
import { GatedMediaSource, startKitCallPeer, type KitCallPeer } from '../support/kit-call-peer.js';
import { waitFor } from '../support/webrtc.js';

const KIT = '@kit:test.invalid';
const SDK = '@sdk:test.invalid';
type Kind = 'voice' | 'video';

const flowing = (bytes: MediaBytes, kind: Kind) =>
  bytes.audioIn > 0 &&
  bytes.audioOut > 0 &&
  (kind === 'voice' ? bytes.videoIn === 0 : bytes.videoIn > 0 && bytes.videoOut > 0);

/** Polls both peer connections until RTP arrives on each (audio; video too for video calls). */
async function expectMediaBothWays(read: () => Promise<[MediaBytes, MediaBytes]>, kind: Kind): Promise<void> {
  const deadline = Date.now() + 10000;
  let last: [MediaBytes, MediaBytes] | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (flowing(last[0], kind) && flowing(last[1], kind)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect.fail(`media did not flow both ways: ${JSON.stringify(last)}`);
}

describe('interop: 1:1 calls between the kit and matrix-js-sdk', function () {
  this.timeout(30000);
  let hs: TestHomeserver;
  let roomId: string;
  let kit: KitCallPeer;
  let sdk: JsSdkPeer;
  let restoreLogs: () => void;

  before(() => (restoreLogs = quietMatrixJsSdkLogs()));
  after(() => restoreLogs());

  async function setup(kitCallIds?: () => string): Promise<void> {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(KIT, { displayName: 'Kit User' });
    hs.addUser(SDK, { displayName: 'Sdk User' });
    roomId = hs.createRoom({ creator: KIT, members: [SDK] });
    [kit, sdk] = await Promise.all([
      startKitCallPeer(hs, {
        userId: KIT,
        deviceId: 'KITDEV',
        roomId,
        ...(kitCallIds ? { controller: { newCallId: kitCallIds } } : {}),
      }),
      startJsSdkPeer(hs, { userId: SDK, deviceId: 'SDKDEV' }),
    ]);
  }

  afterEach(async () => {
    kit?.close();
    await sdk?.stop();
  });

  /** The kit calls; matrix-js-sdk rings and answers. */
  async function kitCallsSdk(kind: Kind): Promise<{ kitCall: CallView; sdkCall: MatrixCall }> {
    const incoming = sdk.nextIncomingCall();
    await kit.controller.placeCall(kind);
    const sdkCall = await incoming;
    const kitCall = kit.call!;
    expect(sdkCall.callId).to.equal(kitCall.id);
    expect(sdkCall.state).to.equal('ringing');
    expect(sdkCall.type).to.equal(kind);
    expect(sdkCall.getOpponentMember()?.userId).to.equal(KIT);
    await sdk.answer(sdkCall);
    await Promise.all([kit.waitForState(kitCall.id, 'connected'), sdk.waitForState('connected', sdkCall)]);
    return { kitCall: kit.view(kitCall.id)!, sdkCall };
  }

  /** matrix-js-sdk calls; the kit rings and answers. */
  async function sdkCallsKit(kind: Kind): Promise<{ kitCall: CallView; sdkCall: MatrixCall }> {
    const sdkCall = await sdk.placeCall(roomId, kind);
    const ringing = await kit.waitForCall(
      (c) => c.direction === 'incoming' && c.state === 'ringing',
      'ringing',
    );
    expect(ringing.id).to.equal(sdkCall.callId);
    expect(ringing.kind).to.equal(kind);
    expect(ringing.peer.userId).to.equal(SDK);
    expect(ringing.peer.displayName).to.equal('Sdk User');
    await kit.controller.answer(ringing.id);
    await Promise.all([kit.waitForState(ringing.id, 'connected'), sdk.waitForState('connected', sdkCall)]);
    return { kitCall: kit.view(ringing.id)!, sdkCall };
  }

  const media = (kitCall: CallView, sdkCall: MatrixCall) => () =>
    Promise.all([kit.mediaBytes(kitCall.id), sdk.mediaBytes(sdkCall)]);

  for (const kind of ['voice', 'video'] as const) {
    it(`kit calls matrix-js-sdk (${kind}): connected, media both ways, the kit hangs up`, async () => {
      await setup();
      const { kitCall, sdkCall } = await kitCallsSdk(kind);
      await expectMediaBothWays(media(kitCall, sdkCall), kind);
      expect(sdk.remoteFeeds(sdkCall)).to.have.length(1);
      expect(sdk.remoteFeeds(sdkCall)[0]!.stream.getVideoTracks()).to.have.length(kind === 'video' ? 1 : 0);
      expect(kit.view(kitCall.id)!.remoteStreams).to.have.length(1);
      // The kit's invite says it takes DTMF, so matrix-js-sdk offers its dial pad.
      expect(sdkCall.opponentSupportsDTMF()).to.equal(true);

      await kit.controller.hangup(kitCall.id);
      await sdk.waitForState('ended', sdkCall);
      expect(sdkCall.hangupParty).to.equal('remote');
      expect(sdkCall.hangupReason).to.equal('user_hangup');
      expect(kit.view(kitCall.id)).to.include({
        state: 'ended',
        hangupParty: 'local',
        hangupReason: 'user_hangup',
      });
      expect(sdk.callErrors).to.deep.equal([]);
      expect(sdk.unhandledRoutes).to.deep.equal([]);
    });

    it(`matrix-js-sdk calls the kit (${kind}): connected, media both ways, matrix-js-sdk hangs up`, async () => {
      await setup();
      const { kitCall, sdkCall } = await sdkCallsKit(kind);
      await expectMediaBothWays(media(kitCall, sdkCall), kind);
      const remote = kit.view(kitCall.id)!.remoteStreams;
      expect(remote).to.have.length(1);
      expect(remote[0]!.stream.getVideoTracks()).to.have.length(kind === 'video' ? 1 : 0);
      expect(remote[0]!.purpose).to.equal('m.usermedia');
      // The kit's answer says it takes DTMF.
      expect(sdkCall.opponentSupportsDTMF()).to.equal(true);

      sdk.hangup(sdkCall);
      const ended = await kit.waitForState(kitCall.id, 'ended');
      expect(ended.hangupParty).to.equal('remote');
      expect(ended.hangupReason).to.equal('user_hangup');
      expect(ended.missed).to.equal(false);
      expect(sdk.callErrors).to.deep.equal([]);
    });
  }

  it('kit calls matrix-js-sdk (video), matrix-js-sdk hangs up', async () => {
    await setup();
    const { kitCall, sdkCall } = await kitCallsSdk('video');
    sdk.hangup(sdkCall);
    const ended = await kit.waitForState(kitCall.id, 'ended');
    expect(ended).to.include({ hangupParty: 'remote', hangupReason: 'user_hangup' });
  });

  it('matrix-js-sdk calls the kit (voice), the kit hangs up', async () => {
    await setup();
    const { kitCall, sdkCall } = await sdkCallsKit('voice');
    await kit.controller.hangup(kitCall.id);
    await sdk.waitForState('ended', sdkCall);
    expect(sdkCall.hangupParty).to.equal('remote');
    expect(sdkCall.hangupReason).to.equal('user_hangup');
  });

  it('matrix-js-sdk rejects the kit: the kit ends with rejected, nothing connected', async () => {
    await setup();
    const incoming = sdk.nextIncomingCall();
    await kit.controller.placeCall('voice');
    const sdkCall = await incoming;
    sdk.reject(sdkCall);
    const ended = await kit.waitForState(kit.call!.id, 'ended');
    expect(ended).to.include({ hangupParty: 'remote', hangupReason: 'rejected' });
    expect(ended.connectedAt).to.equal(undefined);
    expect(sdkCall.state).to.equal('ended');
  });

  it('the kit rejects matrix-js-sdk: matrix-js-sdk ends its call as hung up by the remote party', async () => {
    await setup();
    const sdkCall = await sdk.placeCall(roomId, 'video');
    const ringing = await kit.waitForCall((c) => c.state === 'ringing', 'ringing');
    await kit.controller.reject(ringing.id);
    await sdk.waitForState('ended', sdkCall);
    expect(sdkCall.hangupParty).to.equal('remote');
    // matrix-js-sdk reports a received m.call.reject as user_hangup (it has no reason of its own).
    expect(sdkCall.hangupReason).to.equal('user_hangup');
    expect(hs.timeline(roomId).filter((e) => e.type === 'm.call.reject')).to.have.length(1);
    expect(kit.view(ringing.id)).to.include({
      state: 'ended',
      hangupReason: 'rejected',
      hangupParty: 'local',
    });
  });

  it('matrix-js-sdk hangs up while the kit rings: the kit shows a missed call', async () => {
    await setup();
    const sdkCall = await sdk.placeCall(roomId, 'voice');
    const ringing = await kit.waitForCall((c) => c.state === 'ringing', 'ringing');
    sdk.hangup(sdkCall);
    const ended = await kit.waitForState(ringing.id, 'ended');
    expect(ended).to.include({ hangupParty: 'remote', missed: true });
  });

  it('mute seen across: the kit mutes mic and camera, matrix-js-sdk sees its remote feed muted', async () => {
    await setup();
    const { kitCall, sdkCall } = await kitCallsSdk('video');
    const feed = sdk.remoteFeeds(sdkCall)[0]!;
    expect(feed.isAudioMuted()).to.equal(false);
    expect(feed.isVideoMuted()).to.equal(false);
    await kit.controller.setMicMuted(kitCall.id, true);
    await waitFor(() => feed.isAudioMuted(), 'matrix-js-sdk to see the mic muted');
    expect(feed.isVideoMuted()).to.equal(false);
    await kit.controller.setCameraMuted(kitCall.id, true);
    await waitFor(() => feed.isVideoMuted(), 'matrix-js-sdk to see the camera muted');
    await kit.controller.setMicMuted(kitCall.id, false);
    await waitFor(() => !feed.isAudioMuted(), 'matrix-js-sdk to see the mic unmuted');
  });

  it('mute seen across: matrix-js-sdk mutes mic and camera, the kit sees the remote stream muted', async () => {
    await setup();
    const { kitCall, sdkCall } = await sdkCallsKit('video');
    const remote = () => kit.view(kitCall.id)!.remoteStreams[0]!;
    expect(remote()).to.include({ audioMuted: false, videoMuted: false });
    await sdk.setMicMuted(true, sdkCall);
    await kit.waitForCall(
      (c) => c.id === kitCall.id && c.remoteStreams[0]?.audioMuted === true,
      'remote mic muted',
    );
    expect(remote().videoMuted).to.equal(false);
    await sdk.setCameraMuted(true, sdkCall);
    await kit.waitForCall(
      (c) => c.id === kitCall.id && c.remoteStreams[0]?.videoMuted === true,
      'remote camera muted',
    );
    await sdk.setMicMuted(false, sdkCall);
    await kit.waitForCall(
      (c) => c.id === kitCall.id && c.remoteStreams[0]?.audioMuted === false,
      'remote mic unmuted',
    );
  });

  it('hold by renegotiation: the kit holds, matrix-js-sdk sees itself held; matrix-js-sdk holds, the kit sees it', async () => {
    await setup();
    const { kitCall, sdkCall } = await kitCallsSdk('voice');
    await kit.controller.setHold(kitCall.id, true);
    await waitFor(() => sdkCall.isLocalOnHold(), 'matrix-js-sdk to see itself held');
    expect(kit.view(kitCall.id)!.onHold).to.equal(true);
    await kit.controller.setHold(kitCall.id, false);
    await waitFor(() => !sdkCall.isLocalOnHold(), 'matrix-js-sdk to see the hold end');

    sdkCall.setRemoteOnHold(true);
    await kit.waitForCall((c) => c.id === kitCall.id && c.remoteOnHold, 'held by matrix-js-sdk');
    sdkCall.setRemoteOnHold(false);
    await kit.waitForCall((c) => c.id === kitCall.id && !c.remoteOnHold, 'resumed by matrix-js-sdk');
    expect(hs.timeline(roomId).filter((e) => e.type === 'm.call.negotiate').length).to.be.at.least(4);
  });

  it('the kit turns its camera on in a voice call: matrix-js-sdk receives video after renegotiation', async () => {
    await setup();
    const { kitCall, sdkCall } = await sdkCallsKit('voice');
    await kit.controller.setCameraMuted(kitCall.id, false);
    await waitFor(
      () => (sdk.remoteFeeds(sdkCall)[0]?.stream.getVideoTracks().length ?? 0) > 0,
      'a video track at matrix-js-sdk',
    );
    const deadline = Date.now() + 10000;
    while ((await sdk.mediaBytes(sdkCall)).videoIn === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await sdk.mediaBytes(sdkCall)).videoIn).to.be.greaterThan(0);
  });

  it('screen share both ways: each side sees the other screen as a separate m.screenshare stream', async () => {
    await setup();
    const { kitCall, sdkCall } = await kitCallsSdk('video');
    await kit.controller.setScreenSharing(kitCall.id, true);
    await waitFor(
      () => sdkCall.remoteScreensharingFeed !== undefined,
      "matrix-js-sdk to see the kit's screen",
    );
    expect(sdkCall.remoteScreensharingFeed!.stream.getVideoTracks()).to.have.length(1);
    expect(sdkCall.remoteUsermediaFeed).to.not.equal(undefined);
    await kit.controller.setScreenSharing(kitCall.id, false);
    await waitFor(
      () => sdkCall.remoteScreensharingFeed === undefined,
      "matrix-js-sdk to drop the kit's screen",
    );

    expect(await sdkCall.setScreensharingEnabled(true)).to.equal(true);
    const shared = await kit.waitForCall(
      (c) => c.id === kitCall.id && c.remoteStreams.some((r) => r.purpose === 'm.screenshare'),
      "matrix-js-sdk's screen",
    );
    expect(shared.remoteStreams.map((r) => r.purpose).sort()).to.deep.equal(['m.screenshare', 'm.usermedia']);
  });

  it('the kit answers a video call with voice only: matrix-js-sdk gets audio and no video from the kit', async () => {
    await setup();
    const sdkCall = await sdk.placeCall(roomId, 'video');
    const ringing = await kit.waitForCall((c) => c.state === 'ringing', 'ringing');
    expect(ringing.kind).to.equal('video');
    await kit.controller.answer(ringing.id, 'voice');
    await Promise.all([kit.waitForState(ringing.id, 'connected'), sdk.waitForState('connected', sdkCall)]);
    await waitFor(() => sdk.remoteFeeds(sdkCall).length === 1, 'a remote feed at matrix-js-sdk');
    const deadline = Date.now() + 10000;
    let bytes = await sdk.mediaBytes(sdkCall);
    while (bytes.audioIn === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      bytes = await sdk.mediaBytes(sdkCall);
    }
    expect(bytes.audioIn).to.be.greaterThan(0);
    expect(bytes.videoIn).to.equal(0);
    expect(
      sdk
        .remoteFeeds(sdkCall)[0]!
        .stream.getVideoTracks()
        .filter((t) => t.readyState === 'live' && !t.muted),
    ).to.have.length(0);
  });

  it('a matrix-js-sdk call placed before the kit loaded rings once the kit starts, and connects', async () => {
    hs = new TestHomeserver({ delivery: 'task' });
    hs.addUser(KIT, { displayName: 'Kit User' });
    hs.addUser(SDK, { displayName: 'Sdk User' });
    roomId = hs.createRoom({ creator: KIT, members: [SDK] });
    sdk = await startJsSdkPeer(hs, { userId: SDK, deviceId: 'SDKDEV' });
    const sdkCall = await sdk.placeCall(roomId, 'voice');
    await sdk.waitForState('invite_sent', sdkCall);
    await new Promise((resolve) => setTimeout(resolve, 300));
    kit = await startKitCallPeer(hs, { userId: KIT, deviceId: 'KITDEV', roomId });
    const ringing = await kit.waitForCall(
      (c) => c.id === sdkCall.callId && c.state === 'ringing',
      'ringing from the timeline',
    );
    await kit.controller.answer(ringing.id);
    await Promise.all([kit.waitForState(ringing.id, 'connected'), sdk.waitForState('connected', sdkCall)]);
    await expectMediaBothWays(media(kit.view(ringing.id)!, sdkCall), 'voice');
  });

  describe('glare: both call at once (matrix-js-sdk given the invitee, so its own glare check runs)', () => {
    /** Adds both sides' calls and the room's call events to a failed wait. */
    function explain(error: Error): never {
      const sdkCalls = sdk.calls.map((c) => `${c.callId} ${c.direction} ${c.state}`).join('; ');
      const kitCalls = kit.calls
        .map((c) => `${c.id} ${c.direction} ${c.state} ${c.hangupReason ?? ''}`)
        .join('; ');
      const events = hs
        .timeline(roomId)
        .filter((e) => e.type.startsWith('m.call.'))
        .map((e) => `${e.sender} ${e.type} ${(e.content as { call_id?: string }).call_id}`)
        .join('; ');
      throw new Error(
        `${error.message}. matrix-js-sdk calls: ${sdkCalls}. kit calls: ${kitCalls}. room: ${events}`,
      );
    }

    /** Both sides end up in one call, `winnerId`, with media, and nothing else rings or invites. */
    async function expectOneConnectedCall(winnerId: string) {
      const kitWinner = await kit.waitForState(winnerId, 'connected').catch(explain);
      await waitFor(
        () => sdk.calls.some((c) => c.callId === winnerId && c.state === 'connected'),
        'matrix-js-sdk connected on the winner',
      ).catch(explain);
      const sdkWinner = sdk.calls.find((c) => c.callId === winnerId)!;
      await expectMediaBothWays(media(kitWinner, sdkWinner), 'voice');
      await waitFor(
        () => kit.calls.filter((c) => c.state !== 'ended').length === 1,
        'one live kit call',
        5000,
      ).catch(explain);
      await waitFor(
        () => sdk.calls.filter((c) => c.state !== 'ended').length === 1,
        'one live matrix-js-sdk call',
        5000,
      ).catch(explain);
    }

    const invitesIn = () => hs.timeline(roomId).filter((e) => e.type === 'm.call.invite').length;

    /** Both invites are in the room before matrix-js-sdk sees the kit's: the call_id order decides. */
    async function bothInvitesSent(kitIds: () => string): Promise<MatrixCall> {
      await setup(kitIds);
      sdk.pauseSync();
      await kit.controller.placeCall('voice');
      await kit.waitForCall((c) => c.direction === 'outgoing' && c.state === 'inviting', 'inviting');
      const sdkCall = await sdk.placeCall(roomId, 'voice', { invitee: KIT });
      await sdk.waitForState('invite_sent', sdkCall);
      await waitFor(() => invitesIn() === 2, 'both invites in the room');
      await new Promise((resolve) => setTimeout(resolve, 100)); // the kit has read matrix-js-sdk's invite
      sdk.resumeSync();
      return sdkCall;
    }

    it("both invites sent, the kit's call_id is lower: both keep the kit's call", async () => {
      let n = 0;
      const sdkCall = await bothInvitesSent(() => `0glare${n++}`);
      const kitCallId = kit.calls.find((c) => c.direction === 'outgoing')!.id;
      expect(kitCallId < sdkCall.callId).to.equal(true);
      await expectOneConnectedCall(kitCallId);
      expect(sdkCall.hangupReason).to.equal('replaced');
    });

    it("both invites sent, matrix-js-sdk's call_id is lower: both keep matrix-js-sdk's call", async () => {
      let n = 0;
      const sdkCall = await bothInvitesSent(() => `zglare${n++}`);
      await expectOneConnectedCall(sdkCall.callId);
      expect(kit.calls.find((c) => c.id.startsWith('zglare'))).to.include({
        state: 'ended',
        hangupReason: 'replaced',
      });
    });

    it("matrix-js-sdk's invite arrives while the kit is still getting media: the kit answers it instead", async () => {
      const media = new GatedMediaSource();
      let release!: () => void;
      media.hold(new Promise<void>((resolve) => (release = resolve)));
      hs = new TestHomeserver({ delivery: 'task' });
      hs.addUser(KIT, { displayName: 'Kit User' });
      hs.addUser(SDK, { displayName: 'Sdk User' });
      roomId = hs.createRoom({ creator: KIT, members: [SDK] });
      [kit, sdk] = await Promise.all([
        startKitCallPeer(hs, { userId: KIT, deviceId: 'KITDEV', roomId, controller: { media } }),
        startJsSdkPeer(hs, { userId: SDK, deviceId: 'SDKDEV' }),
      ]);
      const kitPlaced = kit.controller.placeCall('voice');
      await kit.waitForCall((c) => c.direction === 'outgoing' && c.state === 'preparing', 'preparing');
      const sdkCall = await sdk.placeCall(roomId, 'voice', { invitee: KIT });
      await kit.waitForCall((c) => c.id === sdkCall.callId, "matrix-js-sdk's invite").catch(explain);
      release();
      await kitPlaced;
      await expectOneConnectedCall(sdkCall.callId);
    });

    // matrix-js-sdk checks for glare only against calls it has registered, which it does after
    // getUserMedia: the kit's invite arriving before that rings there as an ordinary incoming call and
    // matrix-js-sdk's own invite still goes out. The kit (inviting) sees the lesser call_id is
    // matrix-js-sdk's, answers it and withdraws its own with m.call.hangup reason 'replaced', which
    // stops the ringing on matrix-js-sdk's side.
    it("the kit's invite arrives while matrix-js-sdk is still getting media", async () => {
      await setup();
      let release!: () => void;
      sdk.holdUserMedia(new Promise<void>((resolve) => (release = resolve)));
      const sdkPlaced = sdk.placeCall(roomId, 'voice', { invitee: KIT });
      await waitFor(() => sdk.state === 'wait_local_media', 'matrix-js-sdk waiting for media');
      await kit.controller.placeCall('voice');
      const kitCallId = kit.calls.find((c) => c.direction === 'outgoing')!.id;
      await waitFor(
        () => sdk.calls.some((c) => c.callId === kitCallId),
        "matrix-js-sdk sees the kit's invite",
      ).catch(explain);
      release();
      const sdkCall = await sdkPlaced;
      await expectOneConnectedCall(kitCallId < sdkCall.callId ? kitCallId : sdkCall.callId);
    });
  });
});
