// `npm start`: builds the kit as it ships (the widget page and the drop-in bundle), serves the built
// files from a plain static server on an origin of their own, and serves the demo host page, whose
// widget iframes load that built widget cross-origin, as Element Web loads a widget. Prints the URL.
//
// Port: $PORT (default 8000) for the demo; when it is taken, the next free one, and it says so. The
// built files go on the next free port after it, on 127.0.0.1.
// `npm start -- --dev` serves the widget from the TypeScript sources instead (no build, compiled on
// the fly), for working on the kit itself.
import { execFileSync } from 'node:child_process';
import { startDevServer } from '@web/dev-server';
import { devServerMiddleware } from './dev-middleware.mjs';
import { kitDevServerPlugins } from './dev-server-plugins.mjs';
import { startStaticServer } from './static-server.mjs';
import { freePort } from './free-port.mjs';

const dev = process.argv.includes('--dev');
const wanted = Number(process.env.PORT ?? 8000);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`PORT must be a port number; it is "${process.env.PORT}".`);
  process.exit(1);
}

if (!dev) {
  console.log('Building the widget page and the drop-in bundle (npm start -- --dev skips this)...');
  execFileSync('npx', ['rollup', '-c', '--environment', 'ONLY:shipped'], { stdio: 'inherit' });
}

const port = await freePort(wanted);
if (port !== wanted) console.log(`Port ${wanted} is taken; using ${port} instead (set PORT to choose).`);

let widgetUrl = '/demo/widget.html';
if (!dev) {
  const builtPort = await freePort(port + 1, '127.0.0.1');
  const built = await startStaticServer({ mounts: { '/dist/': 'dist' }, port: builtPort });
  widgetUrl = `${built.origin}/dist/widget/index.html`;
}

await startDevServer({
  config: {
    rootDir: '.',
    port,
    hostname: 'localhost',
    nodeResolve: { exportConditions: ['browser', dev ? 'development' : 'production'] },
    middleware: [demoWithWidget(widgetUrl), ...devServerMiddleware],
    plugins: kitDevServerPlugins(),
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});

console.log(`\nThe demo is at http://localhost:${port}/`);
console.log(
  dev
    ? `Its widgets run the TypeScript sources (dev mode): http://localhost:${port}/demo/widget.html`
    : `Its widgets run the built widget page, served as a host would serve it: ${widgetUrl}`,
);
console.log('Press Ctrl+C to stop.');

/** `/` opens the demo with `?widget=` naming the widget page its iframes load. */
function demoWithWidget(url) {
  return function rootToDemo(context, next) {
    if (context.url === '/' || context.url === '/index.html') {
      context.redirect(`/demo/index.html?widget=${encodeURIComponent(url)}`);
      return undefined;
    }
    return next();
  };
}
