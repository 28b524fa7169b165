/**
 * Bench: SFU group calls on a real livekit-server (loopback, started by bench/run.mjs from the SFU rig,
 * with the JWT service TEST DOUBLE), against the mesh, in one headless Chromium page with fake media.
 *
 * - Join click to the first remote video frame decoded (2 devices, no E2EE).
 * - A late joiner with media E2EE: join click to the first decoded frame of each of the 2 members
 *   (the key exchange over the homeserver TEST DOUBLE included).
 * - CPU per participant at N = 2, 4, 6, 8, SFU and mesh: once every device receives every other, the
 *   CPU time of the whole browser (all N devices live in it) plus, for the SFU, the livekit-server
 *   process, over 5 s, divided by N (percent of one core). Video, no E2EE on either side.
 * Medians of RUNS runs for the times. The js-sdk column stays empty (these compare the kit's own modes).
 */
import { inboundBytes } from '../test/support/webrtc.js';
import { Room, type RoomOptions } from 'livekit-client';
import { TestHomeserver } from '../demo/host/homeserver.js';
import { MemoryTransport } from '../demo/host/memory-transport.js';
import { LiveKitGroupCall, livekitNeeds } from '../src/group/livekit/index.js';
import { createLiveKitSfuRoom } from '../src/group/livekit/livekit-room-adapter.js';
import { MeshGroupCall, meshNeeds } from '../src/group/mesh/index.js';
import { BrowserMediaSource } from '../src/media/local-media.js';
import type { OpenIdToken } from '../src/transport/transport.js';
import { kitRow, type BenchReport, type BenchRow } from './report.js';

interface SfuContext {
  readonly sfu: {
    readonly userinfoUrl: string;
    readonly deployments: readonly { readonly serviceUrl: string }[];
  };
}
declare global {
  interface Window {
    benchCpuWindow(ms: number): Promise<{ browser: number; sfu: number }>;
  }
}

const RUNS = 3;
const SIZES = [2, 4, 6, 8];
const CPU_WINDOW_MS = 5_000;
/** One CPU measurement (joining N devices, waiting for media everywhere, the window) gives up after this. */
const MEASURE_LIMIT_MS = 180_000;

class ReportingTransport extends MemoryTransport {
  userinfoUrl = '';
  override async requestOpenIdToken(): Promise<OpenIdToken> {
    const token = await super.requestOpenIdToken();
    await fetch(`${this.userinfoUrl}/_double/issued`, {
      method: 'POST',
      body: JSON.stringify({ access_token: token.access_token, user_id: this.userId }),
    });
    return token;
  }
}

