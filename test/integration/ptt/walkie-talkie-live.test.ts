// Live walkie-talkie audio over the mesh, through the CallController: three controllers, each over its own
// MemoryTransport on one homeserver TEST DOUBLE (demo/host/homeserver.ts), opt in and so join the room's mesh
// call listen-only (no microphone opened); a fourth device (Dan) is in the call with his microphone but not
// opted in. Alice presses: her voice reaches Bob and Carol on their legs from her (inbound audio bytes grow,
// and their walkie-talkie plays that leg's audio), floor frames travel on the legs' data channels
// (heartbeats, which only the fast path carries), and Dan's leg from Alice carries nothing. Alice releases:
// her microphone is stopped and the bytes stop. The page's audio output is a recording test double.
import { expect } from '@open-wc/testing';
import type { MeshGroupCall } from '../../../src/group/mesh/mesh-group-call.js';
import { PlaybackArbiter } from '../../../src/ptt/playback-queue.js';
import { FLOOR_HEARTBEAT } from '../../../src/signalling/ptt/event-types.js';
import type { CallKind } from '../../../src/snapshot.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from '../controller/controller-room.js';
import { RecordingSink, sleep } from './ptt-room.js';

const DAN = '@dan:test.invalid';

/** The browser's fake media, keeping every stream it handed out (to see them stopped). */
class KeepingMediaSource extends RecordingMediaSource {
  readonly streams: MediaStream[] = [];

  override async getUserMedia(kind: CallKind): Promise<MediaStream> {
    const stream = await super.getUserMedia(kind);
    this.streams.push(stream);
    return stream;
  }

  get liveTracks(): number {
    return this.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
  }
}

interface Device {
  readonly side: Side;
  readonly media: KeepingMediaSource;
  readonly sink: RecordingSink;
}

const meshOf = (d: Device) => d.side.controller.groupCall!.backend as MeshGroupCall;
const pttOf = (d: Device) => d.side.controller.snapshot.ptt!;
const legFrom = (d: Device, userId: string) => meshOf(d).legSummaries.find((l) => l.userId === userId);

async function inboundAudioBytes(pc: RTCPeerConnection | undefined): Promise<number> {
  if (!pc) return 0;
  let total = 0;
  (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'audio') total += report.bytesReceived ?? 0;
  });
  return total;
}

/** Audio bytes received on `d`'s leg from `userId` over `ms`. */
async function audioGrowth(d: Device, userId: string, ms: number): Promise<number> {
  const pc = legFrom(d, userId)?.peerConnection;
  const before = await inboundAudioBytes(pc);
  await sleep(ms);
  return (await inboundAudioBytes(pc)) - before;
}

