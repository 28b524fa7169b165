// Starts and stops a throwaway redis-server on loopback, which several livekit-server nodes share so
// that one room spans them (scripts/sfu/rig.mjs). No persistence, no config file of its own.
//
// Owns: that process. Never: installs Redis (.ci/run does, from Debian's redis-server package).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freeTcpPort } from './livekit-node.mjs';

export function redisBinary() {
  return process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server';
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(String(data).startsWith('+PONG'));
    });
  });
}

export async function startRedis() {
  const bin = redisBinary();
  if (!existsSync(bin)) {
    throw new Error(
      `redis-server is not installed (looked for ${bin}); the multi-node SFU test needs it: ` +
        'apt-get install -y redis-server (.ci/run does this).',
    );
  }
  const port = await freeTcpPort();
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on 127.0.0.1:${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
