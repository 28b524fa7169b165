/**
 * PlaybackArbiter: one audio output shared by every walkie-talkie room on the page. Live transmissions
 * play when the output is free; those that arrive while the user talks or while something else plays are
 * deferred, and their recordings (the voice messages) are played afterwards, in the order the
 * transmissions arrived. A transmission heard live from its start is not played again.
 *
 * Owns: the queue, the rule for what plays next, and which transmissions were heard.
 * Never: touches the DOM or creates audio elements (it drives the AudioSink it is given), fetches or
 * decrypts files itself (items carry a loader), or decides who holds a floor.
 * `sharedPlaybackArbiter()` is the module-level instance that arbitrates across rooms.
 */
import { setClampedTimeout } from '../time/system-clock.js';

export interface PlayingHandle {
  stop(): void;
}

export interface FilePlayback extends PlayingHandle {
  /** Settles when the file has played to its end, or was stopped, or failed. */
  readonly done: Promise<void>;
}

/** The one output. The elements layer implements it (for example with an audio element). */
export interface AudioSink {
  playStream(stream: MediaStream): PlayingHandle;
  playFile(file: Blob): FilePlayback;
}

export interface PlaybackEntry {
  readonly roomId: string;
  /** Names one transmission across rooms; the floor claim's key is a good one. */
  readonly key: string;
}

export interface NowPlaying extends PlaybackEntry {
  readonly kind: 'live' | 'recording';
}

export type Schedule = (callback: () => void, ms: number) => () => void;

export interface PlaybackArbiterOptions {
  /** How long a deferred live transmission waits for its recording before it is dropped. */
  readonly recordingWaitMs?: number;
  readonly schedule?: Schedule;
}

interface QueuedItem extends PlaybackEntry {
  load?: () => Promise<Blob>;
  cancelWait?: () => void;
}

interface Current extends NowPlaying {
  handle?: PlayingHandle;
  load?: () => Promise<Blob>;
  /** Bumped on every start so late callbacks of an older item do nothing. */
  readonly token: number;
}

const HEARD_MEMORY = 1000;
const id = (entry: PlaybackEntry) => `${entry.roomId}\u0000${entry.key}`;

export class PlaybackArbiter extends EventTarget {
  private readonly queue: QueuedItem[] = [];
  private readonly heard = new Set<string>();
  private readonly talkingRooms = new Set<string>();
  private playing?: Current;
  private token = 0;
  private readonly recordingWaitMs: number;
  private readonly schedule: Schedule;

  constructor(
    private sink: AudioSink,
    options: PlaybackArbiterOptions = {},
  ) {
    super();
    this.recordingWaitMs = options.recordingWaitMs ?? 30_000;
    this.schedule =
      options.schedule ??
      ((callback, ms) => {
        const timer = setClampedTimeout(callback, ms);
        return () => clearTimeout(timer);
      });
  }

  /** Replaces the output (the next item plays on the new one). */
  setSink(sink: AudioSink): void {
    this.sink = sink;
  }

  get current(): NowPlaying | undefined {
    const p = this.playing;
    return p ? { roomId: p.roomId, key: p.key, kind: p.kind } : undefined;
  }

  /** Transmissions waiting in one room (the count a room's view shows). */
  queuedFor(roomId: string): number {
    return this.queue.filter((item) => item.roomId === roomId).length;
  }

  get queued(): readonly PlaybackEntry[] {
    return this.queue.map(({ roomId, key }) => ({ roomId, key }));
  }

  /** A live transmission started. It plays now when nothing else is playing or waiting; else it is deferred. */
  offerLive(entry: PlaybackEntry, stream: MediaStream): 'playing' | 'deferred' {
    if (!this.busy && this.queue.length === 0) {
      const token = ++this.token;
      this.playing = { ...entry, kind: 'live', token, handle: this.sink.playStream(stream) };
      this.changed();
      return 'playing';
    }
    if (!this.queue.some((item) => id(item) === id(entry)) && this.playing?.key !== entry.key) {
      this.enqueue({ roomId: entry.roomId, key: entry.key });
    }
    return 'deferred';
  }

