/**
 * RoomWalkieTalkie: the room's walkie-talkie as the CallController runs it. It builds the WalkieTalkie
 * engine with its fast path over the room's group call (a RoomLivePath: over the mesh, or over the SFU
 * call, following re-choices of the backend and a lazy backend's code arriving), and keeps a listen-only
 * join of that call in step with the opt-in (ListenOnlyJoin).
 *
 * Owns: the engine, its path, and the join keeper. Publishes the engine's `change` events.
 * Never: decides what the room's group call is (GroupCallSession does; this follows it), imports the
 * SFU backend's code, touches 1:1 calls, or throws from an action other than start().
 */
import type { CallClock } from '../call/peer-call-contract.js';
import type { GroupCallSession } from '../group/session/group-call-session.js';
import type { PersonView, PttView } from '../snapshot.js';
import type { MatrixTransport } from '../transport/transport.js';
import { ListenOnlyJoin } from './listen-only-join.js';
import { RoomLivePath } from './room-live-path.js';
import { WalkieTalkie, type WalkieTalkieOptions } from './walkie-talkie.js';

export interface RoomWalkieTalkieOptions {
  readonly transport: MatrixTransport;
  readonly media: NonNullable<WalkieTalkieOptions['media']>;
  readonly clock: CallClock;
  readonly describe: (userId: string) => PersonView;
  /** The room's group call, whose mesh or SFU carries live audio; undefined when group calls are off. */
  readonly group: GroupCallSession | undefined;
  /** Engine options from the page (pre-warm, timings, playback, a live path of its own). */
  readonly engine?: Pick<WalkieTalkieOptions, 'prewarm' | 'timings' | 'playback' | 'livePath'>;
  readonly log: (message: string) => void;
}

export class RoomWalkieTalkie extends EventTarget {
  readonly engine: WalkieTalkie;
  /** The fast path over the room's call; undefined without group calls or when the page gave its own. */
  readonly livePath: RoomLivePath | undefined;
  private readonly join: ListenOnlyJoin | undefined;
  private readonly cleanups: (() => void)[] = [];
  private closed = false;

  constructor(options: RoomWalkieTalkieOptions) {
    super();
    const group = options.group;
    if (!options.engine?.livePath && group) {
      const path = new RoomLivePath();
      path.follow(group.backend);
      this.livePath = path;
      this.join = new ListenOnlyJoin({ backend: () => group.backend, log: options.log });
      // The backend may be re-chosen while this device is not in the call, or its code may arrive.
      const follow = () => {
        path.follow(group.backend);
        this.syncJoin();
      };
      group.addEventListener('change', follow);
      this.cleanups.push(() => group.removeEventListener('change', follow));
    }
    this.engine = new WalkieTalkie({
      ...options.engine,
      ...(this.livePath ? { livePath: this.livePath } : {}),
      transport: options.transport,
      media: options.media,
      clock: options.clock,
      describe: options.describe,
    });
    const onChange = () => {
      if (this.closed) return;
      this.dispatchEvent(new Event('change'));
      this.syncJoin();
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
    this.syncJoin();
  }

  async setOptIn(on: boolean): Promise<void> {
    this.join?.retry();
    await this.engine.setOptIn(on);
    if (!this.closed) await this.join?.sync(this.engine.view.optedIn);
  }

  press(): void {
    this.engine.press();
  }

  release(): void {
    this.engine.release();
  }

  play(id: string): void {
    this.engine.play(id);
  }

  pause(): void {
    this.engine.pause();
  }

  /** Runs a join of the group call with media: a listen-only join gives way to it, and comes back after. */
  async whileJoiningWithMedia(join: () => Promise<void>): Promise<void> {
    if (!this.join) return join();
    try {
      await this.join.whileJoiningWithMedia(join);
    } finally {
      this.syncJoin();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.engine.close();
    this.livePath?.close();
  }

  private syncJoin(): void {
    if (!this.closed) void this.join?.sync(this.engine.view.optedIn);
  }
}
