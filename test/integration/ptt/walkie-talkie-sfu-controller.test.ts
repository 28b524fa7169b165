// The walkie-talkie over an SFU group call, through the CallController: three controllers, each over its
// own MemoryTransport on one homeserver TEST DOUBLE (demo/host/homeserver.ts), with groupBackend
// 'livekit', the JWT service TEST DOUBLE served by the test runner (scripts/jwt-service-double.mjs) and,
// as there is no LiveKit server on this machine, the in-page SFU TEST DOUBLE (fake-sfu.ts). They opt in
// and so join the SFU call listen-only (nothing published, no microphone opened); Alice presses: floor
// frames cross as data messages, her live voice is published and reaches Bob's and Carol's walkie-talkie;
// she releases: it is unpublished. Once more with the SFU backend behind the lazy stand-in. Real SFU
// delivery is not tested here. The page's audio output is a recording test double.
import { expect } from '@open-wc/testing';
import type { GroupCallBackendFactory } from '../../../src/group/group-call-backend.js';
import { liveKitBackend, LiveKitGroupCall, livekitNeeds } from '../../../src/group/livekit/index.js';
import { FLOOR_DATA_TOPIC, LIVE_AUDIO_TRACK_NAME } from '../../../src/group/livekit/sfu-room.js';
import { lazyBackendFactory } from '../../../src/group/lazy-backend.js';
import { PlaybackArbiter } from '../../../src/ptt/playback-queue.js';
import { FLOOR_HEARTBEAT, FLOOR_REQUEST } from '../../../src/signalling/ptt/event-types.js';
import type { CallKind } from '../../../src/snapshot.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from '../controller/controller-room.js';
import { FakeSfu } from './fake-sfu.js';
import { RecordingSink, sleep } from './ptt-room.js';

const SERVICE = `${location.origin}/livekit/jwt`;

/** The browser's fake media, keeping every stream it handed out (to see them stopped). */
class KeepingMediaSource extends RecordingMediaSource {
  readonly streams: MediaStream[] = [];

  override async getUserMedia(kind: CallKind): Promise<MediaStream> {
    const stream = await super.getUserMedia(kind);
    this.streams.push(stream);
    return stream;
  }
}

interface Device {
  readonly side: Side;
  readonly identity: string;
  readonly media: KeepingMediaSource;
  readonly sink: RecordingSink;
}

const pttOf = (d: Device) => d.side.controller.snapshot.ptt!;
const groupOf = (d: Device) => d.side.controller.snapshot.group!;

/** The LiveKitGroupCall carrying the room's call, looked at through a lazy stand-in. */
function sfuCallOf(d: Device): LiveKitGroupCall {
  const backend = d.side.controller.groupCall!.backend as unknown as { loaded?: unknown };
  const call = 'loaded' in backend ? backend.loaded : backend;
  expect(call).to.be.instanceOf(LiveKitGroupCall);
  return call as LiveKitGroupCall;
}

const framesOf = (sfu: FakeSfu, identity: string) =>
  sfu.dataLog
    .filter((m) => m.from === identity && m.topic === FLOOR_DATA_TOPIC)
    .map((m) => (JSON.parse(m.text) as { type: string }).type);