  /** A live transmission ended. If it played, it counts as heard and the next item starts. */
  endLive(entry: PlaybackEntry): void {
    const p = this.playing;
    if (!p || p.kind !== 'live' || id(p) !== id(entry)) return;
    p.handle?.stop();
    this.remember(entry);
    this.playing = undefined;
    this.changed();
    this.pump();
  }

  /** A transmission's recording arrived (its voice message). */
  offerRecording(entry: PlaybackEntry, load: () => Promise<Blob>): 'heard' | 'queued' | 'playing' {
    if (this.heard.has(id(entry)) || (this.playing && id(this.playing) === id(entry))) return 'heard';
    const waiting = this.queue.find((item) => id(item) === id(entry));
    if (waiting) {
      waiting.cancelWait?.();
      waiting.cancelWait = undefined;
      waiting.load = load;
    } else {
      this.queue.push({ roomId: entry.roomId, key: entry.key, load });
    }
    this.changed();
    this.pump();
    return this.playing && id(this.playing) === id(entry) ? 'playing' : 'queued';
  }

  /** While the user talks in any room, nothing plays: what was playing goes back to the front of the queue. */
  setTalking(roomId: string, talking: boolean): void {
    if (talking) {
      this.talkingRooms.add(roomId);
      const p = this.playing;
      if (p) {
        p.handle?.stop();
        this.playing = undefined;
        const item: QueuedItem = { roomId: p.roomId, key: p.key };
        if (p.load) item.load = p.load;
        this.queue.unshift(item);
        if (!item.load) this.waitForRecording(item);
      }
      this.changed();
    } else if (this.talkingRooms.delete(roomId)) {
      this.changed();
      this.pump();
    }
  }

  /** A room went away: drop what it queued and stop what it plays. */
  stopRoom(roomId: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i]!;
      if (item.roomId !== roomId) continue;
      item.cancelWait?.();
      this.queue.splice(i, 1);
    }
    this.talkingRooms.delete(roomId);
    if (this.playing?.roomId === roomId) {
      this.playing.handle?.stop();
      this.playing = undefined;
    }
    this.changed();
    this.pump();
  }

  private get busy(): boolean {
    return this.playing !== undefined || this.talkingRooms.size > 0;
  }

  private enqueue(item: QueuedItem): void {
    this.queue.push(item);
    this.waitForRecording(item);
    this.changed();
  }

  private waitForRecording(item: QueuedItem): void {
    item.cancelWait = this.schedule(() => {
      const at = this.queue.indexOf(item);
      if (at < 0 || item.load) return;
      this.queue.splice(at, 1);
      this.changed();
      this.pump();
    }, this.recordingWaitMs);
  }

  /** Starts the head of the queue when the output is free and the head's recording is there. */
  private pump(): void {
    if (this.busy) return;
    const head = this.queue[0];
    if (!head?.load) return;
    this.queue.shift();
    const { load } = head;
    const token = ++this.token;
    const current: Current = { roomId: head.roomId, key: head.key, kind: 'recording', token, load };
    this.playing = current;
    this.changed();
    const finish = () => {
      if (this.playing?.token !== token) return;
      this.playing = undefined;
      this.remember(head);
      this.changed();
      this.pump();
    };
    load().then(
      (blob) => {
        if (this.playing?.token !== token) return;
        const playback = this.sink.playFile(blob);
        current.handle = playback;
        playback.done.then(finish, finish);
      },
      finish, // an unreadable recording is skipped
    );
  }

  private remember(entry: PlaybackEntry): void {
    this.heard.add(id(entry));
    if (this.heard.size > HEARD_MEMORY) this.heard.delete(this.heard.values().next().value!);
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

let shared: PlaybackArbiter | undefined;

/**
 * The page's one arbiter. The first caller's sink is used; later callers share it (a sink passed later
 * replaces the output only when `replaceSink` is true).
 */
export function sharedPlaybackArbiter(sink: AudioSink, replaceSink = false): PlaybackArbiter {
  if (!shared) shared = new PlaybackArbiter(sink);
  else if (replaceSink) shared.setSink(sink);
  return shared;
}
