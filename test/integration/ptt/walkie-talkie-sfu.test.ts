// The walkie-talkie's fast path over an SFU call: three LiveKitGroupCalls, each over its own MemoryTransport
// on one in-memory homeserver TEST DOUBLE (demo/host/homeserver.ts), with the JWT service TEST DOUBLE served
// by the test runner (scripts/jwt-service-double.mjs) and, because there is no LiveKit server on this
// machine, a labelled TEST DOUBLE of the SFU (FakeSfu below, behind the SfuRoom seam) that forwards data
// messages and named tracks between the rooms of one page. Real SFU delivery is not tested here.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { LiveKitGroupCall, livekitNeeds } from '../../../src/group/livekit/index.js';
import {
  FLOOR_DATA_TOPIC,
  LIVE_AUDIO_TRACK_NAME,
  type SfuDataMessage,
  type SfuRemoteParticipant,
  type SfuRoom,
  type SfuRoomState,
} from '../../../src/group/livekit/sfu-room.js';
import type { DeviceRef } from '../../../src/ptt/floor-control.js';
import { SfuLiveAudioPath } from '../../../src/ptt/sfu-live-audio-path.js';
import { encodeFloorFrame, type FloorMessage } from '../../../src/signalling/ptt/floor-events.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const CAROL = '@carol:test.invalid';
const SERVICE = `${location.origin}/livekit/jwt`;

/** TEST DOUBLE of a LiveKit SFU in one page: rooms that see each other, data and named tracks forwarded. */
class FakeSfu {
  readonly rooms: FakeSfuRoom[] = [];

  room(identity: string): FakeSfuRoom {
    const room = new FakeSfuRoom(this, identity);
    this.rooms.push(room);
    return room;
  }

  /** Everyone connected but `self`, as remote participants (the named live voice included). */
  remotesFor(self: FakeSfuRoom): SfuRemoteParticipant[] {
    return this.rooms
      .filter((r) => r !== self && r.state.connection === 'connected')
      .map((r) => ({
        identity: r.identity,
        audioMuted: true,
        videoMuted: true,
        speaking: false,
        connection: 'connected' as const,
        ...(r.liveStream ? { liveAudio: r.liveStream } : {}),
      }));
  }

  changed(): void {
    for (const room of this.rooms) room.setRemotes(this.remotesFor(room));
  }

  /** Delivers a data message from `from` (any identity, as a forging SFU participant could claim) to the others. */
  deliver(fromRoom: FakeSfuRoom | undefined, identity: string, payload: Uint8Array, topic: string): void {
    for (const room of this.rooms) {
      if (room === fromRoom || room.state.connection !== 'connected') continue;
      const copy = new Uint8Array(payload);
      setTimeout(() => room.receive({ payload: copy, from: identity, topic }), 0);
    }
  }
}

class FakeSfuRoom implements SfuRoom {
  readonly keySink = undefined;
  /** What the room was asked to do with named tracks, in order. */
  readonly trackLog: string[] = [];
  liveStream: MediaStream | undefined;
  state: SfuRoomState = { connection: 'new', remotes: [], activeSpeakers: [], localSpeaking: false };
  private readonly changes = new Set<() => void>();
  private readonly data = new Set<(message: SfuDataMessage) => void>();

  constructor(
    private readonly sfu: FakeSfu,
    readonly identity: string,
  ) {}

