/**
 * Bench: mesh group calls, time until the N-th joiner has media to and from everyone (N = 2..6).
 *
 * Each run: a fresh homeserver TEST DOUBLE (demo/host/homeserver.ts, delivering in tasks like a
 * network) and N MeshGroupCalls in one headless Chromium page, each over its own MemoryTransport,
 * with fake camera and microphone and real RTCPeerConnections. N-1 devices join first and connect;
 * the clock starts when the N-th calls join(video) and stops when RTP bytes have arrived on both ends
 * of each of its N-1 legs. Also counted: the to-device messages
 * sent until then.
 * Medians over RUNS runs. The js-sdk column stays empty: matrix-js-sdk has no mesh for MatrixRTC
 * memberships (its mesh GroupCall speaks the older m.call.member format). Never asserts anything.
 */
import { inboundBytes } from '../test/support/webrtc.js';
import { TestHomeserver } from '../demo/host/homeserver.js';
import { MemoryTransport } from '../demo/host/memory-transport.js';
import { BrowserMediaSource } from '../src/media/local-media.js';
import { MeshGroupCall, meshNeeds } from '../src/group/mesh/index.js';
import { kitRow, type BenchReport, type BenchRow } from './report.js';

const RUNS = 3;
const SIZES = [2, 3, 4, 5, 6];

interface Device {
  readonly transport: MemoryTransport;
  readonly call: MeshGroupCall;
}

/** Bytes received so far on `pc` (0 without one). */
const bytesIn = async (pc: RTCPeerConnection | undefined): Promise<number> => (pc ? inboundBytes(pc) : 0);

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Media flows both ways between `d` and each of `others`. */
async function meshedWith(d: Device, others: readonly Device[]): Promise<boolean> {
  for (const o of others) {
    const mine = d.call.legSummaries.find((l) => l.userId === o.transport.userId);
    const theirs = o.call.legSummaries.find((l) => l.userId === d.transport.userId);
    if (!mine || !theirs) return false;
    if ((await bytesIn(mine.peerConnection)) === 0 || (await bytesIn(theirs.peerConnection)) === 0)
      return false;
  }
  return true;
}

async function oneRun(n: number): Promise<{ ms: number; messages: number }> {
  const hs = new TestHomeserver({ delivery: 'task' });
  const users = Array.from({ length: n }, (_, i) => `@user${i}:test.invalid`);
  const roomId = hs.createRoom({ creator: users[0]!, members: users.slice(1) });
  const devices: Device[] = [];
  try {
    for (const userId of users) {
      const transport = new MemoryTransport(hs, { userId, deviceId: 'DEV', roomId });
      await transport.start(meshNeeds(transport));
      const call = new MeshGroupCall({ transport, media: new BrowserMediaSource() });
      await call.start();
      devices.push({ transport, call });
    }
    const early = devices.slice(0, -1);
    const last = devices.at(-1)!;
    for (const d of early) await d.call.join('video');
    for (const d of early)
      await until(
        () =>
          meshedWith(
            d,
            early.filter((o) => o !== d),
          ),
        'the first joiners',
      );

    let messages = 0;
    const stop = hs.observe((record) => {
      if (record.kind === 'to-device') messages++;
    });
    const start = performance.now();
    await last.call.join('video');
    await until(() => meshedWith(last, early), `joiner ${n} meshed`);
    const ms = performance.now() - start;
    stop();
    return { ms, messages };
  } finally {
    for (const d of devices) {
      d.call.dispose();
      d.transport.close();
    }
  }
}

export async function run(): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  for (const n of SIZES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(n));
    rows.push(
      kitRow(
        `N=${n}: N-th joiner has media both ways with all`,
        'ms',
        runs.map((r) => r.ms),
      ),
      kitRow(
        `N=${n}: to-device messages for that join`,
        'count',
        runs.map((r) => r.messages),
      ),
    );
  }
  return {
    title: `Mesh group call over the homeserver double: join to full media, video (median of ${RUNS})`,
    note: 'Timed from the N-th device calling join(video) to RTP bytes received at both ends of each of its legs. matrix-js-sdk has no MatrixRTC mesh, so its column is empty.',
    rows,
  };
}
