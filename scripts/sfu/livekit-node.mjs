// Starts and stops one livekit-server node on loopback for the SFU tests (scripts/sfu/rig.mjs).
// Loopback only: bound to 127.0.0.1, node_ip 127.0.0.1, loopback candidates on, no external IP lookup,
// STUN pointed at a dead loopback port so nothing leaves the machine, rooms not auto-created (the JWT
// service creates them, as element-hq/lk-jwt-service does). Free ports are picked for each node.
//
// Owns: the node's config file, its process and its readiness check. Never: builds the binary
// (ensure-livekit.sh) or runs anywhere but 127.0.0.1.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIVEKIT_VERSION = 'v1.13.5';
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the server binary is: LIVEKIT_SERVER_BIN, else .tools/livekit-<version>/server in the checkout. */
export function livekitBinary() {
  return process.env.LIVEKIT_SERVER_BIN || join(repo, '.tools', `livekit-${LIVEKIT_VERSION}`, 'server');
}

/** Undefined when the binary is there; else a plain sentence saying what is missing and how to fix it. */
export function livekitMissing() {
  const bin = livekitBinary();
  if (existsSync(bin)) return undefined;
  return (
    `livekit-server ${LIVEKIT_VERSION} is not built (looked for ${bin}), so the tests against a real ` +
    'LiveKit SFU cannot run. Build it with `scripts/sfu/ensure-livekit.sh` (needs Go 1.26; .ci/run does this).'
  );
}

export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

async function waitReady(httpUrl, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`livekit-server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${httpUrl}/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`livekit-server did not answer at ${httpUrl} within ${timeoutMs / 1000} s`);
}

/**
 * Starts a node. `redisAddress` joins it to others sharing that Redis (one room across nodes).
 * Resolves with { name, url (ws://), httpUrl, apiKey, apiSecret, stop() } once `GET /` answers.
 */
export async function startLivekitNode({ name, apiKey, apiSecret, redisAddress, log = () => {} }) {
  const missing = livekitMissing();
  if (missing) throw new Error(missing);
  const [port, tcpPort, udpPort, deadStun] = [
    await freeTcpPort(),
    await freeTcpPort(),
    await freeUdpPort(),
    await freeUdpPort(),
  ];
  const config = {
    port,
    bind_addresses: ['127.0.0.1'],
    rtc: {
      tcp_port: tcpPort,
      udp_port: udpPort,
      node_ip: '127.0.0.1',
      use_external_ip: false,
      enable_loopback_candidate: true,
      stun_servers: [`127.0.0.1:${deadStun}`],
    },
    room: { auto_create: false, empty_timeout: 60, departure_timeout: 10 },
    keys: { [apiKey]: apiSecret },
    logging: { level: process.env.LIVEKIT_LOG_LEVEL || 'warn' },
    ...(redisAddress ? { redis: { address: redisAddress } } : {}),
  };
  const dir = mkdtempSync(join(tmpdir(), `livekit-${name}-`));
  const configFile = join(dir, 'livekit.yaml');
  // JSON is YAML: the server reads it as its config file.
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const child = spawn(livekitBinary(), ['--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(String(chunk));
    if (output.length > 200) output.shift();
    log(`[livekit ${name}] ${String(chunk).trimEnd()}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const httpUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(forced);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(httpUrl, child, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output.join('')}`, { cause: error });
  }
  return {
    name,
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    apiKey,
    apiSecret,
    pid: child.pid,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    stop,
  };
}
