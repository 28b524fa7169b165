// Rollup plugin: bundles matrix-widget-api from the TypeScript sources its package ships (src/) as ES
// modules, so rollup keeps only what the kit uses of it.
//
// Owns: resolving the bare `matrix-widget-api` import to the package's src/index.ts and compiling that
// package's .ts files with esbuild (types stripped, ES2022, the same class-field semantics as the dev
// server, which serves the same sources: scripts/widget-api-esm-plugin.mjs).
// Also: gives the library's `events` import the kit's small emitter (src/transport/widget-api-emitter.ts).
// Never: touches other packages or the kit's own TypeScript; never copies the library's code into
// the repository (it is read from node_modules at build time).
//
// Why: the package's lib/ is CommonJS whose index requires every module (the host side's
// ClientWidgetApi, WidgetDriver, the widget URL parser ...), which rollup's CommonJS plugin cannot
// shake: about 24 KB gzip of the widget page's first load, where the widget side uses about 7 KB.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve('matrix-widget-api/package.json'));
const SOURCES = join(PACKAGE_DIR, 'src') + sep;
const SMALL_EMITTER = fileURLToPath(new URL('../src/transport/widget-api-emitter.ts', import.meta.url));

export function widgetApiEsBuild() {
  return {
    name: 'widget-api-es-build',
    resolveId(source, importer) {
      if (source === 'matrix-widget-api') return join(SOURCES, 'index.ts');
      // The library's own `events` import gets the kit's small emitter (the four methods it uses);
      // other packages keep the npm `events` package.
      if (source === 'events' && importer?.startsWith(SOURCES)) return SMALL_EMITTER;
      // The sources import each other without extensions ("./interfaces/Capabilities").
      if (importer?.startsWith(SOURCES) && source.startsWith('.')) {
        const base = join(dirname(importer), source);
        for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
          if (existsSync(candidate)) return candidate;
        }
      }
      return null;
    },
    async load(id) {
      if (!id.startsWith(SOURCES) || !id.endsWith('.ts')) return null;
      const result = await transform(await readFile(id, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        sourcemap: true,
        sourcefile: id,
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
      });
      return { code: result.code, map: result.map };
    },
  };
}
