// Finds a free TCP port: `freePort(from, host)` tries `from`, then the ports after it, and resolves to
// the first one nothing listens on. Owns only that check; never keeps a port open.
import { createServer } from 'node:net';

function canListen(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.once('listening', () => probe.close(() => resolve(true)));
    probe.listen(port, host);
  });
}

/** `host` undefined checks every address, as a server listening on all of them needs. */
export async function freePort(from, host, tries = 50) {
  for (let port = from; port < Math.min(from + tries, 65536); port++) {
    if (await canListen(port, host)) return port;
  }
  throw new Error(`No free port in ${from}-${from + tries - 1}`);
}
