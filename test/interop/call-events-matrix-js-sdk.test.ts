// The m.call.* parser and builder against matrix-js-sdk's MatrixCall (the call code of Element
// Web), both running real matrix-js-sdk clients over the in-page homeserver TEST DOUBLE
// (demo/host/homeserver.ts, served to the clients by test/support/js-sdk-peer.ts):
// - every event two matrix-js-sdk clients exchange in a call (mute and reject included) is read
//   by parseReceivedCallEvent;
// - a bare RTCPeerConnection that signals only through callEventContent and parseReceivedCallEvent
//   (no PeerCall) calls matrix-js-sdk, connects, mutes, and hangs up with a reason it sees.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../demo/host/homeserver.js';
import {
  callEventContent,
  END_OF_CANDIDATES_MARKER,
  parseReceivedCallEvent,
  type CallEvent,
  type ReceivedCallEvent,
  type SdpStreamMetadata,
} from '../../src/signalling/voip/index.js';
import type { RawRoomEvent } from '../../src/transport/transport.js';
import { quietMatrixJsSdkLogs, startJsSdkPeer, type JsSdkPeer } from '../support/js-sdk-peer.js';
import { waitFor } from '../support/webrtc.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const KIT = '@kit:test.invalid';

const isCallType = (type: string) => type.startsWith('m.call.') || type.startsWith('org.matrix.call.');

function parseAll(events: readonly RawRoomEvent[]): ReceivedCallEvent[] {
  return events
    .filter((e) => isCallType(e.type))
    .map((e) => {
      const parsed = parseReceivedCallEvent(e, 0);
      expect(parsed.ok, `${e.type} ${JSON.stringify(e.content)}: ${parsed.ok ? '' : parsed.reason}`).to.equal(
        true,
      );
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    });
}

