// web-test-runner plugin for the SFU tests (test/sfu/): starts the rig (scripts/sfu/rig.mjs) when a
// test asks for it through the server command `sfu-rig`, and stops everything when the runner stops.
// When the livekit-server binary is missing it says so at start, and every SFU test then fails with
// that sentence (nothing passes silently).
//
// From a test: `executeServerCommand('sfu-rig', { action: 'up', layout: 'single' })` ->
//   { layout, userinfoUrl, deployments: [{ name, serviceUrl, livekitUrl }] }
//   { action: 'stop-node' | 'stop-service', name }, { action: 'down', layout, tag }.
//
// Owns: the command and the rig's lifetime. Never: builds anything.
import { createSfuRig } from './rig.mjs';

export function sfuRigPlugin() {
  const rig = createSfuRig({ log: process.env.SFU_RIG_LOG ? (line) => console.log(line) : () => {} });
  const killAll = () => {
    for (const pid of rig.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  };
  return {
    name: 'sfu-rig',
    serverStart() {
      const missing = rig.missing();
      if (missing) console.warn(`\n*** SFU tests will fail: ${missing}\n`);
      process.once('exit', killAll);
    },
    async serverStop() {
      await rig.stopAll();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'sfu-rig') return undefined;
      const p = payload ?? {};
      try {
        switch (p.action) {
          case 'up':
            return { ok: true, value: await rig.up(p.layout ?? 'single', p.tag) };
          case 'stop-node':
            await rig.stopNode(p.name);
            return { ok: true };
          case 'stop-service':
            await rig.stopService(p.name);
            return { ok: true };
          case 'down':
            await rig.down(p.layout, p.tag);
            return { ok: true };
          default:
            return { ok: false, error: `unknown sfu-rig action ${p.action}` };
        }
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
