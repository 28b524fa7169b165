// Three builds:
//  1. dist/esm: unbundled ES modules and .d.ts for npm users (lit, matrix-widget-api and
//     every other package stay external imports).
//  2. dist/matrix-call-kit.min.js: one minified drop-in bundle that registers every element, for plain
//     HTML pages and widget pages. Lazily loaded backends (LiveKit) become their own chunks in dist/chunks/.
//  3. dist/widget/: the widget page a real host loads (index.html + widget.js from demo/widget.*), ready
//     for any static HTTPS server.
// The bundles take matrix-widget-api from the TypeScript sources its package ships, as ES modules, so
// only the widget side's parts of it are kept (scripts/widget-api-es-build.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import terser from '@rollup/plugin-terser';
import { widgetApiEsBuild } from './scripts/widget-api-es-build.mjs';
import { chunkManifest } from './scripts/chunk-manifest.mjs';

function sourcesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

/** Emits demo/widget.html as index.html, loading the built widget.js instead of the TypeScript entry. */
function widgetPage() {
  return {
    name: 'widget-page',
    generateBundle() {
      const html = readFileSync('demo/widget.html', 'utf8');
      if (!html.includes('src="./widget.ts"'))
        throw new Error('demo/widget.html no longer loads ./widget.ts');
      this.emitFile({
        type: 'asset',
        fileName: 'index.html',
        source: html.replace('src="./widget.ts"', 'src="./widget.js"'),
      });
    },
  };
}

const bundlePlugins = (outDir, extraInclude = []) => [
  widgetApiEsBuild(),
  nodeResolve({ browser: true, preferBuiltins: false }),
  commonjs({ strictRequires: false }),
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts', 'components/**/*.ts', ...extraInclude],
    exclude: ['**/*.test.ts'],
    declaration: false,
    outDir,
    sourceMap: true,
    noEmitOnError: true,
  }),
  terser({ format: { comments: false }, compress: { passes: 2 }, ecma: 2022, module: true }),
];

// livekit-client's media encryption worker, started by the LiveKit backend (src/group/livekit/).
const E2EE_WORKER = 'src/group/livekit/e2ee-worker.js';

// The widget page's elements that a 1:1 call shows, with lit, for the manualChunks rule above; not the
// parts loaded when first needed (components/matrix-call/internal/walkie-elements.ts and
// focus-asking-loader.ts, components/call-controls/internal/panel-elements.ts).
const LAZY_ELEMENTS = [
  /\/components\/(ptt-button|ptt-messages|device-select|dtmf-keypad)\//,
  /\/components\/internal\/(ptt-sounds|device-list)\.ts$/,
  /\/components\/matrix-call\/internal\/(walkie-controls|focus-asking|focus-question-markup)\.ts$/,
];
const FOCUS_ASKING = [
  '/components/matrix-call/internal/focus-asking.ts',
  '/components/matrix-call/internal/focus-question-markup.ts',
  '/src/group/focus-approvals.ts',
];
const firstLoadElement = (id) =>
  !LAZY_ELEMENTS.some((lazy) => lazy.test(id)) &&
  (/\/components\/.*\.ts$/.test(id) || /\/node_modules\/(lit|lit-html|lit-element|@lit|tslib)\//.test(id));

const isBareImport = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

// ONLY=shipped (rollup --environment ONLY:shipped) builds the drop-in bundle and the widget page, for
// `npm start`.
const builds = [
  {
    // The E2EE worker entry is plain JavaScript (see its header), so it is listed by hand.
    input: [...sourcesUnder('src'), ...sourcesUnder('components'), E2EE_WORKER],
    external: isBareImport,
    output: {
      dir: 'dist/esm',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: '.',
      sourcemap: true,
    },
    plugins: [
      typescript({
        tsconfig: './tsconfig.json',
        include: ['src/**/*.ts', 'components/**/*.ts'],
        exclude: ['**/*.test.ts'],
        outDir: 'dist/esm',
        declaration: true,
        declarationDir: 'dist/esm',
        rootDir: '.',
        noEmitOnError: true,
      }),
    ],
  },
  {
    // The worker is a second entry: the LiveKit adapter chunk starts it from
    // new URL('./e2ee-worker.js', import.meta.url), so it must land next to it in dist/chunks/.
    input: { 'matrix-call-kit.min': 'components/index.ts', 'e2ee-worker': E2EE_WORKER },
    // The elements <matrix-call> loads through import() when first needed are in the entry already
    // (components/index.ts imports every element): the entry may export them, so it stays one file.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: (chunk) =>
        chunk.name === 'e2ee-worker' ? 'chunks/e2ee-worker.js' : 'matrix-call-kit.min.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
    },
    plugins: bundlePlugins('dist'),
  },
  {
    input: { widget: 'demo/widget.ts', 'e2ee-worker': E2EE_WORKER },
    output: {
      dir: 'dist/widget',
      format: 'es',
      entryFileNames: (chunk) => (chunk.name === 'e2ee-worker' ? 'chunks/e2ee-worker.js' : 'widget.js'),
      chunkFileNames: 'chunks/[name]-[hash].js',
      // Chunks under 4 KB merge into others where that changes no code run: fewer requests.
      experimentalMinChunkSize: 4000,
      // The elements of the first load stay one chunk, though the lazily loaded walkie-talkie elements
      // share lit and the kit's element helpers with them: one file compresses better than several.
      // The question about an untrusted media server stays its own chunk: small chunks merge, and it
      // must not merge into one of the first load.
      manualChunks: (id) =>
        FOCUS_ASKING.some((part) => id.endsWith(part))
          ? 'focus-asking'
          : firstLoadElement(id)
            ? 'elements'
            : undefined,
      sourcemap: true,
    },
    plugins: [
      ...bundlePlugins('dist/widget', ['demo/widget.ts', 'demo/widget-controller.ts']),
      widgetPage(),
      chunkManifest(),
    ],
  },
];

// matrix-widget-api's CommonJS modules import each other in a circle; it is theirs and harmless.
const quietThirdPartyCircles = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules')))
    return;
  warn(warning);
};
for (const build of builds) build.onwarn = quietThirdPartyCircles;

export default process.env.ONLY === 'shipped' ? builds.slice(1) : builds;