describe('walkie-talkie: live audio over the mesh', function () {
  this.timeout(60_000);
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  async function device(userId: string, deviceId: string): Promise<Device> {
    const media = new KeepingMediaSource();
    const sink = new RecordingSink();
    const side = await room.side(userId, deviceId, {
      media,
      controller: { walkieTalkie: { playback: new PlaybackArbiter(sink) } },
    });
    return { side, media, sink };
  }

  it('opted-in devices listen without a microphone; the talker reaches only them, live, and stops on release', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL, DAN] });
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    const carol = await device(CAROL, 'CAROLDEV');
    const dan = await device(DAN, 'DANDEV');
    const optedIn = [alice, bob, carol];

    await Promise.all(optedIn.map((d) => d.side.controller.setPttOptIn(true)));
    await dan.side.controller.joinGroupCall('voice');
    await waitFor(
      () =>
        [...optedIn, dan].every(
          (d) => meshOf(d).legSummaries.filter((l) => l.state === 'connected').length === 3,
        ),
      'all four devices connected to each other on the mesh',
      20_000,
    );
    for (const d of optedIn) {
      expect(meshOf(d).listeningOnly, 'opted in: joined listen-only').to.equal(true);
      expect(d.media.userMediaRequests, 'no microphone opened before anyone presses').to.deep.equal([]);
    }
    expect(meshOf(dan).listeningOnly).to.equal(false);

    const framesAt = new Map<Device, { type: string; from: string }[]>();
    for (const d of [bob, carol, dan]) {
      const frames: { type: string; from: string }[] = [];
      framesAt.set(d, frames);
      meshOf(d).liveAudio.onFloorFrame((frame, from) =>
        frames.push({ type: (JSON.parse(frame) as { type: string }).type, from: from.userId }),
      );
    }
    const heard = (d: Device) => framesAt.get(d)!.some((f) => f.type === FLOOR_HEARTBEAT && f.from === ALICE);

    // Dan's microphone reaches the others all along; Alice sends nothing to anyone yet.
    expect(await audioGrowth(bob, ALICE, 1000), 'nothing from Alice before she presses').to.be.lessThan(200);

    alice.side.controller.pttPress();
    await waitFor(() => pttOf(alice).floor === 'talking', 'Alice talking');
    await waitFor(() => heard(bob) && heard(carol), 'heartbeats over the floor channels of Bob and Carol');
    await waitFor(
      () => bob.sink.streams.length > 0 && carol.sink.streams.length > 0,
      "Bob's and Carol's walkie-talkie play Alice's live audio",
    );
    for (const d of [bob, carol]) {
      const track = meshOf(d)
        .liveAudio.remoteAudio({ userId: ALICE, deviceId: 'ALICEDEV' })!
        .getAudioTracks()[0];
      expect(d.sink.streams[0]!.getAudioTracks()[0], 'the audio of the leg from Alice').to.equal(track);
      expect(
        await audioGrowth(d, ALICE, 1500),
        `${d.side.transport.userId} receives Alice`,
      ).to.be.greaterThan(1000);
    }
    expect(alice.media.userMediaRequests, 'the talker opened her microphone on the press').to.deep.equal([
      'voice',
    ]);
    expect(bob.media.userMediaRequests).to.deep.equal([]);
    expect(carol.media.userMediaRequests).to.deep.equal([]);
    // Dan is in the call but not opted in: no live audio, no floor frames.
    expect(await audioGrowth(dan, ALICE, 1500), 'nothing from Alice reaches Dan').to.be.lessThan(200);
    expect(dan.sink.streams.length).to.equal(0);
    expect(framesAt.get(dan)!.length, 'Dan has no floor channel').to.equal(0);

    alice.side.controller.pttRelease();
    await waitFor(() => optedIn.every((d) => pttOf(d).floor === 'idle'), 'the floor free everywhere');
    await waitFor(() => alice.media.liveTracks === 0, "Alice's microphone tracks stopped");
    await sleep(500);
    for (const d of [bob, carol]) {
      expect(await audioGrowth(d, ALICE, 1500), 'no more audio from Alice').to.be.lessThan(200);
    }
  });

  it('opting out leaves the listen-only join, and the opted-out device gets no live audio', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    await Promise.all([alice, bob].map((d) => d.side.controller.setPttOptIn(true)));
    await waitFor(
      () => [alice, bob].every((d) => meshOf(d).legSummaries.some((l) => l.state === 'connected')),
      'Alice and Bob connected listen-only',
      20_000,
    );
    await bob.side.controller.setPttOptIn(false);
    await waitFor(() => meshOf(bob).view.state === 'idle', "Bob's listen-only join left");
    await waitFor(() => meshOf(alice).legSummaries.length === 0, "Alice's leg to Bob ended");

    alice.side.controller.pttPress();
    await waitFor(() => pttOf(alice).floor === 'talking', 'Alice talking');
    await sleep(1500);
    expect(bob.sink.streams.length, 'no live audio on an opted-out device').to.equal(0);
    expect(bob.media.userMediaRequests).to.deep.equal([]);
    alice.side.controller.pttRelease();
    await waitFor(() => pttOf(alice).floor === 'idle', 'released');
  });
});
