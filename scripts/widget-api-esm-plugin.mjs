// Dev-server plugin: lets the browser import matrix-widget-api as ES modules.
//
// Owns: two import rewrites for the test runner and the demo server. matrix-widget-api's lib/ is
// CommonJS whose index re-exports through Object.defineProperty loops, which no CommonJS converter
// turns into named exports; the package also ships its TypeScript sources (src/), which the esbuild
// plugin compiles like the kit's own files. Its one dependency, `events`, is CommonJS with the class
// as module.exports, so it is served through a small ES module that names the export.
// Never: touches other packages, or the rollup build (which compiles the same sources through
// scripts/widget-api-es-build.mjs).
//
// Use: plugins: [widgetApiEsm(), esbuildPlugin(...), commonjs({ include: [..., '**/node_modules/events/**'] })]
const EVENTS_SHIM = '/__matrix-call-kit/events-esm.js';

export function widgetApiEsm() {
  return {
    name: 'widget-api-esm',
    resolveImport({ source }) {
      if (source === 'matrix-widget-api') return '/node_modules/matrix-widget-api/src/index.ts';
      if (source === 'events') return EVENTS_SHIM;
      return undefined;
    },
    serve(context) {
      if (context.path !== EVENTS_SHIM) return undefined;
      return {
        type: 'js',
        body:
          "import EventEmitter from '/node_modules/events/events.js';\n" +
          'export default EventEmitter;\nexport { EventEmitter };\n',
      };
    },
  };
}