  onChange(listener: () => void) {
    this.changes.add(listener);
    return () => void this.changes.delete(listener);
  }
  onEnded() {
    return () => undefined;
  }
  async connect() {
    this.state = { ...this.state, connection: 'connected' };
    this.sfu.changed();
  }
  async publishUserMedia() {}
  async setMuted() {}
  async publishScreen() {}
  async unpublishScreen() {}
  async disconnect() {
    this.state = { ...this.state, connection: 'disconnected', remotes: [] };
    this.liveStream = undefined;
    this.sfu.changed();
  }
  async publishData(payload: Uint8Array, options: { topic: string }) {
    this.sfu.deliver(this, this.identity, payload, options.topic);
  }
  onData(listener: (message: SfuDataMessage) => void) {
    this.data.add(listener);
    return () => void this.data.delete(listener);
  }
  async publishNamedAudio(track: MediaStreamTrack, name: string) {
    this.trackLog.push(`publish ${name} ${track.id}`);
    if (name === LIVE_AUDIO_TRACK_NAME) this.liveStream = new MediaStream([track]);
    this.sfu.changed();
  }
  async unpublishNamedAudio(track: MediaStreamTrack) {
    this.trackLog.push(`unpublish ${track.id}`);
    this.liveStream = undefined;
    this.sfu.changed();
  }
  receive(message: SfuDataMessage) {
    for (const listener of this.data) listener(message);
  }
  setRemotes(remotes: SfuRemoteParticipant[]) {
    this.state = { ...this.state, remotes };
    for (const listener of this.changes) listener();
  }
}

interface Kit {
  readonly device: DeviceRef;
  readonly call: LiveKitGroupCall;
  readonly path: SfuLiveAudioPath;
  readonly room: () => FakeSfuRoom;
  readonly frames: Array<{ frame: unknown; from: DeviceRef }>;
  readonly voices: Array<{ from: DeviceRef; stream: MediaStream | undefined }>;
  readonly transport: MemoryTransport;
}

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
      const path = new SfuLiveAudioPath(call);
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
    sfu.deliver(undefined, 'no-such-participant', new TextEncoder().encode(aliceFrame), FLOOR_DATA_TOPIC);
    sfu.deliver(carol!.room(), carol!.room().identity, new Uint8Array([0xff, 0xfe, 0x00]), FLOOR_DATA_TOPIC);
    // A frame on another topic is not the walkie-talkie's.
    sfu.deliver(carol!.room(), carol!.room().identity, new TextEncoder().encode(aliceFrame), 'chat');
    const carolFrame = encodeFloorFrame(request(carol!.device, 2));
    carol!.path.sendFloorFrame(carolFrame);
    for (const kit of [alice!, bob!]) {
      await waitFor(
        () => kit.frames.some((f) => f.frame === carolFrame),
        `${kit.device.userId} to get carol's honest frame`,
      );
      const fromCarol = kit.frames.filter((f) => f.from.userId === CAROL);
      expect(fromCarol.map((f) => f.frame), `${kit.device.userId}: only the honest frame from carol`).to.deep.equal([
        carolFrame,
      ]);
      expect(
        kit.frames.filter((f) => f.frame === aliceFrame).length,
        'alice\'s frame only once (unknown identity and other topic dropped)',
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
      expect(alice!.room().trackLog, 'nothing published before talking').to.deep.equal([]);
      alice!.path.startSending(track, [bob!.device, carol!.device]);
      expect(alice!.path.isSending).to.equal(true);
      for (const kit of [bob!, carol!]) {
        await waitFor(() => kit.voices.length === 1, `${kit.device.userId} to get alice's voice`);
        expect(kit.voices[0]!.from).to.deep.equal(alice!.device);
        expect(kit.voices[0]!.stream!.getAudioTracks()).to.deep.equal([track]);
      }
      expect(alice!.room().trackLog).to.deep.equal([`publish ${LIVE_AUDIO_TRACK_NAME} ${track.id}`]);
      // Re-targeting keeps the one publication.
      alice!.path.startSending(track, [bob!.device]);
      alice!.path.stopSending();
      await waitFor(() => alice!.room().trackLog.length === 2, 'alice to unpublish');
      expect(alice!.room().trackLog[1]).to.equal(`unpublish ${track.id}`);
      for (const kit of [bob!, carol!]) {
        await waitFor(() => kit.voices.length === 2, `${kit.device.userId} to hear alice's voice end`);
        expect(kit.voices[1]).to.deep.equal({ from: alice!.device, stream: undefined });
      }
      expect(alice!.voices, 'the talker gets no voice of its own').to.have.length(0);
      expect(track.readyState, 'the path never stops the track').to.equal('live');
      for (const kit of [bob!, carol!]) expect(kit.room().trackLog, 'listeners publish nothing').to.deep.equal([]);
    } finally {
      track.stop();
    }
  });
});
