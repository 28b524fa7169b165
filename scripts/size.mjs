// `npm run size`: gzip -9 size of the drop-in bundle (what a page downloads), against the budget.
// Lazily loaded chunks (the LiveKit backend) are listed on their own and are outside the budget.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 60;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length / 1024;
const main = 'dist/matrix-call-kit.min.js';
if (!existsSync(main)) {
  console.error(`${main} is missing: run npm run build first.`);
  process.exit(1);
}
const mainKb = gz(main);
console.log(`drop-in bundle ${main}: ${mainKb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)`);
if (existsSync('dist/chunks')) {
  for (const chunk of readdirSync('dist/chunks').filter((f) => f.endsWith('.js'))) {
    console.log(`  lazy chunk dist/chunks/${chunk}: ${gz(`dist/chunks/${chunk}`).toFixed(1)} KB gzip`);
  }
}
if (mainKb > BUDGET_KB) {
  console.error(`Over budget by ${(mainKb - BUDGET_KB).toFixed(1)} KB.`);
  process.exit(1);
}
