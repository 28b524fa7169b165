// A plain static file server, as a user's web server serves the kit's built files: each file as it is
// on disk with its MIME type, nothing compiled, nothing rewritten, no bare import resolved. `npm start`,
// the shipped-artefact tests and the bench serve the built widget with it, from an origin of its own.
//
// Owns: mapping URL prefixes to folders, MIME types, refusing paths that climb out of a folder, and
// finding a free port. Never: transforms a file, or serves anything outside the mounted folders.
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
};

/** The file a URL path names under `mounts` ({ '/prefix/': folder }), or undefined. */
function fileFor(mounts, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  for (const [prefix, folder] of Object.entries(mounts)) {
    if (!path.startsWith(prefix)) continue;
    const root = resolve(folder);
    let file = resolve(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      if (statSync(file).isFile()) return file;
    } catch {
      // not there: try the next mount
    }
  }
  return undefined;
}

/**
 * Starts serving `mounts` on `host`. `port` 0 picks any free port; with `tryNextPorts`, a taken port
 * moves on to the next one (up to that many times). Resolves to `{ origin, port, close() }`.
 */
export async function startStaticServer({ mounts, host = '127.0.0.1', port = 0, tryNextPorts = 0 }) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://static.invalid');
    const file = request.method === 'GET' || request.method === 'HEAD' ? fileFor(mounts, url.pathname) : undefined;
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  const chosen = await listenOnFreePort(server, host, port, tryNextPorts);
  return {
    origin: `http://${host}:${chosen}`,
    port: chosen,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** Listens on `port`, or the next free one up to `tries` further; resolves to the port in use. */
export function listenOnFreePort(server, host, port, tries = 0) {
  return new Promise((resolvePort, reject) => {
    const attempt = (candidate, left) => {
      const onError = (error) => {
        server.off('listening', onListening);
        if (error.code === 'EADDRINUSE' && left > 0) attempt(candidate + 1, left - 1);
        else reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolvePort(server.address().port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(candidate, host);
    };
    attempt(port, tries);
  });
}
