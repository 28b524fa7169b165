/**
 * Alice and Bob (device D1 each) in a real mesh call on an in-page homeserver TEST DOUBLE, joined with
 * voice and connected: what the adversarial tests then attack. Real RTCPeerConnections, fake devices.
 *
 * Owns: setting the pair up and tearing it down. Never: asserts anything itself.
 */
import { expect } from '@open-wc/testing';
import type { TestHomeserver } from '../../demo/host/homeserver.js';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import { MembershipManager } from '../../src/group/membership-manager.js';
import { MeshGroupCall, meshNeeds, type LegSummary } from '../../src/group/mesh/index.js';
import { RecordingMediaSource } from '../support/recording-media-source.js';
import { until } from '../support/demo-page.js';

export interface MeshDevice {
  readonly call: MeshGroupCall;
  readonly transport: MemoryTransport;
  /** What the call logged, oldest first. */
  readonly log: string[];
}

export interface ConnectedMeshPair {
  readonly alice: MeshDevice;
  readonly bob: MeshDevice;
  /** Alice's leg to Bob, while there is one. */
  legToBob(): LegSummary | undefined;
  /** Whether Alice's leg to Bob is connected. */
  connected(): boolean;
  dispose(): void;
}

/** Starts both devices in `roomId` (both users already members), joins both, waits until connected. */
export async function connectedMeshPair(
  hs: TestHomeserver,
  roomId: string,
  users: { readonly alice: string; readonly bob: string },
): Promise<ConnectedMeshPair> {
  const devices: MeshDevice[] = [];
  const dispose = () => {
    for (const d of devices) {
      d.call.dispose();
      d.transport.close();
    }
  };
  try {
    for (const userId of [users.alice, users.bob]) {
      const transport = new MemoryTransport(hs, { userId, deviceId: 'D1', roomId });
      expect(await transport.start(meshNeeds(transport, {}))).to.deep.equal([]);
      const membership = new MembershipManager({ transport, backend: { type: 'mesh' } });
      const log: string[] = [];
      const call = new MeshGroupCall({
        transport,
        media: new RecordingMediaSource(),
        membership,
        log: (l) => log.push(l),
      });
      devices.push({ call, transport, log });
      await call.start();
    }
    const [alice, bob] = devices as [MeshDevice, MeshDevice];
    await alice.call.join('voice');
    await bob.call.join('voice');
    const legToBob = () => alice.call.legSummaries.find((l) => l.userId === users.bob);
    const connected = () => legToBob()?.peerConnection?.connectionState === 'connected';
    await until('Alice and Bob connected', connected);
    return { alice, bob, legToBob, connected, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
