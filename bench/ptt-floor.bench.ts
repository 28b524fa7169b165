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
 * room's mesh call listen-only (floor channel on every leg, no microphone until a press). In each room, once
 * every leg is connected, the three devices press in turn (one at a time, released before the next), each
 * press measured on its own; LIVE_ROOMS rooms of LIVE_PRESSES presses give n presses per configuration:
 * - press -> talking: the talker's snapshot says `talking`;
 * - press -> first audio: the first inbound-rtp audio bytes from the talker on a listener's leg (getStats
 *   polled every few ms), at the first listener and at both.
 * Configurations: cold (the microphone opened by the press) and warm (`prewarm`: open while opted in), each
 * with the kit's floor as it is (optimistic talking) and, in the `before` column, with the old fixed 300 ms
 * collection window (`timings: { collectionWindowMs: 300 }`), in the same run. Each figure: n, median, p90
 * and worst.
 * matrix-js-sdk has no walkie-talkie, so its column is empty. Never asserts anything; it only measures.
 */
import { TestHomeserver } from '../demo/host/homeserver.js';
import { CallController } from '../src/controller.js';
import type { MeshGroupCall } from '../src/group/mesh/mesh-group-call.js';
import { MemoryTransport } from '../demo/host/memory-transport.js';
import { PlaybackArbiter, type AudioSink } from '../src/ptt/playback-queue.js';
import { WalkieTalkie } from '../src/ptt/walkie-talkie.js';
import { median, p90, type BenchReport, type BenchRow } from './report.js';

const RUNS = 5;
const LIVE_ROOMS = 5;
const LIVE_PRESSES = 10;
/** The old fixed collection window, to measure against in the same run. */
const OLD_WINDOW = { collectionWindowMs: 300 };
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

interface LivePress {
  readonly talkingMs: number;
  readonly firstAudioMs: number;
  readonly allAudioMs: number;
}

/**
 * One room over the mesh's live path: three controllers, listen-only legs, `prewarm` and floor timings as
 * given; `presses` presses, the talker turning round the three devices.
 */
async function oneLiveRoom(
  prewarm: boolean,
  timings: { collectionWindowMs?: number },
  presses: number,
): Promise<LivePress[]> {
  const hs = new TestHomeserver({ delivery: 'task' });
  const roomId = hs.createRoom({ creator: USERS[0]!, members: USERS.slice(1) });
  const devices = USERS.map((userId, i) => {
    const transport = new MemoryTransport(hs, { userId, deviceId: `L${i}`, roomId });
    const controller = CallController.create({
      transport,
      walkieTalkie: { playback: new PlaybackArbiter(silent), prewarm, timings },
    });
    return { userId, transport, controller };
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
    // Let the opt-ins settle (and a pre-warmed microphone open) before the first press.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const results: LivePress[] = [];
    for (let p = 0; p < presses; p++) {
      const talker = devices[p % devices.length]!;
      const listeners = devices.filter((d) => d !== talker);
      const legs = listeners.map(
        (d) => mesh(d)!.legSummaries.find((l) => l.userId === talker.userId)!.peerConnection,
      );
      const before = await Promise.all(legs.map((pc) => inboundAudioBytes(pc)));

      const pressed = performance.now();
      talker.controller.pttPress();
      let talkingMs: number | undefined;
      const talking = until(() => {
        if (talker.controller.snapshot.ptt?.floor !== 'talking') return false;
        talkingMs = performance.now() - pressed;
        return true;
      }, 'the talker to talk');
      const firstAudio = legs.map(async (pc, i) => {
        const deadline = pressed + 15_000;
        while ((await inboundAudioBytes(pc)) <= before[i]!) {
          if (performance.now() > deadline) throw new Error('timed out: live audio at a listener');
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        return performance.now() - pressed;
      });
      await talking;
      const audioMs = await Promise.all(firstAudio);
      await until(
        () => listeners.every((d) => d.controller.snapshot.ptt?.talker?.userId === talker.userId),
        'the others to name the talker',
      );
      talker.controller.pttRelease();
      await until(
        () => devices.every((d) => d.controller.snapshot.ptt?.floor === 'idle'),
        'the floor to free',
      );
      // Let the released talker's last packets drain before the next press counts bytes.
      await new Promise((resolve) => setTimeout(resolve, 150));
      results.push({
        talkingMs: talkingMs!,
        firstAudioMs: Math.min(...audioMs),
        allAudioMs: Math.max(...audioMs),
      });
    }
    return results;
  } finally {
    for (const d of devices) {
      d.controller.close();
      d.transport.close();
    }
  }
}

/** n, median, p90 and worst of one figure, now (kit) and with the old 300 ms window (before). */
function distribution(label: string, now: readonly number[], old: readonly number[]): BenchRow[] {
  return [
    { metric: `${label}: n`, unit: 'count', kit: now.length, before: old.length },
    { metric: `${label}: median`, unit: 'ms', kit: median(now), before: median(old) },
    { metric: `${label}: p90`, unit: 'ms', kit: p90(now), before: p90(old) },
    { metric: `${label}: worst`, unit: 'ms', kit: Math.max(...now), before: Math.max(...old) },
  ];
}

async function liveRows(prewarm: boolean): Promise<BenchRow[]> {
  // Rooms alternate between the old window and the kit as it is, so both see the same load on the machine.
  const old: LivePress[] = [];
  const now: LivePress[] = [];
  for (let r = 0; r < LIVE_ROOMS; r++) {
    old.push(...(await oneLiveRoom(prewarm, OLD_WINDOW, LIVE_PRESSES)));
    now.push(...(await oneLiveRoom(prewarm, {}, LIVE_PRESSES)));
  }
  const label = prewarm ? 'mesh warm' : 'mesh cold';
  const pick = (runs: LivePress[], f: (r: LivePress) => number) => runs.map(f);
  return [
    ...distribution(
      `${label}, press -> talking`,
      pick(now, (r) => r.talkingMs),
      pick(old, (r) => r.talkingMs),
    ),
    ...distribution(
      `${label}, press -> audio 1st listener`,
      pick(now, (r) => r.firstAudioMs),
      pick(old, (r) => r.firstAudioMs),
    ),
    ...distribution(
      `${label}, press -> audio both listeners`,
      pick(now, (r) => r.allAudioMs),
      pick(old, (r) => r.allAudioMs),
    ),
    // The first press of each room: the first live audio on fresh legs (the tail of the figures above).
    ...distribution(
      `${label}, new room: 1st press -> audio`,
      pick(now, (r) => r.firstAudioMs).filter((_, i) => i % LIVE_PRESSES === 0),
      pick(old, (r) => r.firstAudioMs).filter((_, i) => i % LIVE_PRESSES === 0),
    ),
  ];
}

export async function run(): Promise<BenchReport> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun());
  const live = [...(await liveRows(false)), ...(await liveRows(true))];
  return {
    title: `Walkie-talkie over the homeserver double, three devices (room events only: median of ${RUNS}; live over the mesh: ${LIVE_ROOMS} rooms x ${LIVE_PRESSES} presses per configuration)`,
    note:
      'Room events only: one ~1 s transmission per run. Live: three CallControllers joined listen-only, taking turns, ' +
      'cold (microphone opened by the press) and warm (pre-warmed: open while opted in). ' +
      '"before": the same presses with the old fixed 300 ms collection window, in the same run. ' +
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
