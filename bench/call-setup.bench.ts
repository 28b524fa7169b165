/**
 * Bench: 1:1 call setup, the kit against matrix-js-sdk's MatrixCall (what Element Web uses), both
 * over the same in-page homeserver TEST DOUBLE (demo/host/homeserver.ts, delivering in tasks like a
 * network) in one headless Chromium page with fake media and real RTCPeerConnections.
 *
 * Each run: a fresh homeserver and two fresh clients of the same library (kit⇄kit, js-sdk⇄js-sdk);
 * start-up is not timed. The clock starts when the caller places the call; the callee answers as
 * soon as it rings. Figures are medians over RUNS runs of each kind:
 * - ring: place → the callee's client shows the call ringing;
 * - connected: place → both clients say connected (each library's own notion);
 * - media: place → RTP bytes received on both sides (audio, and video for video calls);
 * - call events: m.call.* room events sent in the call (hangup excluded) and their content bytes.
 * Code size: the served module graph of each side's call code (the kit's src/controller.ts and its
 * imports; matrix-js-sdk's webrtc/call.js entry and its whole package entry), unminified esbuild
 * output concatenated and gzipped in the page. Never asserts anything; it only measures.
 */
import { TestHomeserver } from '../demo/host/homeserver.js';
import { median, type BenchReport, type BenchRow } from './report.js';
import { quietMatrixJsSdkLogs, startJsSdkPeer, type MediaBytes } from '../test/support/js-sdk-peer.js';

const RUNS = 7;
const CALLER = '@caller:test.invalid';
const CALLEE = '@callee:test.invalid';
type Kind = 'voice' | 'video';

interface RunFigures {
  readonly ringMs: number;
  readonly connectedMs: number;
  readonly mediaMs: number;
  readonly events: number;
  readonly eventBytes: number;
}

interface Setup {
  readonly hs: TestHomeserver;
  readonly roomId: string;
}

function freshRoom(): Setup {
  const hs = new TestHomeserver({ delivery: 'task' });
  hs.addUser(CALLER, { displayName: 'Caller' });
  hs.addUser(CALLEE, { displayName: 'Callee' });
  const roomId = hs.createRoom({ creator: CALLER, members: [CALLEE] });
  return { hs, roomId };
}

/** Counts m.call.* room events (hangups aside) and their content bytes from now on. */
function countCallEvents(hs: TestHomeserver): () => { events: number; eventBytes: number } {
  let events = 0;
  let eventBytes = 0;
  hs.observe((record) => {
    if (record.kind !== 'room' || record.type.endsWith('.hangup')) return;
    if (!record.type.startsWith('m.call.') && !record.type.startsWith('org.matrix.call.')) return;
    events += 1;
    eventBytes += record.bytes;
  });
  return () => ({ events, eventBytes });
}

const flowing = (bytes: MediaBytes, kind: Kind) =>
  bytes.audioIn > 0 && (kind === 'voice' || bytes.videoIn > 0);

