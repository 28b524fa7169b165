// `npm start`: builds the drop-in bundle, then serves the repository (TypeScript compiled on the fly)
// with `/` going to the demo, and prints the URL. Port: $PORT, else 8000 (or the next free one).
import { execFileSync } from 'node:child_process';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { devServerMiddleware } from './dev-middleware.mjs';

console.log('Building the drop-in bundle...');
execFileSync('npx', ['rollup', '-c', '--environment', 'ONLY:bundle'], { stdio: 'inherit' });

const commonjs = fromRollup(rollupCommonjs);
const port = Number(process.env.PORT ?? 8000);
const server = await startDevServer({
  config: {
    rootDir: '.',
    port,
    hostname: 'localhost',
    nodeResolve: { exportConditions: ['browser', 'development'] },
    middleware: devServerMiddleware,
    plugins: [
      esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
      commonjs({ include: ['**/node_modules/sdp/**'], strictRequires: false }),
    ],
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const address = server.server?.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
console.log(`\nThe demo is at http://localhost:${actualPort}/  (widget page: http://localhost:${actualPort}/demo/widget.html)`);
console.log('Press Ctrl+C to stop.');
