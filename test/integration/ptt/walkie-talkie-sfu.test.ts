// The walkie-talkie's fast path over an SFU call: three LiveKitGroupCalls, each over its own MemoryTransport
// on one in-memory homeserver TEST DOUBLE (demo/host/homeserver.ts), with the JWT service TEST DOUBLE served
// by the test runner (scripts/jwt-service-double.mjs) and, because there is no LiveKit server on this
// machine, a labelled TEST DOUBLE of the SFU (FakeSfu in fake-sfu.ts, behind the SfuRoom seam) that forwards data
// messages and named tracks between the rooms of one page. Real SFU delivery is not tested here.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { LiveKitGroupCall, livekitNeeds } from '../../../src/group/livekit/index.js';
import { FLOOR_DATA_TOPIC, LIVE_AUDIO_TRACK_NAME } from '../../../src/group/livekit/sfu-room.js';
import type { DeviceRef } from '../../../src/ptt/floor-control.js';
import { SfuLiveAudioPath } from '../../../src/ptt/sfu-live-audio-path.js';
import { encodeFloorFrame, type FloorMessage } from '../../../src/signalling/ptt/floor-events.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';
import { FakeSfu, type FakeSfuRoom } from './fake-sfu.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const CAROL = '@carol:test.invalid';
const SERVICE = `${location.origin}/livekit/jwt`;

interface Kit {
  readonly device: DeviceRef;
  readonly call: LiveKitGroupCall;
  readonly path: SfuLiveAudioPath;
  readonly room: () => FakeSfuRoom;
  readonly frames: Array<{ frame: unknown; from: DeviceRef }>;
  readonly voices: Array<{ from: DeviceRef; stream: MediaStream | undefined }>;
  readonly transport: MemoryTransport;
}

/** What a room was asked to do with named tracks (the live voice), in order. */
const namedTracks = (room: FakeSfuRoom) => room.publishLog.filter((line) => !line.startsWith('user-media'));

const request = (device: DeviceRef, turn: number): FloorMessage => ({
  kind: 'request',
  claim: { turn, userId: device.userId, deviceId: device.deviceId, ts: Date.now() },
});

