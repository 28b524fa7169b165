/**
 * Several WalkieTalkie engines in one page, each over its own MemoryTransport on one TestHomeserver (a
 * labelled test double of a homeserver), with the test browser's fake microphone.
 *
 * Also two labelled test doubles: RecordingSink (an audio output that notes what it was asked to play and
 * "plays" a file in one task) and LoopbackFastPath (a fast path between engines of this page: frames go to
 * every linked device in a task, and live audio is handed over as the talker's real track).
 *
 * Owns: building the room and the engines, waiting, and tidying up. Never: reaches inside an engine except
 * through its public surface.
 */
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import type { DeviceRef } from '../../../src/ptt/floor-control.js';
import type { LiveAudioPath } from '../../../src/ptt/live-audio-path.js';
import {
  PlaybackArbiter,
  type AudioSink,
  type FilePlayback,
  type PlayingHandle,
} from '../../../src/ptt/playback-queue.js';
import { WalkieTalkie, type PttClock, type WalkieTalkieOptions } from '../../../src/ptt/walkie-talkie.js';
import type { CallKind } from '../../../src/snapshot.js';
import type { RawRoomEvent } from '../../../src/transport/transport.js';
import { waitFor } from '../../support/webrtc.js';

export const ALICE = '@alice:test.invalid';
export const BOB = '@bob:test.invalid';
export const CAROL = '@carol:test.invalid';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Test double of the page's audio output: records what it was asked to play. */
export class RecordingSink implements AudioSink {
  readonly files: Blob[] = [];
  readonly streams: MediaStream[] = [];

  playStream(stream: MediaStream): PlayingHandle {
    this.streams.push(stream);
    return { stop: () => undefined };
  }

  playFile(file: Blob): FilePlayback {
    this.files.push(file);
    return { done: sleep(0).then(() => undefined), stop: () => undefined };
  }
}

/** The fake microphone, keeping every stream it handed out so tests can see when it was opened and closed. */
export class TrackedMicrophone {
  readonly streams: MediaStream[] = [];

  getUserMedia = async (kind: CallKind): Promise<MediaStream> => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: kind === 'video' });
    this.streams.push(stream);
    return stream;
  };

  get openTracks(): number {
    return this.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
  }
}

interface Link {
  readonly device: DeviceRef;
  readonly frameListeners: Set<(frame: unknown, from: DeviceRef) => void>;
  readonly audioListeners: Set<(from: DeviceRef, stream: MediaStream | undefined) => void>;
  connected: boolean;
  sendingTo: DeviceRef[];
}

const same = (a: DeviceRef, b: DeviceRef) => a.userId === b.userId && a.deviceId === b.deviceId;

/** Test double of a call's fast path between the engines of this page. */
export class LoopbackFastPath {
  private readonly links: Link[] = [];
  /** Every startSending call: who sent, to whom. */
  readonly sends: { from: DeviceRef; to: DeviceRef[] }[] = [];

  link(device: DeviceRef): LiveAudioPath & { disconnect(): void; readonly sendingTo: DeviceRef[] } {
    const link: Link = {
      device,
      frameListeners: new Set(),
      audioListeners: new Set(),
      connected: true,
      sendingTo: [],
    };
    this.links.push(link);
    const others = () => this.links.filter((l) => l !== link && l.connected);
    const stopTo = (targets: DeviceRef[]) => {
      for (const other of others()) {
        if (!targets.some((t) => same(t, other.device))) continue;
        setTimeout(() => other.audioListeners.forEach((l) => l(device, undefined)), 0);
      }
    };
    return {
      get sendingTo() {
        return link.sendingTo;
      },
      sendFloorFrame: (frame) => {
        if (!link.connected) return;
        for (const other of others()) {
          setTimeout(() => {
            if (link.connected && other.connected) other.frameListeners.forEach((l) => l(frame, device));
          }, 0);
        }
      },
      onFloorFrame: (listener) => {
        link.frameListeners.add(listener);
        return () => link.frameListeners.delete(listener);
      },
      startSending: (track, to) => {
        if (!link.connected) return;
        this.sends.push({ from: device, to: [...to] });
        stopTo(link.sendingTo.filter((d) => !to.some((t) => same(t, d))));
        const fresh = to.filter((d) => !link.sendingTo.some((s) => same(s, d)));
        link.sendingTo = [...to];
        for (const other of others()) {
          if (!fresh.some((t) => same(t, other.device))) continue;
          const stream = new MediaStream([track]);
          setTimeout(() => other.audioListeners.forEach((l) => l(device, stream)), 0);
        }
      },
      stopSending: () => {
        stopTo(link.sendingTo);
        link.sendingTo = [];
      },
      onLiveAudio: (listener) => {
        link.audioListeners.add(listener);
        return () => link.audioListeners.delete(listener);
      },
      disconnect: () => {
        link.connected = false;
      },
    };
  }
}