/** Polls both sides' stats every 10 ms until media arrives on both. */
async function untilMedia(
  read: () => Promise<[MediaBytes, MediaBytes]>,
  kind: Kind,
  timeoutMs = 20000,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const [a, b] = await read();
    if (flowing(a, kind) && flowing(b, kind)) return performance.now();
    if (performance.now() > deadline) throw new Error('media did not flow both ways');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function jsSdkRun(kind: Kind): Promise<RunFigures> {
  const { hs, roomId } = freshRoom();
  const [caller, callee] = await Promise.all([
    startJsSdkPeer(hs, { userId: CALLER, deviceId: 'CALLERDEV' }),
    startJsSdkPeer(hs, { userId: CALLEE, deviceId: 'CALLEEDEV' }),
  ]);
  try {
    const counted = countCallEvents(hs);
    const t0 = performance.now();
    let ringAt = 0;
    const answered = callee.nextIncomingCall(20000).then(async (call) => {
      ringAt = performance.now();
      await callee.answer(call);
      return call;
    });
    const outgoing = await caller.placeCall(roomId, kind);
    const incoming = await answered;
    await Promise.all([
      caller.waitForState('connected', outgoing),
      callee.waitForState('connected', incoming),
    ]);
    const connectedAt = performance.now();
    const mediaAt = await untilMedia(
      () => Promise.all([caller.mediaBytes(outgoing), callee.mediaBytes(incoming)]),
      kind,
    );
    const { events, eventBytes } = counted();
    return { ringMs: ringAt - t0, connectedMs: connectedAt - t0, mediaMs: mediaAt - t0, events, eventBytes };
  } finally {
    await Promise.all([caller.stop(), callee.stop()]);
  }
}

/** The kit side is loaded at run time, so this bench still reports matrix-js-sdk without it. */
type KitPeerModule = typeof import('../test/support/kit-call-peer.js');

async function kitRun(kit: KitPeerModule, kind: Kind): Promise<RunFigures> {
  const { hs, roomId } = freshRoom();
  const [caller, callee] = await Promise.all([
    kit.startKitCallPeer(hs, { userId: CALLER, deviceId: 'CALLERDEV', roomId }),
    kit.startKitCallPeer(hs, { userId: CALLEE, deviceId: 'CALLEEDEV', roomId }),
  ]);
  try {
    const counted = countCallEvents(hs);
    const t0 = performance.now();
    let ringAt = 0;
    const answered = callee
      .waitForCall((c) => c.direction === 'incoming' && c.state === 'ringing', 'ringing', 20000)
      .then(async (call) => {
        ringAt = performance.now();
        await callee.controller.answer(call.id);
        return call;
      });
    await caller.controller.placeCall(kind);
    const incoming = await answered;
    const outgoingId = caller.call?.id ?? '';
    await Promise.all([
      caller.waitForState(outgoingId, 'connected', 20000),
      callee.waitForState(incoming.id, 'connected', 20000),
    ]);
    const connectedAt = performance.now();
    const mediaAt = await untilMedia(
      () => Promise.all([caller.mediaBytes(outgoingId), callee.mediaBytes(incoming.id)]),
      kind,
    );
    const { events, eventBytes } = counted();
    return { ringMs: ringAt - t0, connectedMs: connectedAt - t0, mediaMs: mediaAt - t0, events, eventBytes };
  } finally {
    caller.close();
    callee.close();
  }
}

// ---- code size -------------------------------------------------------------------------------

const IMPORT_PATTERN =
  /(?:import|export)\s*(?:[^'"();]*?\sfrom\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Text of a served module and every module it imports (static or dynamic), transitively. */
async function servedGraph(entry: string): Promise<{ text: string; modules: number }> {
  const seen = new Set<string>();
  const texts: string[] = [];
  const queue = [new URL(entry, location.href).href];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const text = (await response.text()).replace(/\/\/# sourceMappingURL=.*$/gm, '');
    texts.push(text);
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const specifier = match[1] ?? match[2];
      if (specifier && (specifier.startsWith('/') || specifier.startsWith('.'))) {
        queue.push(new URL(specifier, url).href);
      }
    }
  }
  return { text: texts.join('\n'), modules: seen.size };
}

async function gzipBytes(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function sizeOf(entry: string): Promise<{ raw: number; gzip: number } | undefined> {
  try {
    const { text } = await servedGraph(entry);
    return { raw: new TextEncoder().encode(text).length, gzip: await gzipBytes(text) };
  } catch {
    return undefined;
  }
}

// ---- report ----------------------------------------------------------------------------------

async function measure(run: (kind: Kind) => Promise<RunFigures>, kind: Kind): Promise<RunFigures[]> {
  const figures: RunFigures[] = [];
  await run(kind); // warm-up: module loading and the first getUserMedia are not call setup
  for (let i = 0; i < RUNS; i++) figures.push(await run(kind));
  return figures;
}

function rowsFor(kind: Kind, kit: RunFigures[] | undefined, sdk: RunFigures[]): BenchRow[] {
  const pick = (list: RunFigures[] | undefined, key: keyof RunFigures) =>
    list ? median(list.map((f) => f[key])) : undefined;
  const row = (metric: string, unit: string, key: keyof RunFigures): BenchRow => {
    const kitValue = pick(kit, key);
    return {
      metric: `${kind}: ${metric}`,
      unit,
      ...(kitValue !== undefined ? { kit: kitValue } : {}),
      jsSdk: pick(sdk, key)!,
    };
  };
  return [
    row('place → ringing', 'ms', 'ringMs'),
    row('place → both connected', 'ms', 'connectedMs'),
    row('place → media both ways', 'ms', 'mediaMs'),
    row('call events sent', 'events', 'events'),
    row('call event content', 'bytes', 'eventBytes'),
  ];
}

export async function run(): Promise<BenchReport> {
  const restoreLogs = quietMatrixJsSdkLogs();
  try {
    let kit: KitPeerModule | undefined;
    let kitMissing = '';
    try {
      kit = await import('../test/support/kit-call-peer.js');
    } catch (error) {
      kitMissing = `kit column empty: ${String(error)}`;
    }
    const rows: BenchRow[] = [];
    for (const kind of ['voice', 'video'] as const) {
      const sdk = await measure(jsSdkRun, kind);
      const kitFigures = kit ? await measure((k) => kitRun(kit, k), kind) : undefined;
      rows.push(...rowsFor(kind, kitFigures, sdk));
    }
    const kitSize = await sizeOf('/src/controller.ts');
    const sdkCallSize = await sizeOf('/__matrix-js-sdk/webrtc/call.js');
    const sdkWholeSize = await sizeOf('/__matrix-js-sdk/index.js');
    const sizeRow = (metric: string, unit: 'raw' | 'gzip', sdkSize: typeof sdkCallSize): BenchRow => ({
      metric,
      unit: unit === 'gzip' ? 'KB gzip' : 'KB',
      ...(kitSize ? { kit: kitSize[unit] / 1024 } : {}),
      ...(sdkSize ? { jsSdk: sdkSize[unit] / 1024 } : {}),
    });
    rows.push(
      sizeRow('code graph, unminified: controller / call.js', 'gzip', sdkCallSize),
      sizeRow('code graph, unminified: controller / call.js', 'raw', sdkCallSize),
      sizeRow('code graph, unminified: controller / js-sdk', 'gzip', sdkWholeSize),
    );
    return {
      title: `1:1 call setup over the homeserver double: kit ⇄ kit vs matrix-js-sdk ⇄ matrix-js-sdk (median of ${RUNS})`,
      note: [
        'Timed from place to each milestone; the callee answers as soon as it rings. Sizes: unminified esbuild output of the served module graph, gzip in the page (node bench/call-code-size.mjs gives minified sizes).',
        kitMissing,
      ]
        .filter(Boolean)
        .join(' '),
      rows,
    };
  } finally {
    restoreLogs();
  }
}
