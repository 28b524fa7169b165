// Dev-server plugins shared by the test runner, `npm start` and the benchmarks, so the three serve
// the kit the same way: matrix-widget-api as ES modules, TypeScript through esbuild, the CommonJS
// packages the browser meets (events for matrix-widget-api) converted, and,
// where asked, matrix-js-sdk as one pre-bundled module for interop tests and benchmarks.
// Never: decides ports, middleware or browsers; those belong to each caller.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { widgetApiEsm } from './widget-api-esm-plugin.mjs';
import { matrixJsSdkPlugin } from './matrix-js-sdk-plugin.mjs';

const commonjs = fromRollup(rollupCommonjs);

/** @param {{ matrixJsSdk?: boolean }} [options] */
export function kitDevServerPlugins(options = {}) {
  return [
    ...(options.matrixJsSdk ? [matrixJsSdkPlugin()] : []),
    widgetApiEsm(),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    commonjs({
      include: ['**/node_modules/events/**'],
      strictRequires: false,
    }),
  ];
}
