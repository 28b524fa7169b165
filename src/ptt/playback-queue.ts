/**
 * PlaybackArbiter: one audio output shared by every walkie-talkie room on the page. Live transmissions
 * play when the output is free; those that arrive while the user talks or while something else plays are
 * deferred, and their recordings (the voice messages) are played afterwards, in the order the
 * transmissions arrived. A transmission heard live from its start is not played again.
 *
 * The user may also pick one recording (`play`): it starts at once, and what it interrupts goes back to the
 * front of the queue unless it had been heard already. `pause` holds the recording that plays where it is
 * (from the start again when the output cannot hold a position) and starts nothing queued until the user
 * plays something; live audio still plays when nothing waits.
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
  /** Holds the file where it is (an output without it is stopped instead, and resumes from the start). */
  pause?(): void;
  resume?(): void;
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

/** Where one transmission stands here: heard means played to its end (live or recorded) on this page. */
export type EntryState = 'playing' | 'paused' | 'queued' | 'heard' | 'none';

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
  handle?: PlayingHandle | FilePlayback;
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
  /** The recording the user paused; nothing queued starts while it is held. */
  private pausedItem?: Current;
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

  get paused(): PlaybackEntry | undefined {
    const p = this.pausedItem;
    return p ? { roomId: p.roomId, key: p.key } : undefined;
  }

  stateOf(entry: PlaybackEntry): EntryState {
    const key = id(entry);
    if (this.playing && id(this.playing) === key) return 'playing';
    if (this.pausedItem && id(this.pausedItem) === key) return 'paused';
    if (this.queue.some((item) => id(item) === key)) return 'queued';
    return this.heard.has(key) ? 'heard' : 'none';
  }

  /**
   * The user picked this recording: it plays now (a paused one goes on where it was). What it interrupts
   * goes back to the front of the queue unless it was heard already; while the user talks it waits at the
   * front of the queue instead.
   */
  play(entry: PlaybackEntry, load: () => Promise<Blob>): void {
    const paused = this.pausedItem;
    this.pausedItem = undefined;
    if (paused && id(paused) === id(entry) && !this.busy) {
      const handle = paused.handle as FilePlayback | undefined;
      if (handle?.resume) {
        this.playing = paused;
        handle.resume();
        this.changed();
        return;
      }
    }
    if (paused) paused.handle?.stop();
    const at = this.queue.findIndex((item) => id(item) === id(entry));
    if (at >= 0) this.queue.splice(at, 1)[0]!.cancelWait?.();
    const p = this.playing;
    if (p) {
      p.handle?.stop();
      this.playing = undefined;
      if (!this.heard.has(id(p)) && id(p) !== id(entry)) this.requeueFront(p);
    }
    this.queue.unshift({ roomId: entry.roomId, key: entry.key, load });
    this.changed();
    this.pump();
  }

  /** Holds the recording that plays in this room (live audio is not paused). */
  pause(roomId: string): void {
    const p = this.playing;
    if (!p || p.kind !== 'recording' || p.roomId !== roomId) return;
    this.playing = undefined;
    const handle = p.handle as FilePlayback | undefined;
    if (handle?.pause) {
      handle.pause();
      this.pausedItem = p;
    } else {
      // Stopped: a fresh token, so the stopped file's end does not count as heard; it restarts on play.
      this.pausedItem = {
        roomId: p.roomId,
        key: p.key,
        kind: p.kind,
        token: ++this.token,
        ...(p.load ? { load: p.load } : {}),
      };
      handle?.stop();
    }
    this.changed();
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
        this.requeueFront(p);
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
    if (this.pausedItem?.roomId === roomId) {
      this.pausedItem.handle?.stop();
      this.pausedItem = undefined;
    }
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

  /** An interrupted item waits at the front (a live one for its recording). */
  private requeueFront(p: Current): void {
    const item: QueuedItem = { roomId: p.roomId, key: p.key };
    if (p.load) item.load = p.load;
    this.queue.unshift(item);
    if (!item.load) this.waitForRecording(item);
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
    if (this.busy || this.pausedItem) return;
    const head = this.queue[0];
    if (!head?.load) return;
    this.queue.shift();
    const { load } = head;
    const token = ++this.token;
    const current: Current = { roomId: head.roomId, key: head.key, kind: 'recording', token, load };
    this.playing = current;
    this.changed();
    const finish = () => {
      if (this.pausedItem?.token === token) {
        // A held file that ends anyway (the output gave up) is over.
        this.pausedItem = undefined;
        this.remember(head);
        this.changed();
        return;
      }
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
