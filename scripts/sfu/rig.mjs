// The SFU test rig: real livekit-server nodes on loopback, the JWT service double in front of each,
// the homeserver double's OpenID userinfo endpoint, and Redis when nodes share rooms. Started on demand,
// by layout, and stopped with stopAll().
//
// Layouts (`up(layout, tag)`):
//   single      one node and its service, shared by every test that asks (started once)
//   own         a node and service for one test only (`tag`), which the test may stop (fault tests)
//   multi-sfu   two independent deployments (own keys, own services): `east` and `west`
//   cluster     two nodes `n1`, `n2` sharing one Redis, with a service in front of each
//
// Owns: what runs, and stopping all of it. Never: builds livekit-server (ensure-livekit.sh).
import { randomBytes } from 'node:crypto';
import { livekitMissing, startLivekitNode } from './livekit-node.mjs';
import { startJwtService } from './jwt-service.mjs';
import { startOpenIdUserinfo } from './openid-userinfo.mjs';
import { startRedis } from './redis.mjs';

const key = () => ({
  apiKey: `key${randomBytes(4).toString('hex')}`,
  apiSecret: randomBytes(24).toString('hex'),
});

export function createSfuRig({ log = () => {} } = {}) {
  const nodes = new Map();
  const services = new Map();
  const layouts = new Map();
  const redises = [];
  let userinfo;
  let starting = Promise.resolve();

  async function ensureUserinfo() {
    userinfo ??= await startOpenIdUserinfo();
    return userinfo;
  }

  async function deployment(name, keys, redisAddress) {
    const node = await startLivekitNode({ name, ...keys, ...(redisAddress ? { redisAddress } : {}), log });
    nodes.set(name, node);
    const info = await ensureUserinfo();
    const service = await startJwtService({ name, livekit: node, userinfoBase: () => info.url });
    services.set(name, service);
    return { name, serviceUrl: service.url, livekitUrl: node.url };
  }

  async function build(layout, tag) {
    switch (layout) {
      case 'single':
        return { deployments: [await deployment('main', key())] };
      case 'own':
        return { deployments: [await deployment(`own-${tag}`, key())] };
      case 'multi-sfu':
        return { deployments: [await deployment('east', key()), await deployment('west', key())] };
      case 'cluster': {
        const redis = await startRedis();
        redises.push(redis);
        const shared = key();
        return {
          redis: redis.address,
          deployments: [
            await deployment('n1', shared, redis.address),
            await deployment('n2', shared, redis.address),
          ],
        };
      }
      default:
        throw new Error(`unknown SFU rig layout ${layout}`);
    }
  }

  async function stopDeployment(name) {
    await services.get(name)?.close();
    services.delete(name);
    await nodes.get(name)?.stop();
    nodes.delete(name);
  }

  return {
    missing: livekitMissing,
    /** Starts the layout once per (layout, tag); resolves with its description for the browser. */
    up(layout, tag = '') {
      const id = layout === 'own' ? `own-${tag}` : layout;
      if (!layouts.has(id)) {
        const built = (starting = starting
          .catch(() => {})
          .then(async () => {
            const missing = livekitMissing();
            if (missing) throw new Error(missing);
            const parts = await build(layout, tag);
            return { layout, userinfoUrl: (await ensureUserinfo()).url, ...parts };
          }));
        layouts.set(id, built);
        built.catch(() => layouts.delete(id));
      }
      return layouts.get(id);
    },
    async stopNode(name) {
      await nodes.get(name)?.stop();
    },
    async stopService(name) {
      await services.get(name)?.close();
      services.delete(name);
    },
    async down(layout, tag = '') {
      const id = layout === 'own' ? `own-${tag}` : layout;
      const built = await layouts.get(id)?.catch(() => undefined);
      layouts.delete(id);
      for (const d of built?.deployments ?? []) await stopDeployment(d.name);
    },
    /** Process ids of everything running (for the exit handler). */
    pids() {
      return [...nodes.values()].map((n) => n.pid).concat(redises.map((r) => r.pid));
    },
    async stopAll() {
      for (const name of [...nodes.keys()]) await stopDeployment(name);
      for (const redis of redises.splice(0)) await redis.stop();
      await userinfo?.close();
      userinfo = undefined;
      layouts.clear();
    },
  };
}
