/**
 * Trickles this side's ICE candidates to the other party in few events: the first batch goes out
 * fast, later ones are gathered for a short window. Candidates found before the invite or answer has
 * been sent wait until it has.
 *
 * Owns: the outgoing candidate queue, its timers and send retries. Never: touches the peer
 * connection or builds the event envelope (the send function does).
 */
import type { CallCandidate } from '../signalling/voip/types.js';
import type { CallClock } from './peer-call-contract.js';

export interface CandidateBatcherOptions {
  readonly clock: CallClock;
  readonly send: (candidates: readonly CallCandidate[]) => Promise<void>;
  readonly firstBatchMs: number;
  readonly batchMs: number;
  /** Called when a batch could not be sent after all retries. */
  readonly onGiveUp?: (error: unknown) => void;
  readonly retries?: number;
}

export const END_OF_CANDIDATES: CallCandidate = Object.freeze({ candidate: '' });

export class CandidateBatcher {
  private queue: CallCandidate[] = [];
  private timer: unknown;
  private isOpen = false;
  private stopped = false;
  private sentBatches = 0;
  private failures = 0;
  private sending = false;

  constructor(private readonly options: CandidateBatcherOptions) {}

  get queued(): readonly CallCandidate[] {
    return this.queue;
  }

  push(candidate: CallCandidate): void {
    if (this.stopped) return;
    this.queue.push(candidate);
    this.schedule();
  }

  /** The invite or answer is out: candidates may follow. */
  open(): void {
    if (this.isOpen || this.stopped) return;
    this.isOpen = true;
    this.schedule();
  }

  /** After an ICE restart the new candidates are wanted fast again. */
  hurryNext(): void {
    this.sentBatches = 0;
  }

  stop(): void {
    this.stopped = true;
    this.queue = [];
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delay?: number): void {
    if (!this.isOpen || this.stopped || this.sending || this.timer !== undefined || this.queue.length === 0)
      return;
    const ms = delay ?? (this.sentBatches === 0 ? this.options.firstBatchMs : this.options.batchMs);
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
  }

  private async flush(): Promise<void> {
    if (this.stopped || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.sending = true;
    try {
      await this.options.send(batch);
      this.sentBatches++;
      this.failures = 0;
      this.sending = false;
      this.schedule();
    } catch (error) {
      this.sending = false;
      if (this.stopped) return;
      this.failures++;
      this.queue = [...batch, ...this.queue];
      if (this.failures > (this.options.retries ?? 3)) {
        this.stop();
        this.options.onGiveUp?.(error);
        return;
      }
      this.schedule(1000 * 2 ** (this.failures - 1));
    }
  }
}
