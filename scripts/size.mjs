// `npm run size`: gzip -9 size of the drop-in bundle (what a page downloads), against the budget, and of
// the widget page's first load (dist/widget/: the elements plus the controller, calls, group calls,
// walkie-talkie and matrix-widget-api), which is reported against the same budget but does not fail it:
// the whole kit is over it today (see docs/widget-setup.md).
// The bundle is the entry file plus every chunk it imports statically (rollup may move shared code
// into a chunk when a lazy chunk needs it too); chunks reached only through import() (the LiveKit
// backend's livekit-client) and the E2EE worker are listed on their own and are outside the budget.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, normalize } from 'node:path';

const BUDGET_KB = 60;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;
const main = 'dist/matrix-call-kit.min.js';
if (!existsSync(main)) {
  console.error(`${main} is missing: run npm run build first.`);
  process.exit(1);
}

/** Relative files a module imports statically (`import … from"./x.js"`, `export … from"./x.js"`, `import"./x.js"`). */
function staticImports(file) {
  const code = readFileSync(file, 'utf8');
  const found = new Set();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    found.add(normalize(join(dirname(file), match[1])));
  }
  return [...found];
}

/** The entry and every file it reaches through static imports. */
function eagerFiles(entry) {
  const eager = new Set([normalize(entry)]);
  const queue = [normalize(entry)];
  while (queue.length > 0) {
    for (const dep of staticImports(queue.shift())) {
      if (!eager.has(dep) && existsSync(dep)) {
        eager.add(dep);
        queue.push(dep);
      }
    }
  }
  return eager;
}

const eager = eagerFiles(main);

let totalKb = 0;
for (const file of eager) totalKb += gz(file);
const parts = eager.size > 1 ? ` (${[...eager].map((f) => `${f} ${gz(f).toFixed(1)}`).join(' + ')})` : '';
console.log(`drop-in bundle ${main}: ${totalKb.toFixed(1)} KB gzip${parts} (budget ${BUDGET_KB} KB)`);
if (existsSync('dist/chunks')) {
  for (const chunk of readdirSync('dist/chunks').filter((f) => f.endsWith('.js'))) {
    const file = normalize(`dist/chunks/${chunk}`);
    if (eager.has(file)) continue;
    console.log(`  lazy chunk ${file}: ${gz(file).toFixed(1)} KB gzip`);
  }
}
const widget = 'dist/widget/widget.js';
if (existsSync(widget)) {
  const widgetKb = [...eagerFiles(widget)].reduce((sum, file) => sum + gz(file), 0);
  const over = widgetKb > BUDGET_KB ? `, ${(widgetKb - BUDGET_KB).toFixed(1)} KB over the budget` : '';
  console.log(
    `widget page first load ${widget} and its static chunks: ${widgetKb.toFixed(1)} KB gzip${over}`,
  );
}
if (totalKb > BUDGET_KB) {
  console.error(`Over budget by ${(totalKb - BUDGET_KB).toFixed(1)} KB.`);
  process.exit(1);
}
