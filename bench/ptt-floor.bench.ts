/**
 * Bench: the walkie-talkie over the in-page homeserver TEST DOUBLE (demo/host/homeserver.ts, delivering in
 * tasks like a network), three WalkieTalkie engines on room events only (no fast path), the fake
 * microphone, real recording and upload. Each run: a fresh room; one device presses, talks ~1 s, releases.
 * Figures are medians over RUNS runs:
 * - floor: press -> the talker is `talking` and both others name it (includes the 300 ms collection window);
 * - free: release -> every device shows the floor idle;
 * - voice message: release -> the m.room.message is in the room (stop recorder, decode, upload, send);
 * - floor events and recording bytes per transmission.
 * matrix-js-sdk has no walkie-talkie, so its column is empty. Never asserts anything; it only measures.
 */
import { TestHomeserver } from '../demo/host/homeserver.js';
import { MemoryTransport } from '../demo/host/memory-transport.js';
import { PlaybackArbiter, type AudioSink } from '../src/ptt/playback-queue.js';
import { WalkieTalkie } from '../src/ptt/walkie-talkie.js';
import { median, type BenchReport } from './report.js';

const RUNS = 5;
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

export async function run(): Promise<BenchReport> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun());
  return {
    title: `Walkie-talkie over the homeserver double, room events only, three devices (median of ${RUNS})`,
    note: 'One ~1 s transmission per run. matrix-js-sdk has no walkie-talkie, so its column is empty.',
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
    ],
  };
}
