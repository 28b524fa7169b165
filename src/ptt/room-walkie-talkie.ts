/**
 * RoomWalkieTalkie: the room's walkie-talkie as the CallController runs it. It builds the WalkieTalkie
 * engine and, when the room's group call runs on the mesh, its fast path (a MeshLiveAudioPath over that
 * mesh), and keeps the mesh join in step with the opt-in: opted in, this device is in the room's mesh
 * call (listen-only when the user has not joined it with media); opted out, a listen-only join is left.
 *
 * Owns: the engine, its mesh path, and that join. Publishes the engine's `change` events.
 * Never: decides what the room's group call is (GroupCallSession does; this follows it), touches 1:1
 * calls, or throws from an action other than start().
 */
import type { CallClock } from '../call/peer-call-contract.js';
import type { GroupCallSession } from '../group/group-call-session.js';
import { MeshGroupCall } from '../group/mesh/mesh-group-call.js';
import type { PersonView, PttView } from '../snapshot.js';
import type { MatrixTransport } from '../transport/transport.js';
import { MeshLiveAudioPath } from './mesh-live-audio-path.js';
import { WalkieTalkie, type WalkieTalkieOptions } from './walkie-talkie.js';

export interface RoomWalkieTalkieOptions {
  readonly transport: MatrixTransport;
  readonly media: NonNullable<WalkieTalkieOptions['media']>;
  readonly clock: CallClock;
  readonly describe: (userId: string) => PersonView;
  /** The room's group call, whose mesh carries live audio; undefined when group calls are off. */
  readonly group: GroupCallSession | undefined;
  /** The group call cannot run on the mesh (the SFU was chosen): no mesh path. */
  readonly sfuOnly: boolean;
  /** Engine options from the page (pre-warm, timings, playback, a live path of its own). */
  readonly engine?: Pick<WalkieTalkieOptions, 'prewarm' | 'timings' | 'playback' | 'livePath'>;
  readonly log: (message: string) => void;
}

export class RoomWalkieTalkie extends EventTarget {
  readonly engine: WalkieTalkie;
  private readonly meshPath: MeshLiveAudioPath | undefined;
  private readonly cleanups: (() => void)[] = [];
  /** A join with media is under way: the listen-only join waits. */
  private joinHeld = false;
  /** The listen-only join failed: not retried until the next opt-in. */
  private joinFailed = false;
  private closed = false;

  constructor(private readonly options: RoomWalkieTalkieOptions) {
    super();
    const group = options.group;
    if (!options.engine?.livePath && group && !options.sfuOnly) {
      const path = new MeshLiveAudioPath(this.roomMesh());
      this.meshPath = path;
      // The backend may be re-chosen while this device is not in the call.
      const follow = () => {
        path.attach(this.roomMesh());
        void this.syncJoin();
      };
      group.addEventListener('change', follow);
      this.cleanups.push(() => group.removeEventListener('change', follow));
    }
    this.engine = new WalkieTalkie({
      ...options.engine,
      ...(this.meshPath ? { livePath: this.meshPath } : {}),
      transport: options.transport,
      media: options.media,
      clock: options.clock,
      describe: options.describe,
    });
    const onChange = () => {
      if (this.closed) return;
      this.dispatchEvent(new Event('change'));
      void this.syncJoin();
    };
    this.engine.addEventListener('change', onChange);
    this.cleanups.push(() => this.engine.removeEventListener('change', onChange));
  }

  get view(): PttView {
    return this.engine.view;
  }

  /** Starts listening for opt-ins and floor events; rejects when the engine cannot start. */
  async start(): Promise<void> {
    await this.engine.start();
    void this.syncJoin();
  }

  async setOptIn(on: boolean): Promise<void> {
    this.joinFailed = false;
    await this.engine.setOptIn(on);
    await this.syncJoin();
  }

  press(): void {
    this.engine.press();
  }

  release(): void {
    this.engine.release();
  }

  /** Runs a join of the group call with media: a listen-only join gives way to it, and comes back after. */
  async whileJoiningWithMedia(join: () => Promise<void>): Promise<void> {
    this.joinHeld = true;
    try {
      const mesh = this.roomMesh();
      if (mesh?.listeningOnly) await mesh.leave();
      await join();
    } finally {
      this.joinHeld = false;
      void this.syncJoin();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.engine.close();
    this.meshPath?.close();
  }

  /** The room's group call when it runs on the mesh. */
  private roomMesh(): MeshGroupCall | undefined {
    const backend = this.options.group?.backend;
    return backend instanceof MeshGroupCall ? backend : undefined;
  }

  /** Keeps the mesh join in step with the opt-in. Idempotent. */
  private async syncJoin(): Promise<void> {
    const mesh = this.meshPath ? this.roomMesh() : undefined;
    if (!mesh || this.closed || this.joinHeld) return;
    if (this.engine.view.optedIn) {
      mesh.enableFloorChannels();
      if (mesh.view.state !== 'idle' || this.joinFailed) return;
      try {
        await mesh.join('voice', { listenOnly: true });
      } catch (error) {
        this.joinFailed = true;
        this.options.log(`the walkie-talkie could not join the room's call: ${String(error)}`);
      }
    } else if (mesh.listeningOnly) {
      try {
        await mesh.leave();
      } catch (error) {
        this.options.log(`the walkie-talkie could not leave the room's call: ${String(error)}`);
      }
    }
  }
}
