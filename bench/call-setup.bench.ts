/**
 * Bench: 1:1 call setup as shipped. Three setups side by side in one run, each over a fresh in-page
 * homeserver TEST DOUBLE (demo/host/homeserver.ts, delivering in tasks like a network), in headless
 * Chromium with fake media and real RTCPeerConnections:
 * - kit: the BUILT widget (dist/widget from `npm run build`, served by the plain static server from
 *   127.0.0.1 while this page is on localhost), caller and callee each in a cross-origin iframe under
 *   a real ClientWidgetApi host (demo/host/widget-host.ts);
 * - js-sdk: matrix-js-sdk's MatrixCall (what Element Web uses) on a MatrixClient calling directly
 *   (test/support/js-sdk-peer.ts), in this page;
 * - js-sdk widget: matrix-js-sdk's own widget mode (createRoomWidgetClient) in the bench's fixture
 *   page (bench/fixtures/js-sdk-widget.ts, bundled by bench/run.mjs), through the same host, also
 *   cross-origin.
 * Start-up and widget loading are not timed. The clock starts when the caller places a video call;
 * the callee answers as soon as it rings. Every timestamp is performance.timeOrigin + performance.now()
 * taken where the event happens (inside each widget frame, or in this page), so all share one epoch.
 * Milestones: ringing (the callee's client announces the call), connected (each library's own notion,
 * caller and callee), and inbound media (first RTP bytes received, audio and video separately, on each
 * side, polled every 10 ms). Figures are medians over RUNS runs after one warm-up of each setup; also
 * the m.call.* room events sent per call (hangup excluded) and their content bytes.
 * Code size: the served module graph of each side's call code (the kit's src/controller.ts and its
 * imports; matrix-js-sdk's webrtc/call.js entry and its whole package entry), unminified esbuild
 * output concatenated and gzipped in the page. Never asserts anything; it only measures.
 *
 * Each figure prints with its n and p90 per column (BenchRow.spread, also in bench/results/latest.json).
 * With BENCH_VERBOSE=1 each widget run also prints its timeline (call events as the homeserver saw them,
 * both sides' milestones) and, for the kit, each frame's browser steps (getUserMedia, createOffer,
 * setLocalDescription ..., state changes, widget API messages), which is how the setup's time was
 * found and cut.
 *
 * Measured 2026-12-04 on a 2-core machine, median of 7 (kit | js-sdk direct | js-sdk widget mode; kit /
 * each). Before the setup work (max-bundle, first candidates in the SDP, 640x360, devices opened while the
 * invite or answer goes out), one run:
 *   place → caller connected       315 | 285 | 322 ms  (1.11x | 0.98x)
 *   place → inbound video, callee  373 | 364 | 439 ms  (1.02x | 0.85x)
 * After, three runs on a quiet machine:
 *   place → caller connected       180–213 | 260–274 | 317–352 ms  (0.69–0.78x | 0.56–0.61x)
 *   answer → callee connected      127–156 | 226–228 |  37–50 ms   (0.56–0.68x | 3.1–3.5x)
 *   place → inbound audio, callee  191–224 | 288–334 | 365–403 ms  (0.65–0.70x | 0.52–0.55x)
 *   place → inbound video, callee  243–279 | 342–372 | 389–452 ms  (0.70–0.78x | 0.57–0.69x)
 * matrix-js-sdk's widget mode reports its callee connected before the caller has the answer (its
 * answer → callee connected of 37–50 ms), so that one ratio compares different moments.
 * A run now and then fails with "Timed out after waiting 30000ms" inside a widget frame (seen for the
 * kit and for matrix-js-sdk's widget mode): the bench's frame probe, not a call; it is counted in n.
 */
import { TestHomeserver } from '../demo/host/homeserver.js';
import { embedWidget, type EmbeddedWidget } from '../demo/host/widget-host.js';
import { summarize, type BenchReport, type BenchRow, type Spread } from './report.js';
import { quietMatrixJsSdkLogs, startJsSdkPeer, type MediaBytes } from '../test/support/js-sdk-peer.js';

const RUNS = 7;
const KIND = 'video';
const CALLER = '@caller:test.invalid';
const CALLEE = '@callee:test.invalid';

declare global {
  interface Window {
    benchShippedOrigin?: () => Promise<string>;
    benchFrameEvaluate?: (
      match: string,
      expression: string,
    ) => Promise<{ value?: unknown; error?: string; missing?: true }>;
  }
}

/** Milliseconds from place to each milestone. */
interface RunFigures {
  readonly ringMs: number;
  readonly callerConnectedMs: number;
  readonly calleeConnectedMs: number;
  /** The callee answers the moment it rings: from then to its own `connected`. */
  readonly answerToConnectedMs: number;
  readonly callerAudioMs: number;
  readonly callerVideoMs: number;
  readonly calleeAudioMs: number;
  readonly calleeVideoMs: number;
  readonly events: number;
  readonly eventBytes: number;
}

