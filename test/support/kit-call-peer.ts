/**
 * The kit's side of a 1:1 call in interop tests and benchmarks: a CallController over a
 * MemoryTransport (a simulated widget host) on the in-page homeserver TEST DOUBLE, with waits on its
 * snapshots and the media counters of its calls' peer connections.
 *
 * Owns: starting and closing one controller, waiting for a call view that matches, reading RTP bytes.
 * Never: drives a call past the controller's public actions, or reaches into signalling.
 */
import {
  CallController,
  type CallControllerOptions,
  type ControllerMediaSource,
} from '../../src/controller.js';
import { BrowserMediaSource } from '../../src/media/local-media.js';
import type { CallKind, CallView } from '../../src/snapshot.js';
import { MemoryTransport } from '../../demo/host/memory-transport.js';
import type { TestHomeserver } from '../../demo/host/homeserver.js';
import { mediaBytesOf, type MediaBytes } from './js-sdk-peer.js';

export interface KitCallPeerOptions {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly controller?: Omit<CallControllerOptions, 'transport'>;
}

export async function startKitCallPeer(
  homeserver: TestHomeserver,
  options: KitCallPeerOptions,
): Promise<KitCallPeer> {
  const transport = new MemoryTransport(homeserver, {
    userId: options.userId,
    deviceId: options.deviceId,
    roomId: options.roomId,
  });
  const controller = CallController.create({ ...options.controller, transport });
  await controller.start();
  if (controller.snapshot.status !== 'ready') {
    throw new Error(`kit controller did not start: ${JSON.stringify(controller.snapshot.error)}`);
  }
  return new KitCallPeer(controller, transport);
}

export class KitCallPeer {
  constructor(
    readonly controller: CallController,
    readonly transport: MemoryTransport,
  ) {}

  get calls(): readonly CallView[] {
    return this.controller.snapshot.calls;
  }

  /** The newest call the snapshot lists (live calls come first). */
  get call(): CallView | undefined {
    return this.calls[0];
  }

  view(callId: string): CallView | undefined {
    return this.calls.find((c) => c.id === callId);
  }

  /** Resolves with the first call view (now or after a `change`) that matches. */
  waitForCall(match: (call: CallView) => boolean, what: string, timeoutMs = 15000): Promise<CallView> {
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.controller.removeEventListener('change', onChange);
        reject(new Error(`kit ${this.transport.userId}: no call ${what}; calls: ${describe(this.calls)}`));
      }, timeoutMs);
      const onChange = () => {
        const call = this.calls.find(match);
        if (!call) return;
        clearTimeout(timer);
        this.controller.removeEventListener('change', onChange);
        resolve(call);
      };
      this.controller.addEventListener('change', onChange);
    });
  }

  waitForState(callId: string, state: CallView['state'], timeoutMs?: number): Promise<CallView> {
    return this.waitForCall((c) => c.id === callId && c.state === state, `${callId} ${state}`, timeoutMs);
  }

  peerConnection(callId: string): RTCPeerConnection | undefined {
    return this.controller.peerCall(callId)?.peerConnection;
  }

  async mediaBytes(callId: string): Promise<MediaBytes> {
    const pc = this.peerConnection(callId);
    return pc ? mediaBytesOf(pc) : { audioIn: 0, videoIn: 0, audioOut: 0, videoOut: 0 };
  }

  close(): void {
    this.controller.close();
    this.transport.close();
  }
}

function describe(calls: readonly CallView[]): string {
  return JSON.stringify(
    calls.map((c) => ({ id: c.id, state: c.state, direction: c.direction, kind: c.kind })),
  );
}

/**
 * The browser's camera and microphone made slow: each request waits for the gate set with `hold`
 * (none by default), then goes to the real devices. For ordering races such as glare.
 */
export class GatedMediaSource implements ControllerMediaSource {
  private gate: Promise<void> | undefined;
  private readonly inner = new BrowserMediaSource();

  hold(gate: Promise<void>): void {
    this.gate = gate;
  }

  async getUserMedia(kind: CallKind): Promise<MediaStream> {
    await this.gate;
    return this.inner.getUserMedia(kind);
  }

  getDisplayMedia(): Promise<MediaStream> {
    return this.inner.getDisplayMedia();
  }
}
