/**
 * Bench: the walkie-talkie over the in-page homeserver TEST DOUBLE (demo/host/homeserver.ts, delivering in
 * tasks like a network), three WalkieTalkie engines on room events only (no fast path), the fake
 * microphone, real recording and upload. Each run: a fresh room; one device presses, talks ~1 s, releases.
 * Figures are medians over RUNS runs:
 * - floor: press -> the talker is `talking` and both others name it (includes the 300 ms collection window);
 * - free: release -> every device shows the floor idle;
 * - voice message: release -> the m.room.message is in the room (stop recorder, decode, upload, send);
 * - floor events and recording bytes per transmission.
 *
 * Then the live path over the mesh: three CallControllers over the same double, opted in, so each joins the
 * room's mesh call listen-only (floor channel on every leg, no microphone until a press). Each run: a fresh
 * room; once every leg is connected, one device presses. Medians over LIVE_RUNS runs, with and without
 * `prewarm` (the microphone kept open while opted in):
 * - live floor: press -> the talker's snapshot says `talking`; press -> both others name the talker (each
 *   polled on its own);
 * - first live audio: press -> the first inbound-rtp audio bytes on a listener's leg from the talker
 *   (getStats polled every few ms), at the first listener and at both.
 * matrix-js-sdk has no walkie-talkie, so its column is empty. Never asserts anything; it only measures.
 */
import { TestHomeserver } from '../demo/host/homeserver.js';
import { CallController } from '../src/controller.js';
import type { MeshGroupCall } from '../src/group/mesh/mesh-group-call.js';
import { MemoryTransport } from '../demo/host/memory-transport.js';
import { PlaybackArbiter, type AudioSink } from '../src/ptt/playback-queue.js';
import { WalkieTalkie } from '../src/ptt/walkie-talkie.js';
import { median, type BenchReport, type BenchRow } from './report.js';

const RUNS = 5;
const LIVE_RUNS = 5;
const USERS = ['@alice:test.invalid', '@bob:test.invalid', '@carol:test.invalid'];

const silent: AudioSink = {
  playStream: () => ({ stop: () => undefined }),
  playFile: () => ({ done: Promise.resolve(), stop: () => undefined }),
};

async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function inboundAudioBytes(pc: RTCPeerConnection | undefined): Promise<number> {
  if (!pc) return 0;
  let total = 0;
  (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
    if (r.type === 'inbound-rtp' && r.kind === 'audio') total += r.bytesReceived ?? 0;
  });
  return total;
}

async function oneRun() {
  const hs = new TestHomeserver({ delivery: 'task' });
  const roomId = hs.createRoom({ creator: USERS[0]!, members: USERS.slice(1) });
  const devices = await Promise.all(
    USERS.map(async (userId, i) => {
      const transport = new MemoryTransport(hs, { userId, deviceId: `D${i}`, roomId });
      const engine = new WalkieTalkie({
        transport,
        playback: new PlaybackArbiter(silent),
        download: async (uri) => hs.download(uri)!,
      });
      await transport.start(engine.walkieTalkieNeeds());
      await engine.start();
      await engine.setOptIn(true);
      return { transport, engine };
    }),
  );
  try {
    await until(() => devices.every((d) => d.engine.listeners.length === 2), 'opt-ins');
    const [talker, ...others] = devices;
    let floorEvents = 0;
    let recordingBytes = 0;
    hs.observe((record) => {
      if (record.kind === 'room' && record.type.startsWith('org.matrix.msc4002.floor')) floorEvents++;
    });
    const pressed = performance.now();
    talker!.engine.press();
    await until(
      () =>
        talker!.engine.view.floor === 'talking' &&
        others.every((d) => d.engine.view.talker?.userId === USERS[0]),
      'the floor',
    );
    const floorMs = performance.now() - pressed;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const released = performance.now();
    talker!.engine.release();
    await until(() => devices.every((d) => d.engine.view.floor === 'idle'), 'the floor to free');
    const freeMs = performance.now() - released;
    await until(() => hs.timeline(roomId).some((e) => e.type === 'm.room.message'), 'the voice message');
    const messageMs = performance.now() - released;
    for (const upload of hs.listUploads()) recordingBytes += upload.blob.size;
    return { floorMs, freeMs, messageMs, floorEvents, recordingBytes };
  } finally {
    for (const d of devices) {
      d.engine.close();
      d.transport.close();
    }
  }
}