/** Epoch milestones as recorded on one side. */
type Marks = Partial<Record<'place' | 'ringing' | 'connected' | 'audioIn' | 'videoIn', number>>;

const now = () => performance.timeOrigin + performance.now();

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

/** The call events as the homeserver saw them, and both sides' milestones, in ms from place. */
function traceCallEvents(hs: TestHomeserver): (t0: number, marks: [Marks, Marks]) => string {
  const seen: { at: number; what: string }[] = [];
  hs.observe((record) => {
    if (record.type.includes('call') || record.type.includes('rtc')) {
      seen.push({
        at: now(),
        what: `${record.type.replace(/^m\.call\./, '')}(${record.sender.slice(1, 7)})`,
      });
    }
  });
  return (t0, [caller, callee]) => {
    const all = [
      ...seen,
      ...Object.entries(caller).map(([k, at]) => ({ at: at!, what: `caller.${k}` })),
      ...Object.entries(callee).map(([k, at]) => ({ at: at!, what: `callee.${k}` })),
    ];
    return all
      .sort((a, b) => a.at - b.at)
      .map((e) => `${Math.round(e.at - t0)} ${e.what}`)
      .join(', ');
  };
}

function figuresOf(
  caller: Marks,
  callee: Marks,
  counted: { events: number; eventBytes: number },
): RunFigures {
  const t0 = caller.place!;
  const since = (t: number | undefined) => (t === undefined ? NaN : t - t0);
  return {
    ringMs: since(callee.ringing),
    callerConnectedMs: since(caller.connected),
    calleeConnectedMs: since(callee.connected),
    answerToConnectedMs:
      callee.connected === undefined || callee.ringing === undefined
        ? NaN
        : callee.connected - callee.ringing,
    callerAudioMs: since(caller.audioIn),
    callerVideoMs: since(caller.videoIn),
    calleeAudioMs: since(callee.audioIn),
    calleeVideoMs: since(callee.videoIn),
    ...counted,
  };
}

const complete = (marks: Marks, side: 'caller' | 'callee') =>
  marks.connected !== undefined &&
  marks.audioIn !== undefined &&
  marks.videoIn !== undefined &&
  (side === 'caller' ? marks.place !== undefined : marks.ringing !== undefined);

// ---- b) matrix-js-sdk calling directly ---------------------------------------------------------

/** Records when `read` first shows audio and video bytes received, polling every 10 ms. */
function watchMedia(read: () => Promise<MediaBytes>, marks: Marks): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped && (marks.audioIn === undefined || marks.videoIn === undefined)) {
      const bytes = await read();
      if (bytes.audioIn > 0) marks.audioIn ??= now();
      if (bytes.videoIn > 0) marks.videoIn ??= now();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return () => {
    stopped = true;
  };
}

async function jsSdkRun(): Promise<RunFigures> {
  const { hs, roomId } = freshRoom();
  const [caller, callee] = await Promise.all([
    startJsSdkPeer(hs, { userId: CALLER, deviceId: 'CALLERDEV' }),
    startJsSdkPeer(hs, { userId: CALLEE, deviceId: 'CALLEEDEV' }),
  ]);
  const stops: (() => void)[] = [];
  try {
    const counted = countCallEvents(hs);
    const callerMarks: Marks = {};
    const calleeMarks: Marks = {};
    const answered = callee.nextIncomingCall(20000).then(async (call) => {
      calleeMarks.ringing = now();
      stops.push(watchMedia(() => callee.mediaBytes(call), calleeMarks));
      void callee.waitForState('connected', call, 20000).then(() => (calleeMarks.connected ??= now()));
      await callee.answer(call);
      return call;
    });
    callerMarks.place = now();
    const outgoing = await caller.placeCall(roomId, KIND);
    stops.push(watchMedia(() => caller.mediaBytes(outgoing), callerMarks));
    void caller.waitForState('connected', outgoing, 20000).then(() => (callerMarks.connected ??= now()));
    await answered;
    await until(
      () => complete(callerMarks, 'caller') && complete(calleeMarks, 'callee'),
      'js-sdk call milestones',
    );
    return figuresOf(callerMarks, calleeMarks, counted());
  } finally {
    for (const stop of stops) stop();
    await Promise.all([caller.stop(), callee.stop()]);
  }
}

async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---- a) and c): widgets in cross-origin frames under a ClientWidgetApi host ----------------------

async function inFrame<T>(match: string, expression: string): Promise<T | undefined> {
  if (!window.benchFrameEvaluate)
    throw new Error('run this bench through bench/run.mjs (it opens the widget frames)');
  const answer = await window.benchFrameEvaluate(match, expression);
  if (answer.error !== undefined) throw new Error(`in the frame ${match}: ${answer.error}`);
  return answer.value as T | undefined;
}

