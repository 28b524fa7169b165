/**
 * Putting to-device messages back in order: to-device delivery is not ordered, so every leg event
 * carries a seq counting from 0 per call, and this buffer hands events on in seq order per stream
 * (one stream per sending device and call_id).
 *
 * Owns: the next expected seq per stream, the events held back while a gap is open, and one timer
 * per stream that gives up on a gap. A gap is skipped when its timer fires or when too many events
 * are held; events older than what was handed on (duplicates, or late after a skip) are dropped.
 * Never: parses, checks addresses or knows about calls: it orders opaque items.
 */
import type { CallClock } from '../../call/peer-call-contract.js';

export interface ReorderOptions<T> {
  readonly clock: CallClock;
  readonly deliver: (item: T) => void;
  /** How long a gap may stay open before the held events are handed on anyway. */
  readonly waitMs?: number;
  /** Held events per stream before a gap is given up at once. */
  readonly maxHeld?: number;
}

export type PushResult = 'delivered' | 'held' | 'dropped';

interface Stream<T> {
  next: number;
  readonly held: Map<number, T>;
  timer: unknown;
}

export const DEFAULT_REORDER_WAIT_MS = 1_000;
export const DEFAULT_REORDER_MAX_HELD = 32;

export class ReorderBuffer<T> {
  private readonly streams = new Map<string, Stream<T>>();
  private readonly waitMs: number;
  private readonly maxHeld: number;

  constructor(private readonly options: ReorderOptions<T>) {
    this.waitMs = options.waitMs ?? DEFAULT_REORDER_WAIT_MS;
    this.maxHeld = options.maxHeld ?? DEFAULT_REORDER_MAX_HELD;
  }

  /** Takes one event of `stream` with its seq; hands on what is now in order. */
  push(stream: string, seq: number, item: T): PushResult {
    let state = this.streams.get(stream);
    if (!state) {
      state = { next: 0, held: new Map(), timer: undefined };
      this.streams.set(stream, state);
    }
    if (seq < state.next || state.held.has(seq)) return 'dropped';
    if (seq > state.next) {
      state.held.set(seq, item);
      if (state.held.size > this.maxHeld) this.skipGap(state);
      else this.armTimer(stream, state);
      return state.held.has(seq) ? 'held' : 'delivered';
    }
    state.next = seq + 1;
    this.options.deliver(item);
    this.drainInOrder(state);
    if (state.held.size === 0) this.disarm(state);
    else this.armTimer(stream, state, true);
    return 'delivered';
  }

  /** Events held for a stream now. */
  heldCount(stream: string): number {
    return this.streams.get(stream)?.held.size ?? 0;
  }

  /** Forgets a stream (its call ended); held events are dropped. */
  forget(stream: string): void {
    const state = this.streams.get(stream);
    if (state) this.disarm(state);
    this.streams.delete(stream);
  }

  clear(): void {
    for (const state of this.streams.values()) this.disarm(state);
    this.streams.clear();
  }

  private drainInOrder(state: Stream<T>): void {
    for (;;) {
      const item = state.held.get(state.next);
      if (item === undefined && !state.held.has(state.next)) return;
      state.held.delete(state.next);
      state.next++;
      this.options.deliver(item as T);
    }
  }

  /** Gives up on the open gap: hands on every held event in seq order. */
  private skipGap(state: Stream<T>): void {
    this.disarm(state);
    const seqs = [...state.held.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const item = state.held.get(seq) as T;
      state.held.delete(seq);
      state.next = seq + 1;
      this.options.deliver(item);
    }
  }

  private armTimer(stream: string, state: Stream<T>, restart = false): void {
    if (state.timer !== undefined && !restart) return;
    this.disarm(state);
    state.timer = this.options.clock.setTimeout(() => {
      state.timer = undefined;
      if (this.streams.get(stream) === state) this.skipGap(state);
    }, this.waitMs);
  }

  private disarm(state: Stream<T>): void {
    if (state.timer !== undefined) this.options.clock.clearTimeout(state.timer);
    state.timer = undefined;
  }
}
