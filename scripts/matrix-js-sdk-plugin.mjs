// Dev-server plugin: serves matrix-js-sdk to browser tests as ONE pre-bundled ES module.
//
// Why: matrix-js-sdk's ESM build imports CommonJS packages (p-retry, loglevel, events, ...) that the
// browser cannot load as they are, and converting them one by one with @rollup/plugin-commonjs still
// fails on matrix-events-sdk's re-exports. esbuild bundles the whole package (CommonJS included)
// into a single module the first time a test asks for it.
//
// Any import of `matrix-js-sdk` or `matrix-js-sdk/lib/<path>.js` resolves to
// `/__matrix-js-sdk/<entry>.js`, which is built (and cached) on request. Each entry point is
// bundled on its own, so classes are shared only within one entry: import everything a test needs
// from one entry (the package root exports CallMembership, MatrixRTCSession, MatrixEvent, ...).
import { build } from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PREFIX = '/__matrix-js-sdk/';
const cache = new Map();

function entryFor(specifier) {
  if (specifier === 'matrix-js-sdk') return 'index';
  if (specifier.startsWith('matrix-js-sdk/lib/')) return specifier.slice('matrix-js-sdk/lib/'.length).replace(/\.js$/, '');
  return undefined;
}

async function bundle(entry) {
  if (!cache.has(entry)) {
    const file = require.resolve(entry === 'index' ? 'matrix-js-sdk' : `matrix-js-sdk/lib/${entry}.js`);
    cache.set(
      entry,
      build({
        entryPoints: [file],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
        define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
      }).then((result) => result.outputFiles[0].text),
    );
  }
  return cache.get(entry);
}

export function matrixJsSdkPlugin() {
  return {
    name: 'matrix-js-sdk-bundle',
    resolveImport({ source }) {
      const entry = entryFor(source);
      return entry ? `${PREFIX}${entry}.js` : undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const entry = context.path.slice(PREFIX.length).replace(/\.js$/, '');
      return { body: await bundle(entry), type: 'js' };
    },
  };
}
