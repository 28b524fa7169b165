// `npm run size`: gzip -9 size of the drop-in bundle (what a page downloads), against the budget, and of
// the widget page (dist/widget/): its first load, and each chunk it loads later, one per line.
// The drop-in bundle is the entry file plus every chunk it imports statically (rollup may move shared
// code into a chunk when a lazy chunk needs it too); chunks reached only through import() (the LiveKit
// backend's livekit-client) and the E2EE worker are listed on their own and are outside the budget.
// The widget's first load is everything fetched before it can ring or place a 1:1 call: widget.js, the
// elements it awaits before announcing itself (components/matrix-call/matrix-call.ts), and their static
// imports, read from dist/widget/chunks.json (scripts/chunk-manifest.mjs). Group call, SFU and
// walkie-talkie chunks load when first used (src/controller.ts), the walkie-talkie view's elements when
// that view first shows (components/matrix-call/internal/walkie-elements.ts); they are listed as lazy.
// The first load is reported against the same budget; over it is said, but does not fail the run.
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
const widgetDir = 'dist/widget';
const manifestFile = join(widgetDir, 'chunks.json');
if (existsSync(manifestFile)) {
  /** @type {Record<string, {facade: string | null, imports: string[], dynamicImports: string[]}>} */
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  // What demo/widget.ts waits for before the page is ready, besides its static imports.
  const FIRST_LOAD_FACADES = new Set(['demo/widget.ts', 'components/matrix-call/matrix-call.ts']);
  const closure = (roots) => {
    const seen = new Set();
    const queue = [...roots];
    while (queue.length > 0) {
      const file = queue.shift();
      if (seen.has(file) || !manifest[file]) continue;
      seen.add(file);
      queue.push(...manifest[file].imports);
    }
    return seen;
  };
  const firstLoad = closure(Object.keys(manifest).filter((f) => FIRST_LOAD_FACADES.has(manifest[f].facade)));
  const kb = (file) => gz(join(widgetDir, file));
  const label = (file) => {
    const { facade, largest } = manifest[file];
    return facade ? ` (${facade})` : ` (shared: ${largest.join(', ')})`;
  };
  const widgetKb = [...firstLoad].reduce((sum, file) => sum + kb(file), 0);
  const over = widgetKb > BUDGET_KB ? `, ${(widgetKb - BUDGET_KB).toFixed(1)} KB over the budget` : '';
  console.log(`widget page first load: ${widgetKb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB${over})`);
  for (const file of firstLoad) console.log(`  ${file}${label(file)}: ${kb(file).toFixed(1)} KB gzip`);
  console.log('widget page, loaded when first used:');
  for (const file of Object.keys(manifest).filter((f) => !firstLoad.has(f))) {
    console.log(`  lazy chunk ${file}${label(file)}: ${kb(file).toFixed(1)} KB gzip`);
  }
}
if (totalKb > BUDGET_KB) {
  console.error(`Over budget by ${(totalKb - BUDGET_KB).toFixed(1)} KB.`);
  process.exit(1);
}