/** One press over the mesh's live path: three controllers, listen-only legs, `prewarm` as given. */
async function oneLiveRun(prewarm: boolean) {
  const hs = new TestHomeserver({ delivery: 'task' });
  const roomId = hs.createRoom({ creator: USERS[0]!, members: USERS.slice(1) });
  const devices = USERS.map((userId, i) => {
    const transport = new MemoryTransport(hs, { userId, deviceId: `L${i}`, roomId });
    const controller = CallController.create({
      transport,
      walkieTalkie: { playback: new PlaybackArbiter(silent), prewarm },
    });
    return { transport, controller };
  });
  const mesh = (d: (typeof devices)[number]) => d.controller.groupCall?.backend as MeshGroupCall | undefined;
  try {
    await Promise.all(devices.map((d) => d.controller.start()));
    await Promise.all(devices.map((d) => d.controller.setPttOptIn(true)));
    await until(
      () =>
        devices.every(
          (d) => (mesh(d)?.legSummaries ?? []).filter((l) => l.state === 'connected').length === 2,
        ),
      'every listen-only leg connected',
      30_000,
    );
    // Let the opt-ins settle (and a pre-warmed microphone open) before the press.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [talker, ...listeners] = devices;
    const legs = listeners.map(
      (d) => mesh(d)!.legSummaries.find((l) => l.userId === USERS[0])!.peerConnection,
    );
    const before = await Promise.all(legs.map((pc) => inboundAudioBytes(pc)));

    const pressed = performance.now();
    talker!.controller.pttPress();
    const firstAudio = legs.map(async (pc, i) => {
      const deadline = pressed + 15_000;
      while ((await inboundAudioBytes(pc)) <= before[i]!) {
        if (performance.now() > deadline) throw new Error('timed out: live audio at a listener');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return performance.now() - pressed;
    });
    let talkingMs: number | undefined;
    let namedMs: number | undefined;
    await until(() => {
      const now = performance.now() - pressed;
      if (talkingMs === undefined && talker!.controller.snapshot.ptt?.floor === 'talking') talkingMs = now;
      if (
        namedMs === undefined &&
        listeners.every((d) => d.controller.snapshot.ptt?.talker?.userId === USERS[0])
      ) {
        namedMs = now;
      }
      return talkingMs !== undefined && namedMs !== undefined;
    }, 'the live floor');
    const audioMs = await Promise.all(firstAudio);
    talker!.controller.pttRelease();
    await until(() => devices.every((d) => d.controller.snapshot.ptt?.floor === 'idle'), 'the floor to free');
    return {
      talkingMs: talkingMs!,
      namedMs: namedMs!,
      firstAudioMs: Math.min(...audioMs),
      allAudioMs: Math.max(...audioMs),
    };
  } finally {
    for (const d of devices) {
      d.controller.close();
      d.transport.close();
    }
  }
}

async function liveRows(prewarm: boolean): Promise<BenchRow[]> {
  const runs = [];
  for (let i = 0; i < LIVE_RUNS; i++) runs.push(await oneLiveRun(prewarm));
  const label = prewarm ? 'mesh, prewarm' : 'mesh, cold';
  return [
    { metric: `${label}: press -> talking`, unit: 'ms', kit: median(runs.map((r) => r.talkingMs)) },
    {
      metric: `${label}: press -> named by others`,
      unit: 'ms',
      kit: median(runs.map((r) => r.namedMs)),
    },
    {
      metric: `${label}: press -> audio, 1st listener`,
      unit: 'ms',
      kit: median(runs.map((r) => r.firstAudioMs)),
    },
    {
      metric: `${label}: press -> audio at both`,
      unit: 'ms',
      kit: median(runs.map((r) => r.allAudioMs)),
    },
  ];
}

export async function run(): Promise<BenchReport> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun());
  const live = [...(await liveRows(false)), ...(await liveRows(true))];
  return {
    title: `Walkie-talkie over the homeserver double, three devices (room events only: median of ${RUNS}; live over the mesh: median of ${LIVE_RUNS})`,
    note:
      'Room events only: one ~1 s transmission per run. Live: three CallControllers joined listen-only, one press per run, ' +
      'with a cold microphone (opened on the press) and pre-warmed (open while opted in). ' +
      'matrix-js-sdk has no walkie-talkie, so its column is empty.',
    rows: [
      {
        metric: 'press -> talking here and named by all',
        unit: 'ms',
        kit: median(runs.map((r) => r.floorMs)),
      },
      { metric: 'release -> floor idle everywhere', unit: 'ms', kit: median(runs.map((r) => r.freeMs)) },
      {
        metric: 'release -> voice message in the room',
        unit: 'ms',
        kit: median(runs.map((r) => r.messageMs)),
      },
      {
        metric: 'floor room events per transmission',
        unit: 'count',
        kit: median(runs.map((r) => r.floorEvents)),
      },
      {
        metric: 'recording bytes (~1 s Opus)',
        unit: 'bytes',
        kit: median(runs.map((r) => r.recordingBytes)),
      },
      ...live,
    ],
  };
}