describe('m.call.* parser and builder with matrix-js-sdk (homeserver test double)', function () {
  this.timeout(40000);
  let hs: TestHomeserver;
  let restoreLogs: () => void;
  const peers: JsSdkPeer[] = [];
  before(() => (restoreLogs = quietMatrixJsSdkLogs()));
  after(() => restoreLogs());
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.stop();
  });

  beforeEach(() => {
    hs = new TestHomeserver({ delivery: 'task' });
    for (const user of [ALICE, BOB, KIT]) hs.addUser(user, { displayName: user.slice(1, 4) });
  });

  it("reads every event of matrix-js-sdk's calls: video with mute and hangup, and a reject", async () => {
    const roomId = hs.createRoom({ creator: ALICE, members: [BOB] });
    const [alice, bob] = await Promise.all([
      startJsSdkPeer(hs, { userId: ALICE, deviceId: 'ALICEDEV' }),
      startJsSdkPeer(hs, { userId: BOB, deviceId: 'BOBDEV' }),
    ]);
    peers.push(alice, bob);

    const incoming = bob.nextIncomingCall();
    const outgoing = await alice.placeCall(roomId, 'video');
    const ringing = await incoming;
    await bob.answer(ringing);
    await Promise.all([alice.waitForState('connected', outgoing), bob.waitForState('connected', ringing)]);
    await bob.setMicMuted(true, ringing);
    await waitFor(() => alice.remoteFeeds(outgoing)[0]?.isAudioMuted() === true, 'the mute seen');
    alice.hangup(outgoing);
    await bob.waitForState('ended', ringing);

    const second = bob.nextIncomingCall();
    const rejected = await alice.placeCall(roomId, 'voice');
    bob.reject(await second);
    await alice.waitForState('ended', rejected);

    const received = parseAll(hs.timeline(roomId));
    const kinds = new Set(received.map((r) => r.event.kind));
    // On loopback matrix-js-sdk puts its candidates in the SDP and may send no m.call.candidates
    // (the second test reads candidates exactly as it would write them).
    for (const kind of ['invite', 'answer', 'select_answer', 'metadata_changed', 'hangup', 'reject']) {
      expect(kinds, kind).to.include(kind);
    }

    const invite = received.find((r) => r.event.kind === 'invite')!.event;
    if (invite.kind !== 'invite') throw new Error('not an invite');
    expect(invite).to.include({
      version: '1',
      party_id: 'ALICEDEV',
      call_id: outgoing.callId,
      lifetime: 60000,
    });
    expect(invite.capabilities).to.have.property('m.call.dtmf');
    const streams = Object.values(invite.sdp_stream_metadata ?? {});
    expect(streams.map((s) => s.purpose)).to.deep.equal(['m.usermedia']);

    const muted = received.find((r) => r.event.kind === 'metadata_changed')!;
    expect(muted.sender).to.equal(BOB);
    expect(
      Object.values(muted.event.kind === 'metadata_changed' ? muted.event.sdp_stream_metadata : {}),
    ).to.deep.include({
      purpose: 'm.usermedia',
      audio_muted: true,
      video_muted: false,
    });

    const hangup = received.find(
      (r) => r.event.kind === 'hangup' && r.event.call_id === outgoing.callId,
    )!.event;
    expect(hangup).to.include({ kind: 'hangup', reason: 'user_hangup', party_id: 'ALICEDEV' });
    expect(received.find((r) => r.event.kind === 'reject')!.event).to.include({
      call_id: rejected.callId,
      party_id: 'BOBDEV',
    });
  });

  it('a peer signalling only through the builder and parser calls matrix-js-sdk: connects, mutes, hangs up', async () => {
    const roomId = hs.createRoom({ creator: KIT, members: [BOB] });
    const bob = await startJsSdkPeer(hs, { userId: BOB, deviceId: 'BOBDEV' });
    peers.push(bob);

    const callId = `kit-${Date.now()}`;
    const envelope = { call_id: callId, party_id: 'KITDEV', version: '1' } as const;
    const send = (event: CallEvent) => {
      const { type, content } = callEventContent(event);
      hs.sendEvent(roomId, KIT, type, content, { senderDevice: 'KITDEV' });
    };

    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const pc = new RTCPeerConnection();
    for (const track of media.getTracks()) pc.addTrack(track, media);
    const metadata = (audioMuted: boolean): SdpStreamMetadata => ({
      [media.id]: { purpose: 'm.usermedia', audio_muted: audioMuted, video_muted: false },
    });

    // What the kit hears from Bob, through the parser only.
    let answered = false;
    const fromBob: ReceivedCallEvent[] = [];
    const unsubscribe = hs.subscribe(KIT, 'KITDEV', {
      onRoomEvent: (raw) => {
        if (raw.room_id !== roomId || raw.sender !== BOB || !isCallType(raw.type)) return;
        const parsed = parseReceivedCallEvent(raw, performance.now());
        expect(parsed.ok, parsed.ok ? '' : parsed.reason).to.equal(true);
        if (!parsed.ok || parsed.value.event.call_id !== callId) return;
        fromBob.push(parsed.value);
        const event = parsed.value.event;
        if (event.kind === 'answer' && !answered) {
          answered = true;
          void pc.setRemoteDescription(event.answer);
          send({ kind: 'select_answer', ...envelope, selected_party_id: event.party_id ?? '' });
        } else if (event.kind === 'candidates') {
          for (const c of event.candidates) if (c.candidate !== '') void pc.addIceCandidate(c);
        }
      },
    });

    try {
      const gathered: RTCIceCandidate[] = [];
      pc.onicecandidate = (e) => {
        if (e.candidate) gathered.push(e.candidate);
      };
      await pc.setLocalDescription(await pc.createOffer());
      await waitFor(() => pc.iceGatheringState === 'complete', 'ICE gathering');
      // What matrix-js-sdk's sendCandidateQueue writes: RTCIceCandidate.toJSON(), then { candidate: "" }.
      const asJsSdkSends = parseReceivedCallEvent(
        {
          type: 'm.call.candidates',
          sender: BOB,
          event_id: '$js-sdk-shaped',
          room_id: roomId,
          origin_server_ts: 0,
          content: { ...envelope, candidates: [...gathered.map((c) => c.toJSON()), { candidate: '' }] },
        },
        0,
      );
      expect(asJsSdkSends.ok, JSON.stringify(asJsSdkSends)).to.equal(true);
      const readBack =
        asJsSdkSends.ok && asJsSdkSends.value.event.kind === 'candidates'
          ? asJsSdkSends.value.event.candidates
          : [];
      expect(readBack).to.have.length(gathered.length + 1);
      expect(readBack[0]).to.include({
        candidate: gathered[0]!.candidate,
        usernameFragment: gathered[0]!.usernameFragment,
      });
      expect(readBack[readBack.length - 1]).to.deep.equal({ candidate: '' });

      const incoming = bob.nextIncomingCall();
      send({
        kind: 'invite',
        ...envelope,
        offer: { type: 'offer', sdp: pc.localDescription!.sdp },
        lifetime: 90000,
        invitee: BOB,
        sdp_stream_metadata: metadata(false),
        capabilities: { 'm.call.dtmf': false, 'm.call.transferee': false },
      });
      send({
        kind: 'candidates',
        ...envelope,
        candidates: [
          ...gathered.map((c) => ({
            candidate: c.candidate,
            ...(c.sdpMid === null ? {} : { sdpMid: c.sdpMid }),
            ...(c.sdpMLineIndex === null ? {} : { sdpMLineIndex: c.sdpMLineIndex }),
            ...(c.usernameFragment === null ? {} : { usernameFragment: c.usernameFragment }),
          })),
          END_OF_CANDIDATES_MARKER,
        ],
      });

      const ringing = await incoming;
      expect(ringing.callId).to.equal(callId);
      expect(ringing.type).to.equal('video');
      expect(ringing.getOpponentMember()?.userId).to.equal(KIT);
      await bob.answer(ringing);
      await bob.waitForState('connected', ringing);
      await waitFor(() => pc.connectionState === 'connected', 'the bare peer connected');

      const answer = fromBob.find((r) => r.event.kind === 'answer')!.event;
      expect(answer).to.include({ version: '1', party_id: 'BOBDEV' });
      expect(
        answer.kind === 'answer' && Object.values(answer.sdp_stream_metadata ?? {})[0]?.purpose,
      ).to.equal('m.usermedia');

      // matrix-js-sdk reads the metadata only under MSC3077's unstable key: the builder writes both.
      const feed = () => bob.remoteFeeds(ringing).find((f) => f.stream.id === media.id);
      await waitFor(() => feed() !== undefined, "the kit's stream as Bob's remote feed");
      expect(feed()!.purpose).to.equal('m.usermedia');
      expect(feed()!.isAudioMuted()).to.equal(false);
      send({ kind: 'metadata_changed', ...envelope, sdp_stream_metadata: metadata(true) });
      await waitFor(() => feed()!.isAudioMuted(), 'Bob sees the mute');

      send({ kind: 'hangup', ...envelope, reason: 'ice_failed' });
      await bob.waitForState('ended', ringing);
      expect(ringing.hangupParty).to.equal('remote');
      expect(ringing.hangupReason).to.equal('ice_failed');
      expect(bob.callErrors, JSON.stringify(bob.callErrors)).to.deep.equal([]);
    } finally {
      unsubscribe();
      pc.close();
      for (const track of media.getTracks()) track.stop();
    }
  });
});