/**
 * Installed into the kit's built widget once it shows its idle view: the same `window.benchPeer`
 * surface the js-sdk fixture has, over the widget's own controller (window.matrixCallWidget).
 */
const KIT_ADAPTER = `(() => {
  const c = window.matrixCallWidget.controller();
  const now = () => performance.timeOrigin + performance.now();
  const marks = {};
  const mark = (name) => { if (marks[name] === undefined) marks[name] = now(); };
  let answering = false;
  let answered = false;
  c.addEventListener('change', () => {
    for (const call of c.snapshot.calls) {
      if (call.direction === 'incoming' && call.state === 'ringing') {
        mark('ringing');
        if (answering && !answered) { answered = true; void c.answer(call.id); }
      }
      if (call.state === 'connected') mark('connected');
    }
  });
  setInterval(async () => {
    if (marks.audioIn !== undefined && marks.videoIn !== undefined) return;
    for (const call of c.snapshot.calls) {
      const pc = c.peerCall(call.id)?.peerConnection;
      if (!pc) continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && (r.bytesReceived ?? 0) > 0) mark(r.kind === 'video' ? 'videoIn' : 'audioIn');
        // For the BENCH_VERBOSE timeline only: when this side's first video frame was encoded.
        if (r.type === 'outbound-rtp' && (r.framesEncoded ?? 0) > 0) mark('videoEncoded');
      });
    }
  }, 10);
  window.benchPeer = {
    marks,
    ready: Promise.resolve(true),
    autoAnswer: () => { answering = true; },
    place: async (kind) => { marks.place = now(); await c.placeCall(kind); },
  };
  return true;
})()`;

/**
 * Installed into the kit's widget frames with the adapter, for the BENCH_VERBOSE timeline: when each
 * of the browser's setup steps began (>) and settled (<, or ! on failure), the call's state changes,
 * and the widget API messages the frame received (a send_event answer from the host, or an event the
 * host passed on). Wrapping adds a function call per step, nothing on the media path.
 */
