/**
 * The browser's door to the SFU test rig (scripts/sfu/sfu-rig-plugin.mjs): real livekit-server nodes on
 * loopback with a JWT service TEST DOUBLE in front of each, started on demand by layout.
 *
 * Owns: the server command and its plain errors. Never: fakes a server.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export interface Deployment {
  readonly name: string;
  /** The JWT service double's base URL (the focus's livekit_service_url). */
  readonly serviceUrl: string;
  /** The LiveKit node's websocket URL. */
  readonly livekitUrl: string;
}

export interface RigLayout {
  readonly layout: string;
  /** The homeserver double's OpenID userinfo endpoint, which the services ask. */
  readonly userinfoUrl: string;
  readonly deployments: readonly Deployment[];
}

type Answer<T> = { ok: true; value?: T } | { ok: false; error: string };

async function command<T>(payload: object): Promise<T | undefined> {
  const answer = await executeServerCommand<Answer<T>, object>('sfu-rig', payload);
  if (!answer) throw new Error('the SFU rig plugin is not loaded (web-test-runner.config.mjs)');
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

/** Starts the layout (once; 'own' once per tag) and describes it. Fails plainly without livekit-server. */
export async function rigUp(
  layout: 'single' | 'own' | 'multi-sfu' | 'cluster',
  tag?: string,
): Promise<RigLayout> {
  return (await command<RigLayout>({ action: 'up', layout, tag }))!;
}

export async function rigDown(layout: 'own' | 'multi-sfu' | 'cluster', tag?: string): Promise<void> {
  await command({ action: 'down', layout, tag });
}

/** Stops a LiveKit node (SIGTERM) while clients are connected. */
export async function stopNode(name: string): Promise<void> {
  await command({ action: 'stop-node', name });
}

/** Stops a deployment's JWT service (its port then refuses connections). */
export async function stopService(name: string): Promise<void> {
  await command({ action: 'stop-service', name });
}
