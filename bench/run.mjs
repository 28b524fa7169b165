// `npm run bench`: serves the repository, opens each bench/*.bench.ts in headless Chromium (fake media,
// real WebRTC), and prints each figure for the kit and matrix-js-sdk side by side with their ratio.
// A bench module exports `run(): Promise<BenchReport>` (see bench/report.ts). Figures are measured in
// one run on this machine; nothing here asserts them. Results also go to bench/results/latest.json.
//
// Widget frames: the bench page (dev server, http://localhost) can embed widgets served as they ship
// by the plain static server (scripts/static-server.mjs, http://127.0.0.1, so cross-origin): the
// built widget under /dist/ (built first when dist/widget is missing) and the bench's own fixture
// pages under /fixtures/ (bench/fixtures/*.ts bundled here with esbuild). The page reaches into those
// frames through two functions this script exposes: `benchShippedOrigin()` and
// `benchFrameEvaluate(match, expression)` (the expression's value inside the frame whose URL contains
// `match`, or { missing: true }).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startStaticServer } from '../scripts/static-server.mjs';
import { evaluateInFrame } from '../scripts/frame-probe.mjs';
import puppeteer from 'puppeteer-core';
import { startDevServer } from '@web/dev-server';
import { kitDevServerPlugins } from '../scripts/dev-server-plugins.mjs';
import { findChromium, CHROMIUM_FLAGS } from '../scripts/browser-path.mjs';
import { createSfuRig } from '../scripts/sfu/rig.mjs';
import { cpuOver } from './cpu-sampler.mjs';

const only = process.argv[2];
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only));
if (benches.length === 0) {
  console.error('No bench/*.bench.ts found' + (only ? ` for "${only}"` : ''));
  process.exit(1);
}

if (!existsSync('dist/widget/index.html')) {
  console.log('dist/widget is missing: running `npm run build` first');
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('`npm run build` failed; the bench needs the built widget (dist/widget)');
    process.exit(1);
  }
}

// The bench's fixture widget pages, bundled as a user's bundler would, served with no rewriting.
const fixtures = mkdtempSync(join(tmpdir(), 'bench-fixtures-'));
for (const name of readdirSync('bench/fixtures')) {
  if (name.endsWith('.html')) writeFileSync(join(fixtures, name), readFileSync(join('bench/fixtures', name)));
}
await build({
  entryPoints: readdirSync('bench/fixtures')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('bench/fixtures', f)),
  outdir: fixtures,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
});
const shipped = await startStaticServer({ mounts: { '/dist/': 'dist', '/fixtures/': fixtures } });

const server = await startDevServer({
  config: {
    rootDir: '.',
    port: 0,
    hostname: '127.0.0.1',
    nodeResolve: { exportConditions: ['browser', 'production'] },
    plugins: kitDevServerPlugins({ matrixJsSdk: true }),
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const { port } = server.server.address();
// A bench runs as one call into the page; the SFU one takes minutes.
const browser = await puppeteer.launch({
  executablePath: findChromium(),
  headless: true,
  args: CHROMIUM_FLAGS,
  protocolTimeout: 20 * 60 * 1000,
});
// The SFU bench runs against a real livekit-server on loopback (scripts/sfu/rig.mjs), started only for it.
const sfuRig = createSfuRig();

/** What a bench gets besides the page: the SFU rig's layout, and CPU over a window (browser and SFU). */
async function contextFor(bench, page) {
  if (!bench.startsWith('sfu')) return {};
  const missing = sfuRig.missing();
  if (missing) throw new Error(missing);
  const sfu = await sfuRig.up('single');
  await page.exposeFunction('benchCpuWindow', (ms) =>
    cpuOver(ms, { browser: browser.process().pid, sfu: sfuRig.pids()[0] }),
  );
  return { sfu };
}

const ratio = (kit, sdk) =>
  typeof kit === 'number' && typeof sdk === 'number' && sdk !== 0 ? kit / sdk : undefined;
const fmt = (n) => (typeof n === 'number' ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1)) : '-');
const all = [];
let failed = false;
try {
  for (const bench of benches) {
    const page = await browser.newPage();
    page.on('console', (msg) => process.env.BENCH_VERBOSE && console.log(`  [page] ${msg.text()}`));
    await page.exposeFunction('benchShippedOrigin', () => shipped.origin);
    await page.exposeFunction('benchFrameEvaluate', (match, expression) =>
      evaluateInFrame(page, match, expression),
    );
    // localhost, while the static server is 127.0.0.1: the widget frames are cross-origin.
    await page.goto(`http://localhost:${port}/bench/page.html`);
    const report = await contextFor(bench, page)
      .then((context) =>
        page.evaluate(
          async (file, context) => {
            const mod = await import(`/bench/${file}`);
            return mod.run(context);
          },
          bench,
          context,
        ),
      )
      .catch((error) => ({ title: bench, error: String(error), rows: [] }));
    await page.close();
    all.push(report);
    console.log(`\n${report.title}`);
    if (report.error) {
      failed = true;
      console.log(`  failed: ${report.error}`);
      continue;
    }
    if (report.note) console.log(`  ${report.note}`);
    const widgetColumn = report.rows.some((row) => row.jsSdkWidget !== undefined);
    // A bench that measures the kit's previous behaviour too (`before`) gets that column and the ratio to it.
    const beforeColumn = report.rows.some((row) => row.before !== undefined);
    const x = (r) => (r === undefined ? '-' : `${r.toFixed(2)}x`);
    console.log(
      `  ${'figure'.padEnd(50)} ${'kit'.padStart(8)} ${'js-sdk'.padStart(8)}` +
        (widgetColumn ? ` ${'js-sdk-w'.padStart(8)}` : '') +
        (beforeColumn ? ` ${'before'.padStart(8)}` : '') +
        ` ${'kit/js-sdk'.padStart(11)}` +
        (widgetColumn ? ` ${'kit/js-sdk-w'.padStart(13)}` : '') +
        (beforeColumn ? ` ${'kit/before'.padStart(11)}` : ''),
    );
    for (const row of report.rows) {
      console.log(
        `  ${`${row.metric} (${row.unit})`.padEnd(50)} ${fmt(row.kit).padStart(8)} ${fmt(row.jsSdk).padStart(8)}` +
          (widgetColumn ? ` ${fmt(row.jsSdkWidget).padStart(8)}` : '') +
          (beforeColumn ? ` ${fmt(row.before).padStart(8)}` : '') +
          ` ${x(ratio(row.kit, row.jsSdk)).padStart(11)}` +
          (widgetColumn ? ` ${x(ratio(row.kit, row.jsSdkWidget)).padStart(13)}` : '') +
          (beforeColumn
            ? ` ${x(row.unit === 'ms' ? ratio(row.kit, row.before) : undefined).padStart(11)}`
            : ''),
      );
      if (row.spread) {
        const names = { kit: 'kit', jsSdk: 'js-sdk', jsSdkWidget: 'js-sdk-w', before: 'before' };
        const parts = Object.entries(row.spread).map(
          ([column, s]) => `${names[column] ?? column} n=${s.n} p90=${fmt(s.p90)}`,
        );
        console.log(`    ${parts.join(', ')}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
  await sfuRig.stopAll();
  await shipped.close();
  rmSync(fixtures, { recursive: true, force: true });
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  JSON.stringify({ date: new Date().toISOString(), reports: all }, null, 2),
);
process.exit(failed ? 1 : 0);