const BROWSER_TRACE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const trace = (window.benchTrace = []);
  const t = (name) => { if (trace.length < 300) trace.push([name, now()]); };
  const wrap = (proto, key, name) => {
    const original = proto[key];
    proto[key] = function (...args) {
      t(name + '>');
      const result = original.apply(this, args);
      if (result && result.then) result.then(() => t(name + '<'), () => t(name + '!'));
      return result;
    };
  };
  wrap(RTCPeerConnection.prototype, 'createOffer', 'createOffer');
  wrap(RTCPeerConnection.prototype, 'createAnswer', 'createAnswer');
  wrap(RTCPeerConnection.prototype, 'setLocalDescription', 'setLocal');
  wrap(RTCPeerConnection.prototype, 'setRemoteDescription', 'setRemote');
  wrap(MediaDevices.prototype, 'getUserMedia', 'getUserMedia');
  wrap(Permissions.prototype, 'query', 'permissions');
  window.addEventListener('message', (e) => t('message:' + (e.data && e.data.api) + ':' + (e.data && e.data.action)));
  const c = window.matrixCallWidget.controller();
  let last = '';
  c.addEventListener('change', () => {
    const states = c.snapshot.calls.map((call) => call.state).join(',');
    if (states !== last) t('state:' + (last = states));
  });
  return true;
})()`;

type WidgetSetup = 'kit' | 'jsSdkWidget';
let widgetRuns = 0;

async function widgetRun(setup: WidgetSetup): Promise<RunFigures> {
  const { hs, roomId } = freshRoom();
  const origin = await window.benchShippedOrigin!();
  const url = setup === 'kit' ? `${origin}/dist/widget/index.html` : `${origin}/fixtures/js-sdk-widget.html`;
  const n = (widgetRuns += 1);
  const embedded: EmbeddedWidget[] = [];
  const embed = (userId: string, deviceId: string, role: string) => {
    const widget = embedWidget({
      homeserver: hs,
      container: document.body,
      url,
      userId,
      deviceId,
      roomId,
      widgetId: `bench-${setup}-${n}-${role}`,
      waitForContentLoaded: true,
    });
    embedded.push(widget);
    return `widgetId=bench-${setup}-${n}-${role}&`;
  };
  try {
    const caller = embed(CALLER, 'CALLERDEV', 'caller');
    const callee = embed(CALLEE, 'CALLEEDEV', 'callee');
    await Promise.all(embedded.map((w) => w.ready));
    for (const frame of [caller, callee]) {
      if (setup === 'kit') {
        await until(
          async () =>
            (await inFrame<string>(
              frame,
              `document.querySelector('matrix-call')?.getAttribute('view') ?? ''`,
            )) === 'idle',
          `${frame} idle`,
        );
        await inFrame(frame, KIT_ADAPTER);
        await inFrame(frame, BROWSER_TRACE);
      }
      await until(
        async () =>
          (await inFrame<boolean>(frame, `window.benchPeer ? window.benchPeer.ready : false`)) === true,
        `${frame} ready`,
      );
    }
    const counted = countCallEvents(hs);
    const timeline = traceCallEvents(hs);
    await inFrame(callee, `(window.benchPeer.autoAnswer(), true)`);
    await inFrame(caller, `window.benchPeer.place('${KIND}').then(() => true)`);
    let marks: [Marks, Marks] = [{}, {}];
    await until(async () => {
      marks = [
        (await inFrame<Marks>(caller, 'window.benchPeer.marks')) ?? {},
        (await inFrame<Marks>(callee, 'window.benchPeer.marks')) ?? {},
      ];
      return complete(marks[0], 'caller') && complete(marks[1], 'callee');
    }, `${setup} call milestones`);
    // With BENCH_VERBOSE set, bench/run.mjs prints this: where a run's time went.
    console.warn(`${setup} run ${n}: ${timeline(marks[0].place!, marks)}`);
    if (setup === 'kit') {
      for (const [side, frame] of [
        ['caller', caller],
        ['callee', callee],
      ] as const) {
        const trace = (await inFrame<[string, number][]>(frame, 'window.benchTrace')) ?? [];
        const since = (at: number) => Math.round(at - marks[0].place!);
        const steps = trace.filter(([, at]) => since(at) >= 0).map(([name, at]) => `${since(at)} ${name}`);
        console.warn(`  ${side}: ${steps.join(', ')}`);
      }
    }
    return figuresOf(marks[0], marks[1], counted());
  } finally {
    for (const widget of embedded) widget.remove();
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

const SETUPS = {
  kit: () => widgetRun('kit'),
  jsSdk: jsSdkRun,
  jsSdkWidget: () => widgetRun('jsSdkWidget'),
} as const;
type SetupName = keyof typeof SETUPS;

const FIGURES: readonly [string, string, keyof RunFigures][] = [
  ['place → callee ringing', 'ms', 'ringMs'],
  ['place → caller connected', 'ms', 'callerConnectedMs'],
  ['place → callee connected', 'ms', 'calleeConnectedMs'],
  ['answer → callee connected', 'ms', 'answerToConnectedMs'],
  ['place → inbound audio at callee', 'ms', 'calleeAudioMs'],
  ['place → inbound video at callee', 'ms', 'calleeVideoMs'],
  ['place → inbound audio at caller', 'ms', 'callerAudioMs'],
  ['place → inbound video at caller', 'ms', 'callerVideoMs'],
  ['call events sent', 'events', 'events'],
  ['call event content', 'bytes', 'eventBytes'],
];

export async function run(): Promise<BenchReport> {
  const restoreLogs = quietMatrixJsSdkLogs();
  try {
    const figures: Record<SetupName, RunFigures[]> = { kit: [], jsSdk: [], jsSdkWidget: [] };
    const failures: string[] = [];
    const names = Object.keys(SETUPS) as SetupName[];
    // Warm-up of each (module loading, the first getUserMedia), then the setups take turns, so a
    // change in the machine's load falls on all three alike.
    for (let i = -1; i < RUNS; i++) {
      for (const name of names) {
        try {
          const result = await SETUPS[name]();
          if (i >= 0) figures[name].push(result);
        } catch (error) {
          failures.push(`${name}: ${String(error)}`);
        }
      }
    }
    const rows: BenchRow[] = FIGURES.map(([metric, unit, key]) => {
      const row: { -readonly [K in keyof BenchRow]: BenchRow[K] } = { metric: `video: ${metric}`, unit };
      const spread: NonNullable<BenchRow['spread']> & Record<string, Spread> = {};
      for (const name of names) {
        const summary = summarize(figures[name].map((f) => f[key]));
        if (!summary) continue;
        row[name] = summary.median;
        spread[name] = summary.spread;
      }
      return { ...row, spread };
    });
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
    const counts = names.map((name) => `${name} n=${figures[name].length}`).join(', ');
    return {
      title: `1:1 video call setup as shipped, median of ${RUNS}: kit (built widget, cross-origin, ClientWidgetApi host) vs matrix-js-sdk direct (js-sdk) and matrix-js-sdk widget mode in the same host (js-sdk-w)`,
      note: [
        `Timed from place to each milestone on one clock; the callee answers as soon as it rings. Runs: ${counts}.`,
        'Sizes: unminified esbuild output of the served module graph, gzip in the page (node bench/call-code-size.mjs gives minified sizes).',
        failures.length > 0 ? `Failed runs: ${failures.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      rows,
    };
  } finally {
    restoreLogs();
  }
}