interface SfuDevice {
  readonly identity: string;
  readonly transport: MemoryTransport;
  readonly call: LiveKitGroupCall;
  readonly rooms: Room[];
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function framesFrom(d: SfuDevice, identity: string): Promise<number> {
  let frames = 0;
  for (const p of d.rooms.at(-1)?.remoteParticipants.get(identity)?.videoTrackPublications.values() ?? []) {
    (await p.track?.getRTCStatsReport())?.forEach((s: { type: string; framesDecoded?: number }) => {
      if (s.type === 'inbound-rtp') frames += s.framesDecoded ?? 0;
    });
  }
  return frames;
}

function sfuWorld(ctx: SfuContext, n: number, e2ee: boolean) {
  const hs = new TestHomeserver({ delivery: 'task' });
  const users = Array.from({ length: n }, (_, i) => `@user${i}:test.invalid`);
  const roomId = hs.createRoom({
    roomId: `!bench${crypto.randomUUID().slice(0, 8)}:test.invalid`,
    creator: users[0]!,
    members: users.slice(1),
    ...(e2ee ? { encrypted: true } : {}),
  });
  const devices: SfuDevice[] = [];
  return {
    devices,
    async add(i: number): Promise<SfuDevice> {
      const userId = users[i]!;
      const transport = new ReportingTransport(hs, { userId, deviceId: 'DEV', roomId });
      transport.userinfoUrl = ctx.sfu.userinfoUrl;
      await transport.start(livekitNeeds(transport, { e2ee }));
      const rooms: Room[] = [];
      const call = new LiveKitGroupCall({
        transport,
        media: new BrowserMediaSource(),
        foci: [ctx.sfu.deployments[0]!.serviceUrl],
        e2ee,
        loadRoom: (o) =>
          createLiveKitSfuRoom({
            ...o,
            createRoom: (options: Partial<RoomOptions>) => {
              const room = new Room(options);
              rooms.push(room);
              return room;
            },
          }),
      });
      await call.start();
      const d = { identity: `${userId}:DEV`, transport, call, rooms };
      devices.push(d);
      return d;
    },
    close() {
      for (const d of devices) {
        d.call.dispose();
        d.transport.close();
      }
    },
  };
}

async function firstFrameMs(ctx: SfuContext): Promise<number> {
  const w = sfuWorld(ctx, 2, false);
  try {
    const a = await w.add(0);
    const b = await w.add(1);
    await a.call.join('video');
    const start = performance.now();
    await b.call.join('video');
    await until(async () => (await framesFrom(b, a.identity)) > 0, 'the first frame');
    return performance.now() - start;
  } finally {
    w.close();
  }
}

async function lateJoinerMs(ctx: SfuContext): Promise<number> {
  const w = sfuWorld(ctx, 3, true);
  try {
    const [a, b] = [await w.add(0), await w.add(1)];
    await a.call.join('video');
    await b.call.join('video');
    await until(
      async () => (await framesFrom(a, b.identity)) > 0 && (await framesFrom(b, a.identity)) > 0,
      'the first two',
    );
    const c = await w.add(2);
    const start = performance.now();
    await c.call.join('video');
    await until(
      async () => (await framesFrom(c, a.identity)) > 0 && (await framesFrom(c, b.identity)) > 0,
      'the late joiner',
    );
    return performance.now() - start;
  } finally {
    w.close();
  }
}

const percentPerParticipant = (cpuMs: number, n: number) => ((cpuMs / CPU_WINDOW_MS) * 100) / n;

async function sfuCpu(ctx: SfuContext, n: number): Promise<number> {
  const w = sfuWorld(ctx, n, false);
  try {
    for (let i = 0; i < n; i++) await (await w.add(i)).call.join('video');
    for (const d of w.devices) {
      await until(async () => {
        for (const o of w.devices) if (o !== d && (await framesFrom(d, o.identity)) === 0) return false;
        return true;
      }, `device ${d.identity} to receive everyone`);
    }
    const cpu = await window.benchCpuWindow(CPU_WINDOW_MS);
    return percentPerParticipant(cpu.browser + cpu.sfu, n);
  } finally {
    w.close();
  }
}

/** Bytes received so far on `pc` (0 without one). */
const bytesIn = async (pc: RTCPeerConnection | undefined): Promise<number> => (pc ? inboundBytes(pc) : 0);

async function meshCpu(n: number): Promise<number> {
  const hs = new TestHomeserver({ delivery: 'task' });
  const users = Array.from({ length: n }, (_, i) => `@user${i}:test.invalid`);
  const roomId = hs.createRoom({ creator: users[0]!, members: users.slice(1) });
  const devices: { transport: MemoryTransport; call: MeshGroupCall }[] = [];
  try {
    for (const userId of users) {
      const transport = new MemoryTransport(hs, { userId, deviceId: 'DEV', roomId });
      await transport.start(meshNeeds(transport));
      const call = new MeshGroupCall({ transport, media: new BrowserMediaSource() });
      await call.start();
      devices.push({ transport, call });
    }
    for (const d of devices) await d.call.join('video');
    for (const d of devices) {
      await until(async () => {
        const legs = d.call.legSummaries;
        if (legs.length < n - 1) return false;
        for (const leg of legs) if ((await bytesIn(leg.peerConnection)) === 0) return false;
        return true;
      }, 'the mesh to carry media everywhere');
    }
    const cpu = await window.benchCpuWindow(CPU_WINDOW_MS);
    return percentPerParticipant(cpu.browser, n);
  } finally {
    for (const d of devices) {
      d.call.dispose();
      d.transport.close();
    }
  }
}

export async function run(ctx: SfuContext): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const first: number[] = [];
  const late: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    first.push(await firstFrameMs(ctx));
    console.log(`bench: first frame ${first.at(-1)!.toFixed(0)} ms`);
    late.push(await lateJoinerMs(ctx));
    console.log(`bench: late joiner ${late.at(-1)!.toFixed(0)} ms`);
  }
  rows.push(
    kitRow('SFU: join click to first remote frame', 'ms', first),
    kitRow('SFU E2EE: late joiner to frames of both (keys incl.)', 'ms', late),
  );
  const failures: string[] = [];
  /** A size that fails (a join timing out on a loaded machine) leaves its cell empty and is named in the note. */
  const measure = async (what: string, f: () => Promise<number>): Promise<number | undefined> => {
    try {
      // A join that hangs on an overloaded machine (the mesh at N=8 here) must not hold up the rest.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const value = await Promise.race([
        f(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no result within ${MEASURE_LIMIT_MS / 1000} s`)),
            MEASURE_LIMIT_MS,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      console.log(`bench: ${what}: ${value.toFixed(1)} % of a core per participant`);
      return value;
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`bench: ${what} failed: ${String(error)}`);
      return undefined;
    }
  };
  for (const n of SIZES) {
    const sfu = await measure(`N=${n} SFU`, () => sfuCpu(ctx, n));
    const mesh = await measure(`N=${n} mesh`, () => meshCpu(n));
    rows.push(
      {
        metric: `N=${n}: CPU per participant, SFU (+server)`,
        unit: '% core',
        ...(sfu !== undefined ? { kit: sfu } : {}),
      },
      {
        metric: `N=${n}: CPU per participant, mesh`,
        unit: '% core',
        ...(mesh !== undefined ? { kit: mesh } : {}),
      },
    );
  }
  return {
    title: `SFU group calls on a real livekit-server (loopback) against the mesh (times: median of ${RUNS})`,
    note:
      'All N devices live in one browser page on this machine (2 shared cores), so CPU per participant is ' +
      'the whole browser (plus livekit-server for the SFU) over 5 s divided by N. Video, no E2EE for CPU. ' +
      'The js-sdk column stays empty.' +
      (failures.length ? ` Not measured: ${failures.join('; ')}.` : ''),
    rows,
  };
}
