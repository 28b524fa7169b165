// The import rules of the kit's source, checked on every `npm run lint`:
//  1. No loop between folders of src/: the data flows one way (transport → parsers → the room-level
//     parts → engines → snapshot → elements), so no folder may import, directly or round about, from a
//     folder that imports it. A file at the top of src/ (controller.ts, snapshot.ts ...) counts as a
//     folder of its own. Type-only imports count too: a loop of types is a loop of knowledge.
//  2. The core (src/) never imports the elements (components/), the demo, or lit.
//  3. The elements import from the core only its contract (snapshot.ts, kit-errors.ts) and the few
//     modules listed in ELEMENT_ALLOWED, each with its reason.
// Prints the folder graph with `--graph`.
//
// Owns: reading the import lines of src/ and components/ (static `import … from`, `export … from`
// and `import('…')`). Never: changes a file, or follows imports into node_modules.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const IMPORT =
  /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Core modules the elements may import besides the contract, and why. */
const ELEMENT_ALLOWED = {
  'src/group/focus-approvals.ts': 'the question about an untrusted media server is asked by <matrix-call>',
  'src/group/group-call-id.ts': "the group call's id in the actions",
  'src/transport/widget-transport.ts': '<matrix-call> builds its own controller on a widget page',
};
const ELEMENT_CONTRACT = ['src/snapshot.ts', 'src/kit-errors.ts'];

function sources(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

function importsOf(file) {
  // Comments may show imports as examples: they are not imports.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (!spec) continue;
    if (spec.startsWith('.')) found.push(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
    else found.push(spec);
  }
  return found;
}

/** The folder node of a src/ file: its folder under src/, or the file itself at the top of src/. */
function nodeOf(file) {
  const inside = relative('src', file);
  const folder = dirname(inside);
  return folder === '.' ? inside : folder;
}

const problems = [];
const edges = new Map();
for (const file of sources('src')) {
  for (const target of importsOf(file)) {
    if (target.startsWith('components/') || target.startsWith('demo/')) {
      problems.push(`${file} imports ${target}: the core never imports the elements or the demo`);
    } else if (/^(lit|lit-html|lit-element|@lit\/)/.test(target)) {
      problems.push(`${file} imports ${target}: the core never imports lit`);
    }
    if (!target.startsWith('src/')) continue;
    const from = nodeOf(file);
    const to = nodeOf(target);
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const files = edges.get(from);
    if (!files.has(to)) files.set(to, []);
    files.get(to).push(`${relative('src', file)} → ${relative('src', target)}`);
  }
}

for (const file of sources('components')) {
  for (const target of importsOf(file)) {
    if (!target.startsWith('src/')) continue;
    if (ELEMENT_CONTRACT.includes(target) || target in ELEMENT_ALLOWED) continue;
    problems.push(
      `${file} imports ${target}: elements take only the contract (${ELEMENT_CONTRACT.join(', ')})`,
    );
  }
}

// Loops between folders: the strongly connected components of the folder graph (Tarjan).
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
let counter = 0;
const loops = [];
function visit(node) {
  index.set(node, counter);
  low.set(node, counter);
  counter += 1;
  stack.push(node);
  onStack.add(node);
  for (const next of edges.get(node)?.keys() ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(node, Math.min(low.get(node), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(node, Math.min(low.get(node), index.get(next)));
    }
  }
  if (low.get(node) === index.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) loops.push(component);
  }
}
for (const node of edges.keys()) if (!index.has(node)) visit(node);
for (const loop of loops) {
  const inLoop = new Set(loop);
  const lines = [];
  for (const from of loop) {
    for (const [to, files] of edges.get(from) ?? []) {
      if (inLoop.has(to))
        lines.push(`    ${from} → ${to}: ${files.slice(0, 3).join('; ')}${files.length > 3 ? ' …' : ''}`);
    }
  }
  problems.push(`folders in a loop: ${loop.sort().join(', ')}\n${lines.join('\n')}`);
}

if (process.argv.includes('--graph')) {
  for (const [from, tos] of [...edges].sort()) console.log(`${from} → ${[...tos.keys()].sort().join(', ')}`);
}
if (problems.length > 0) {
  console.error(`Import rules (scripts/check-imports.mjs): ${problems.length} problem(s)\n`);
  for (const problem of problems) console.error(`- ${problem}`);
  process.exit(1);
}
console.log(`Import rules hold: ${edges.size} folders of src/, no loop between them.`);
