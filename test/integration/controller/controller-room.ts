/**
 * Two (or more) CallControllers in one page, each over its own MemoryTransport on one TestHomeserver
 * (a labelled test double of a homeserver), with real WebRTC and the test browser's fake media.
 *
 * Owns: building the room and the controllers, waiting on snapshots, and tidying up.
 * Never: reaches inside a controller except through its snapshot, its actions and peerCall() for stats.
 */
import { CallController, type CallControllerOptions } from '../../../src/controller.js';
import type { CallView } from '../../../src/snapshot.js';
import type { Need, RawRoomEvent } from '../../../src/transport/transport.js';
import { TestHomeserver, type HomeserverOptions, type JoinRule } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { inboundBytes, waitFor } from '../../support/webrtc.js';

export const ALICE = '@alice:test.invalid';
export const BOB = '@bob:test.invalid';
export const CAROL = '@carol:test.invalid';

/** A MemoryTransport whose incoming room events can be held back (to let two invites cross). */
export class GatedTransport extends MemoryTransport {
  private held: (() => void)[] | undefined;

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const deliver of held) deliver();
  }

  override onRoomEvent(listener: (event: RawRoomEvent) => void) {
    return super.onRoomEvent((event) => {
      if (this.held) this.held.push(() => listener(event));
      else listener(event);
    });
  }
}

export interface Side {
  readonly controller: CallController;
  readonly transport: GatedTransport;
  readonly media: RecordingMediaSource;
}

export interface SideOptions {
  readonly deny?: readonly Need[];
  readonly start?: boolean;
  readonly media?: RecordingMediaSource;
  readonly controller?: Partial<Omit<CallControllerOptions, 'transport'>>;
}

export class ControllerRoom {
  readonly homeserver: TestHomeserver;
  readonly roomId: string;
  private readonly sides: Side[] = [];

  constructor(
    options: {
      members?: readonly string[];
      joinRule?: JoinRule;
      homeserver?: HomeserverOptions;
    } = {},
  ) {
    this.homeserver = new TestHomeserver({ delivery: 'task', ...options.homeserver });
    this.roomId = this.homeserver.createRoom({
      creator: ALICE,
      members: options.members ?? [BOB],
      joinRule: options.joinRule ?? 'invite',
    });
  }

  async side(userId: string, deviceId: string, options: SideOptions = {}): Promise<Side> {
    const transport = new GatedTransport(this.homeserver, {
      userId,
      deviceId,
      roomId: this.roomId,
      ...(options.deny ? { deny: options.deny } : {}),
    });
    const media = options.media ?? new RecordingMediaSource();
    const controller = CallController.create({ transport, media, ...options.controller });
    const side = { controller, transport, media };
    this.sides.push(side);
    if (options.start ?? true) await controller.start();
    return side;
  }

  /** Room events of a type as stored by the server, oldest first. */
  sent(type: string, sender?: string): RawRoomEvent[] {
    return this.homeserver
      .timeline(this.roomId)
      .filter((e) => e.type === type && (sender === undefined || e.sender === sender));
  }

  dispose(): void {
    for (const { controller, transport } of this.sides) {
      controller.close();
      transport.close();
    }
  }
}

export function callsOf(side: Side): readonly CallView[] {
  return side.controller.snapshot.calls;
}

export function findCall(side: Side, predicate: (call: CallView) => boolean): CallView | undefined {
  return side.controller.snapshot.calls.find(predicate);
}

/** Waits until a call matching `predicate` is in the snapshot, and returns it. */
export async function waitForCall(
  side: Side,
  predicate: (call: CallView) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<CallView> {
  await waitFor(() => findCall(side, predicate) !== undefined, what, timeoutMs);
  return findCall(side, predicate)!;
}

export const ringing = (call: CallView) => call.direction === 'incoming' && call.state === 'ringing';
export const connected = (call: CallView) => call.state === 'connected';

/** Waits for received media on the call's connection to grow (bytes really flow). */
export async function waitForMediaBytes(side: Side, callId: string, what: string): Promise<number> {
  const pc = side.controller.peerCall(callId)?.peerConnection;
  if (!pc) throw new Error(`no connection for ${callId}`);
  let bytes = 0;
  const deadline = Date.now() + 10_000;
  while (bytes === 0 || bytes < 2_000) {
    if (Date.now() > deadline) throw new Error(`no media bytes arrived: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    bytes = await inboundBytes(pc);
  }
  return bytes;
}

/** Places a call from `caller` and answers it on `callee`; resolves when both are connected. */
export async function connectCall(
  caller: Side,
  callee: Side,
  kind: 'voice' | 'video' = 'video',
): Promise<string> {
  await caller.controller.placeCall(kind);
  const incoming = await waitForCall(callee, ringing, 'the callee to ring');
  await callee.controller.answer(incoming.id);
  await waitForCall(caller, (c) => c.id === incoming.id && connected(c), 'the caller to connect');
  await waitForCall(callee, (c) => c.id === incoming.id && connected(c), 'the callee to connect');
  return incoming.id;
}
