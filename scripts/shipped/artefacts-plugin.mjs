// web-test-runner plugin for the tests of what ships (test/shipped/): serves the built files and the
// scratch npm project from a plain static server on an origin of its own (127.0.0.1, while the test
// page is on localhost), so nothing the tests load there passes through the dev server's rewriting,
// and the widget iframes are cross-origin to their host as in Element Web.
//
// Commands (`executeServerCommand(name, payload)`):
//   shipped-origin                  -> the static server's origin
//   frame-evaluate {match, expression} -> { value } of `expression` evaluated inside the (cross-origin)
//                                      frame whose URL contains `match`, { error }, or { missing: true }
//                                      while there is no such frame (scripts/frame-probe.mjs)
//   built-files-scan                -> for every built .js file: its bare import specifiers, and whether
//                                      it carries lit's development build
//   scratch-project                 -> packs, installs and bundles the npm package once: { ok, steps },
//                                      or { pending: true } while that runs (ask again)
//   scratch-typecheck {mode}        -> tsc over the scratch project (`bundler` or `node16`): { code, output },
//                                      or { pending: true } while it runs
// Owns: the static server's lifetime, the scratch project's lifetime. Never: judges a result; the
// tests assert.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init as initLexer, parse as parseImports } from 'es-module-lexer';
import { startStaticServer } from '../static-server.mjs';
import { evaluateInFrame } from '../frame-probe.mjs';
import { buildScratchProject, removeScratch, typeCheckScratch } from './scratch-project.mjs';

const BUILT_FOLDERS = ['dist/widget', 'dist'];

export function shippedArtefactsPlugin() {
  let server;
  /** The scratch project being built, as settling() tracks it. */
  let scratch;
  const typeChecks = {};
  const mounts = {
    '/dist/': 'dist',
    '/fixtures/': 'test/shipped/fixtures',
  };
  return {
    name: 'shipped-artefacts',
    async serverStart() {
      server = await startStaticServer({ mounts });
    },
    async serverStop() {
      await server?.close();
      const built = await scratch?.promise;
      if (built) removeScratch(built.dir);
    },
    async executeCommand({ command, payload, session }) {
      switch (command) {
        case 'shipped-origin':
          return server.origin;
        case 'frame-evaluate':
          return evaluateInFrame(session.browser.getPage(session.id), payload.match, payload.expression);
        case 'built-files-scan':
          return scanBuiltFiles();
        // Packing, installing and type-checking take longer than the runner waits for one command
        // on a loaded machine, so these answer { pending: true } at once until their work is done;
        // the tests ask again.
        case 'scratch-project': {
          scratch ??= settling(
            buildScratchProject().then((built) => {
              mounts['/scratch/'] = built.dir;
              return built;
            }),
          );
          if (!scratch.settled) return { pending: true };
          const { ok, steps } = scratch.value;
          return { ok, steps };
        }
        case 'scratch-typecheck': {
          if (!scratch?.settled) return { code: 1, output: 'the scratch project was not built' };
          const built = scratch.value;
          if (!built.ok) return { code: 1, output: 'the scratch project was not built' };
          typeChecks[payload.mode] ??= settling(typeCheckScratch(built.dir, payload.mode));
          const check = typeChecks[payload.mode];
          return check.settled ? check.value : { pending: true };
        }
        default:
          return undefined;
      }
    },
  };
}

/** A promise whose outcome can be read without waiting: { promise, settled, value }. */
function settling(promise) {
  const tracked = { promise, settled: false, value: undefined };
  promise.then(
    (value) => Object.assign(tracked, { settled: true, value }),
    (error) =>
      Object.assign(tracked, {
        settled: true,
        value: { ok: false, code: 1, steps: [], output: String(error) },
      }),
  );
  return tracked;
}

/** Every built .js file (not the maps), with its bare specifiers and whether lit's dev build is in it. */
async function scanBuiltFiles() {
  await initLexer;
  const files = [];
  for (const folder of BUILT_FOLDERS) {
    for (const name of readdirSync(folder, { recursive: true }).map(String)) {
      if (!name.endsWith('.js') || (folder === 'dist' && /^(esm|widget)\//.test(name))) continue;
      const path = join(folder, name);
      const source = readFileSync(path, 'utf8');
      const [imports] = parseImports(source);
      const bare = imports
        .map((entry) => entry.n)
        .filter((specifier) => typeof specifier === 'string' && !/^(\.{1,2}\/|\/|[a-z]+:)/i.test(specifier));
      files.push({ path, bare, litDevMode: source.includes('Lit is in dev mode') });
    }
  }
  return files;
}
