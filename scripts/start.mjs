// `npm start`: builds the drop-in bundle, then serves the repository (TypeScript compiled on the fly)
// with `/` going to the demo, and prints the URL. Port: $PORT, else 8000 (or the next free one).
import { execFileSync } from 'node:child_process';
import { startDevServer } from '@web/dev-server';
import { devServerMiddleware } from './dev-middleware.mjs';
import { kitDevServerPlugins } from './dev-server-plugins.mjs';

console.log('Building the drop-in bundle...');
execFileSync('npx', ['rollup', '-c', '--environment', 'ONLY:bundle'], { stdio: 'inherit' });

const port = Number(process.env.PORT ?? 8000);
const server = await startDevServer({
  config: {
    rootDir: '.',
    port,
    hostname: 'localhost',
    nodeResolve: { exportConditions: ['browser', 'development'] },
    middleware: devServerMiddleware,
    plugins: kitDevServerPlugins(),
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const address = server.server?.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
console.log(`\nThe demo is at http://localhost:${actualPort}/  (widget page: http://localhost:${actualPort}/demo/widget.html)`);
console.log('Press Ctrl+C to stop.');