describe('SfuLiveAudioPath over LiveKitGroupCall (fake SFU)', function () {
  this.timeout(30_000);
  const kits: Kit[] = [];
  let sfu: FakeSfu;

  afterEach(() => {
    for (const kit of kits.splice(0)) {
      kit.path.close();
      kit.call.dispose();
      kit.transport.close();
    }
  });

  async function threeKits(): Promise<Kit[]> {
    sfu = new FakeSfu();
    const hs = new TestHomeserver({ delivery: 'task' });
    const roomId = hs.createRoom({ creator: ALICE, members: [BOB, CAROL] });
    for (const [userId, deviceId] of [
      [ALICE, 'ALICEDEV'],
      [BOB, 'BOBDEV'],
      [CAROL, 'CAROLDEV'],
    ] as const) {
      const transport = new MemoryTransport(hs, { userId, deviceId, roomId });
      await transport.start(livekitNeeds(transport));
      let room: FakeSfuRoom | undefined;
      const call = new LiveKitGroupCall({
        transport,
        media: new RecordingMediaSource(),
        foci: [SERVICE],
        e2ee: false,
        // Session memberships publish under `${userId}:${deviceId}`.
        loadRoom: async () => (room = sfu.room(`${userId}:${deviceId}`)),
      });
      await call.start();
      const path = new SfuLiveAudioPath(call.liveAudio);
      const kit: Kit = {
        device: { userId, deviceId },
        call,
        path,
        room: () => room!,
        frames: [],
        voices: [],
        transport,
      };
      path.onFloorFrame((frame, from) => kit.frames.push({ frame, from }));
      path.onLiveAudio((from, stream) => kit.voices.push({ from, stream }));
      kits.push(kit);
    }
    for (const kit of kits) await kit.call.join('voice');
    // Each sees the other two as members (the identity directory names their LiveKit identities).
    for (const kit of kits) {
      await waitFor(
        () => kit.call.view.participants.filter((p) => !p.local && p.connection === 'connected').length === 2,
        `${kit.device.userId} to see the others in the SFU room`,
      );
    }
    return kits;
  }

  it('floor frames cross between three devices with the sender named by the SFU identity; forged frames are dropped', async () => {
    const [alice, bob, carol] = await threeKits();
    const aliceFrame = encodeFloorFrame(request(alice!.device, 1));
    alice!.path.sendFloorFrame(aliceFrame);
    for (const kit of [bob!, carol!]) {
      await waitFor(() => kit.frames.length === 1, `${kit.device.userId} to get alice's frame`);
      expect(kit.frames[0]!.frame).to.equal(aliceFrame);
      expect(kit.frames[0]!.from).to.deep.equal(alice!.device);
    }
    expect(alice!.frames, 'no echo of its own frame').to.have.length(0);

    // Carol claims in Alice's name; then a frame from an identity no member has; then a frame that is
    // not UTF-8; then an honest frame from Carol (delivered after them).
    carol!.path.sendFloorFrame(encodeFloorFrame(request(alice!.device, 2)));
    sfu.deliver(undefined, new TextEncoder().encode(aliceFrame), FLOOR_DATA_TOPIC, 'no-such-participant');
    sfu.deliver(carol!.room(), new Uint8Array([0xff, 0xfe, 0x00]), FLOOR_DATA_TOPIC);
    // A frame on another topic is not the walkie-talkie's.
    sfu.deliver(carol!.room(), new TextEncoder().encode(aliceFrame), 'chat');
    const carolFrame = encodeFloorFrame(request(carol!.device, 2));
    carol!.path.sendFloorFrame(carolFrame);
    for (const kit of [alice!, bob!]) {
      await waitFor(
        () => kit.frames.some((f) => f.frame === carolFrame),
        `${kit.device.userId} to get carol's honest frame`,
      );
      const fromCarol = kit.frames.filter((f) => f.from.userId === CAROL);
      expect(
        fromCarol.map((f) => f.frame),
        `${kit.device.userId}: only the honest frame from carol`,
      ).to.deep.equal([carolFrame]);
      expect(
        kit.frames.filter((f) => f.frame === aliceFrame).length,
        "alice's frame only once (unknown identity and other topic dropped)",
      ).to.equal(kit === bob ? 1 : 0);
      expect(kit.path.rejected.map((r) => [r.from.userId, r.reason])).to.deep.equal([
        [CAROL, 'a claim must come from its claimant'],
      ]);
    }
  });

  it('the talker publishes its microphone only while it sends; the others get its voice and then its end', async () => {
    const [alice, bob, carol] = await threeKits();
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    const track = mic.getAudioTracks()[0]!;
    try {
      expect(namedTracks(alice!.room()), 'nothing published before talking').to.deep.equal([]);
      alice!.path.startSending(track, [bob!.device, carol!.device]);
      expect(alice!.path.isSending).to.equal(true);
      for (const kit of [bob!, carol!]) {
        await waitFor(() => kit.voices.length === 1, `${kit.device.userId} to get alice's voice`);
        expect(kit.voices[0]!.from).to.deep.equal(alice!.device);
        expect(kit.voices[0]!.stream!.getAudioTracks()).to.deep.equal([track]);
      }
      expect(namedTracks(alice!.room())).to.deep.equal([`publish ${LIVE_AUDIO_TRACK_NAME} ${track.id}`]);
      // Re-targeting keeps the one publication.
      alice!.path.startSending(track, [bob!.device]);
      alice!.path.stopSending();
      await waitFor(() => namedTracks(alice!.room()).length === 2, 'alice to unpublish');
      expect(namedTracks(alice!.room())[1]).to.equal(`unpublish ${track.id}`);
      for (const kit of [bob!, carol!]) {
        await waitFor(() => kit.voices.length === 2, `${kit.device.userId} to hear alice's voice end`);
        expect(kit.voices[1]).to.deep.equal({ from: alice!.device, stream: undefined });
      }
      expect(alice!.voices, 'the talker gets no voice of its own').to.have.length(0);
      expect(track.readyState, 'the path never stops the track').to.equal('live');
      for (const kit of [bob!, carol!])
        expect(namedTracks(kit.room()), 'listeners publish nothing').to.deep.equal([]);
    } finally {
      track.stop();
    }
  });
});
