// `node bench/call-code-size.mjs`: minified and gzipped size of each side's 1:1 call code, bundled
// the way an app would ship it (esbuild, production). The kit: src/controller.ts and everything it
// imports. matrix-js-sdk: its webrtc/call.js entry (MatrixCall and all it imports, which is most of
// the client), the share of that bundle that is matrix-js-sdk's own lib/webrtc/ code, and the whole
// package entry. Complements bench/call-setup.bench.ts, whose in-page sizes are unminified.
// Measures only; asserts nothing.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function bundle(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const code = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs: output.inputs };
}

const share = (inputs, pattern) =>
  Object.entries(inputs)
    .filter(([path]) => pattern.test(path))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);

const kit = await bundle('src/controller.ts');
const sdkCall = await bundle(require.resolve('matrix-js-sdk/lib/webrtc/call.js'));
const sdkAll = await bundle(require.resolve('matrix-js-sdk'));
console.log('1:1 call code, esbuild --minify (production)');
console.log(
  `  kit src/controller.ts graph            ${kb(kit.min).padStart(10)} min ${kb(kit.gzip).padStart(10)} min+gzip`,
);
console.log(
  `  matrix-js-sdk webrtc/call.js graph     ${kb(sdkCall.min).padStart(10)} min ${kb(sdkCall.gzip).padStart(10)} min+gzip`,
);
console.log(
  `    of which matrix-js-sdk lib/webrtc/   ${kb(share(sdkCall.inputs, /matrix-js-sdk\/lib\/webrtc\//)).padStart(10)} min`,
);
const oneToOne =
  /matrix-js-sdk\/lib\/webrtc\/(call|callEventHandler|callFeed|mediaHandler|callEventTypes)\.js$/;
console.log(
  `    of which its 1:1 modules              ${kb(share(sdkCall.inputs, oneToOne)).padStart(10)} min (call, callEventHandler, callFeed, mediaHandler)`,
);
console.log(
  `  matrix-js-sdk package entry            ${kb(sdkAll.min).padStart(10)} min ${kb(sdkAll.gzip).padStart(10)} min+gzip`,
);