export interface Device {
  readonly engine: WalkieTalkie;
  readonly transport: MemoryTransport;
  readonly microphone: TrackedMicrophone;
  readonly sink: RecordingSink;
  readonly playback: PlaybackArbiter;
  readonly fastPath?: ReturnType<LoopbackFastPath['link']>;
}

export interface DeviceOptions {
  readonly clock?: PttClock;
  readonly fastPath?: LoopbackFastPath;
  readonly engine?: Partial<Omit<WalkieTalkieOptions, 'transport'>>;
}

export class PttRoom {
  readonly homeserver = new TestHomeserver({ delivery: 'task' });
  readonly roomId: string;
  private readonly devices: Device[] = [];

  constructor(options: { encrypted?: boolean } = {}) {
    this.roomId = this.homeserver.createRoom({
      creator: ALICE,
      members: [BOB, CAROL],
      joinRule: 'invite',
      encrypted: options.encrypted ?? false,
    });
  }

  async device(userId: string, deviceId: string, options: DeviceOptions = {}): Promise<Device> {
    const transport = new MemoryTransport(this.homeserver, { userId, deviceId, roomId: this.roomId });
    const microphone = new TrackedMicrophone();
    const sink = new RecordingSink();
    const playback = new PlaybackArbiter(sink);
    const fastPath = options.fastPath?.link({ userId, deviceId });
    const engine = new WalkieTalkie({
      transport,
      media: microphone,
      playback,
      download: async (uri) => {
        const blob = this.homeserver.download(uri);
        if (!blob) throw new Error(`no such upload: ${uri}`);
        return blob;
      },
      ...(options.clock ? { clock: options.clock } : {}),
      ...(fastPath ? { livePath: fastPath } : {}),
      ...options.engine,
    });
    await transport.start(engine.walkieTalkieNeeds());
    await engine.start();
    const device: Device = {
      engine,
      transport,
      microphone,
      sink,
      playback,
      ...(fastPath ? { fastPath } : {}),
    };
    this.devices.push(device);
    return device;
  }

  /** Room events of a type as stored by the server, oldest first. */
  sent(type: string, sender?: string): RawRoomEvent[] {
    return this.homeserver
      .timeline(this.roomId)
      .filter((e) => e.type === type && (sender === undefined || e.sender === sender));
  }

  dispose(): void {
    for (const { engine, transport, microphone } of this.devices) {
      engine.close();
      transport.close();
      microphone.streams.forEach((s) => s.getTracks().forEach((t) => t.stop()));
    }
  }
}

/** Every device has seen every other one opt in. */
export async function everyoneOptedIn(devices: readonly Device[]): Promise<void> {
  await Promise.all(devices.map((d) => d.engine.setOptIn(true)));
  await waitFor(
    () => devices.every((d) => d.engine.listeners.length === devices.length - 1 && d.engine.view.optedIn),
    'every device to see the others opt in',
  );
}

export const talkerOf = (d: Device) => {
  const t = d.engine.floorSnapshot.talker;
  return t ? `${t.userId}|${t.deviceId}` : 'none';
};

export { waitFor };
