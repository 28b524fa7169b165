/**
 * Trickles this side's ICE candidates to the other party in few events: the first batch goes out
 * fast, later ones are gathered for a short window. Candidates found before the invite or answer has
 * been sent wait until it has. Once gathering is complete (the end-of-candidates marker is queued)
 * there is nothing left to wait for, so the queue goes out at once: on a LAN or loopback, where
 * gathering ends within milliseconds, all candidates follow the invite or answer in one event
 * without the window's delay.
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
  /** The pending timer waits out a failed send; it is never cut short. */
  private backingOff = false;

  constructor(private readonly options: CandidateBatcherOptions) {}

  get queued(): readonly CallCandidate[] {
    return this.queue;
  }

  push(candidate: CallCandidate): void {
    if (this.stopped) return;
    this.queue.push(candidate);
    this.schedule(this.gatheringComplete() ? 0 : undefined);
  }

  /**
   * The invite or answer is out: candidates may follow. Queued candidates for which `alreadySent`
   * holds (they were in the description it carried) are dropped rather than sent twice.
   */
  open(alreadySent?: (candidate: CallCandidate) => boolean): void {
    if (this.isOpen || this.stopped) return;
    this.isOpen = true;
    if (alreadySent) this.queue = this.queue.filter((c) => !alreadySent(c));
    this.schedule(this.gatheringComplete() ? 0 : undefined);
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

  /** The end-of-candidates marker is queued: nothing more will come until an ICE restart. */
  private gatheringComplete(): boolean {
    return this.queue.some((c) => c.candidate === '');
  }

  private schedule(delay?: number): void {
    if (!this.isOpen || this.stopped || this.sending || this.queue.length === 0) return;
    if (this.timer !== undefined) {
      // A pending window is cut short when there is nothing more to wait for; a retry's back-off is not.
      if (delay !== 0 || this.backingOff) return;
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const ms = delay ?? (this.sentBatches === 0 ? this.options.firstBatchMs : this.options.batchMs);
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.backingOff = false;
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
      this.schedule(this.gatheringComplete() ? 0 : undefined);
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
      this.backingOff = true;
      this.schedule(1000 * 2 ** (this.failures - 1));
    }
  }
}