describe('walkie-talkie over an SFU group call (fake SFU), through the controller', function () {
  this.timeout(60_000);
  let room: ControllerRoom;
  let sfu: FakeSfu;
  afterEach(() => room.dispose());

  async function threeDevices(wrap: (factory: GroupCallBackendFactory) => GroupCallBackendFactory) {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    sfu = new FakeSfu();
    const devices: Device[] = [];
    for (const [userId, deviceId] of [
      [ALICE, 'ALICEDEV'],
      [BOB, 'BOBDEV'],
      [CAROL, 'CAROLDEV'],
    ] as const) {
      const identity = `${userId}:${deviceId}`;
      const media = new KeepingMediaSource();
      const sink = new RecordingSink();
      const livekit = wrap(liveKitBackend({ foci: [SERVICE], e2ee: false, loadRoom: sfu.loader(identity) }));
      const side = await room.side(userId, deviceId, {
        media,
        controller: {
          settings: { groupBackend: 'livekit' },
          groupBackends: { livekit, livekitNeeds: livekitNeeds({ userId, deviceId }, { e2ee: false }) },
          walkieTalkie: { playback: new PlaybackArbiter(sink) },
        },
      });
      devices.push({ side, identity, media, sink });
    }
    return devices as [Device, Device, Device];
  }

  async function optInAndTalk(devices: [Device, Device, Device]): Promise<void> {
    const [alice, bob, carol] = devices;
    await Promise.all(devices.map((d) => d.side.controller.setPttOptIn(true)));
    for (const d of devices) {
      await waitFor(() => groupOf(d).state === 'joined', `${d.identity} in the SFU call listen-only`);
      expect(groupOf(d)).to.include({ backend: 'livekit', listenOnly: true });
      await waitFor(
        () =>
          sfuCallOf(d).view.participants.filter((p) => !p.local && p.connection === 'connected').length === 2,
        `${d.identity} to see the others in the SFU room`,
      );
    }
    await waitFor(() => devices.every((d) => pttOf(d).optedIn && pttOf(d).floor === 'idle'), 'opted in');
    for (const d of devices) {
      expect(d.media.userMediaRequests, `${d.identity}: no microphone or camera opened`).to.deep.equal([]);
      expect(sfu.roomsOf(d.identity)).to.have.length(1);
      expect(sfu.roomsOf(d.identity)[0]!.publishLog, `${d.identity}: nothing published`).to.deep.equal([]);
    }

    alice.side.controller.pttPress();
    await waitFor(() => pttOf(alice).floor === 'talking', 'Alice talking');
    await waitFor(
      () => pttOf(bob).floor === 'listening' && pttOf(carol).floor === 'listening',
      'Bob and Carol listening',
    );
    expect(pttOf(bob).talker?.userId).to.equal(ALICE);
    expect(alice.media.userMediaRequests, "Alice's microphone opened on the press").to.deep.equal(['voice']);
    await waitFor(() => alice.media.streams.length > 0, "Alice's microphone stream handed out");
    const aliceTrack = alice.media.streams[0]!.getAudioTracks()[0]!;
    const aliceRoom = sfu.roomsOf(alice.identity)[0]!;
    await waitFor(() => aliceRoom.publishLog.length === 1, "Alice's live voice published");
    expect(aliceRoom.publishLog).to.deep.equal([`publish ${LIVE_AUDIO_TRACK_NAME} ${aliceTrack.id}`]);
    for (const d of [bob, carol]) {
      await waitFor(() => d.sink.streams.length > 0, `${d.identity}'s walkie-talkie to play Alice's voice`);
      expect(d.sink.streams[0]!.getAudioTracks()[0], "Alice's live-voice track").to.equal(aliceTrack);
    }
    // Heartbeats travel only on the fast path: as SFU data messages.
    await waitFor(() => framesOf(sfu, alice.identity).includes(FLOOR_HEARTBEAT), 'a heartbeat over the SFU');
    expect(framesOf(sfu, alice.identity)).to.include(FLOOR_REQUEST);
    await sleep(300);

    alice.side.controller.pttRelease();
    await waitFor(() => devices.every((d) => pttOf(d).floor === 'idle'), 'the floor free everywhere');
    await waitFor(() => aliceRoom.publishLog.length === 2, "Alice's live voice unpublished");
    expect(aliceRoom.publishLog[1]).to.equal(`unpublish ${aliceTrack.id}`);
    for (const d of [bob, carol]) {
      await waitFor(
        () => sfuCallOf(d).liveAudio.remoteLiveAudio().length === 0,
        `${d.identity}: Alice's voice gone`,
      );
      expect(d.media.userMediaRequests, `${d.identity}: listened without a microphone`).to.deep.equal([]);
      expect(sfu.roomsOf(d.identity)[0]!.publishLog, `${d.identity}: published nothing`).to.deep.equal([]);
      expect(d.sink.streams.length).to.equal(1);
    }
    expect(alice.sink.streams, 'the talker does not play its own voice').to.have.length(0);
    await waitFor(() => aliceTrack.readyState === 'ended', "Alice's microphone closed after the release");
  }

  it('opted in, they join listen-only; a press publishes the live voice to the others, a release unpublishes it', async () => {
    const devices = await threeDevices((factory) => factory);
    await optInAndTalk(devices);

    // Opting out leaves the listen-only join.
    const [, bob] = devices;
    await bob.side.controller.setPttOptIn(false);
    await waitFor(() => groupOf(bob).state === 'idle', 'Bob out of the SFU call');
    expect(groupOf(bob).listenOnly).to.equal(undefined);
  });

  it('through the lazy stand-in: the path attaches to the SFU call once its code has loaded', async () => {
    let loads = 0;
    const devices = await threeDevices((factory) =>
      lazyBackendFactory(async () => {
        loads++;
        await sleep(20);
        return factory;
      }, 'livekit'),
    );
    expect(loads, 'no group call yet: the SFU code is not loaded').to.equal(0);
    await optInAndTalk(devices);
    expect(loads, 'the SFU code loaded once on each device, on its opt-in').to.equal(3);
  });

  it("with media E2EE, a listen-only talker's media key goes to the opted-in devices only, not to a device in the call that did not opt in", async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    sfu = new FakeSfu({ e2ee: true });
    const devices: Device[] = [];
    for (const [userId, deviceId] of [
      [ALICE, 'ALICEDEV'],
      [BOB, 'BOBDEV'],
      [CAROL, 'CAROLDEV'],
      [CAROL, 'CAROLPHONE'],
    ] as const) {
      const identity = `${userId}:${deviceId}`;
      const media = new KeepingMediaSource();
      const sink = new RecordingSink();
      const livekit = liveKitBackend({ foci: [SERVICE], e2ee: true, loadRoom: sfu.loader(identity) });
      const side = await room.side(userId, deviceId, {
        media,
        controller: {
          settings: { groupBackend: 'livekit' },
          groupBackends: { livekit, livekitNeeds: livekitNeeds({ userId, deviceId }, { e2ee: true }) },
          walkieTalkie: { playback: new PlaybackArbiter(sink) },
        },
      });
      devices.push({ side, identity, media, sink });
    }
    const [alice, bob, carol, phone] = devices as [Device, Device, Device, Device];
    // Carol's phone is in the SFU call (joined with media) but never opts in to the walkie-talkie.
    await phone.side.controller.joinGroupCall('voice');
    await waitFor(() => groupOf(phone).state === 'joined', "Carol's phone in the SFU call");
    await Promise.all([alice, bob, carol].map((d) => d.side.controller.setPttOptIn(true)));
    for (const d of [alice, bob, carol]) {
      await waitFor(
        () => groupOf(d).state === 'joined' && groupOf(d).listenOnly === true,
        `${d.identity} listen-only`,
      );
    }
    const aliceKeys = () => sfuCallOf(alice).keyExchange!.ring;
    const keysFromAlice = (d: Device) =>
      sfuCallOf(d)
        .keyExchange!.ring.remoteKeys()
        .filter((k) => k.userId === ALICE);
    const holdsAlicesKey = (d: Device) => {
      const own = aliceKeys().currentKey;
      return own !== undefined && keysFromAlice(d).some((k) => k.index === own.index);
    };
    for (const d of [bob, carol]) await waitFor(() => holdsAlicesKey(d), `${d.identity} to hold Alice's key`);

    alice.side.controller.pttPress();
    await waitFor(() => pttOf(alice).floor === 'talking', 'Alice talking');
    await waitFor(
      () => sfu.roomsOf(alice.identity)[0]!.publishLog.length === 1,
      "Alice's live voice published",
    );
    for (const d of [bob, carol]) {
      await waitFor(() => d.sink.streams.length > 0, `${d.identity}'s walkie-talkie to play Alice's voice`);
      await waitFor(() => holdsAlicesKey(d), `${d.identity} to hold the key Alice talks with`);
      expect(aliceKeys().keyIndexInUse).to.equal(aliceKeys().currentKey!.index);
    }
    // The phone holds the others' keys only as the call's membership says: none of Alice's.
    expect(keysFromAlice(phone), "Carol's phone holds no key of Alice's").to.deep.equal([]);
    const phoneSink = sfu.roomsOf(phone.identity)[0]!.keySink!;
    expect(phoneSink.keys.filter((k) => k.identity.startsWith(ALICE))).to.deep.equal([]);
    expect(phone.sink.streams, "the phone's walkie-talkie plays nothing").to.have.length(0);
    alice.side.controller.pttRelease();
    await waitFor(() => pttOf(alice).floor === 'idle', 'the floor free');
  });
});
