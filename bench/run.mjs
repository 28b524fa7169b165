// `npm run bench`: serves the repository, opens each bench/*.bench.ts in headless Chromium (fake media,
// real WebRTC), and prints each figure for the kit and matrix-js-sdk side by side with their ratio.
// A bench module exports `run(): Promise<BenchReport>` (see bench/report.ts). Figures are measured in
// one run on this machine; nothing here asserts them. Results also go to bench/results/latest.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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
    await page.goto(`http://127.0.0.1:${port}/bench/page.html`);
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
    console.log(
      `  ${'figure'.padEnd(46)} ${'kit'.padStart(10)} ${'js-sdk'.padStart(10)} ${'kit/js-sdk'.padStart(11)}`,
    );
    for (const row of report.rows) {
      const r = ratio(row.kit, row.jsSdk);
      console.log(
        `  ${`${row.metric} (${row.unit})`.padEnd(46)} ${fmt(row.kit).padStart(10)} ${fmt(row.jsSdk).padStart(10)} ${(r === undefined ? '-' : `${r.toFixed(2)}x`).padStart(11)}`,
      );
    }
  }
} finally {
  await browser.close();
  await server.stop();
  await sfuRig.stopAll();
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  JSON.stringify({ date: new Date().toISOString(), reports: all }, null, 2),
);
process.exit(failed ? 1 : 0);
