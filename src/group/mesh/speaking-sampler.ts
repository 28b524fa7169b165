/**
 * SpeakingSampler: the mesh call's speaking loop. While the call is joined it reads every leg's audio
 * levels on a timer (audio-levels.ts), feeds them to the SpeakingTracker (speaking.ts), and keeps who
 * speaks now and the active speaker, telling the call when either changed.
 *
 * Owns: the timer, the set of speaking keys and the active speaker key. Never: builds a view, touches a
 * leg beyond reading its statistics, or runs while the call is not joined.
 */
import type { CallClock } from '../../call/peer-call-contract.js';
import { readAudioLevels } from './audio-levels.js';
import { SpeakingTracker, type SpeakingTimings } from './speaking.js';

export interface SpeakingSamplerOptions {
  readonly clock: CallClock;
  readonly intervalMs: number;
  readonly timings?: SpeakingTimings;
  /** The call's legs now, by key, with their peer connections. */
  readonly legs: () => ReadonlyMap<
    string,
    { readonly call: { readonly peerConnection: RTCPeerConnection | undefined } }
  >;
  /** This device's key (its own level is the loudest local one, or 0 while muted). */
  readonly selfKey: () => string;
  readonly micMuted: () => boolean;
  /** Sampling goes on only while this says so (the call is joined). */
  readonly running: () => boolean;
  /** Who speaks, or the active speaker, changed. */
  readonly onChange: () => void;
}

export class SpeakingSampler {
  private readonly tracker: SpeakingTracker;
  private timer: unknown;
  private speakingKeys = new Set<string>();
  private activeKey: string | undefined;

  constructor(private readonly options: SpeakingSamplerOptions) {
    this.tracker = new SpeakingTracker(options.timings);
  }

  /** The keys (legs' and this device's) speaking at the last sample. */
  get speaking(): ReadonlySet<string> {
    return this.speakingKeys;
  }

  /** The leg key of the active speaker at the last sample. */
  get activeSpeakerKey(): string | undefined {
    return this.activeKey;
  }

  /** Samples after one interval, and on from there. */
  schedule(): void {
    const { clock } = this.options;
    clock.clearTimeout(this.timer);
    this.timer = clock.setTimeout(() => void this.sample(), this.options.intervalMs);
  }

  /** Stops sampling and forgets who spoke. */
  stop(): void {
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.speakingKeys = new Set();
    this.activeKey = undefined;
  }

  /** A leg ended: its levels go. */
  forget(key: string): void {
    this.tracker.forget(key);
  }

  private async sample(): Promise<void> {
    this.timer = undefined;
    const { clock, running } = this.options;
    if (!running()) return;
    const selfKey = this.options.selfKey();
    let localLevel: number | undefined;
    const legs = this.options.legs();
    await Promise.all(
      [...legs].map(async ([key, leg]) => {
        const pc = leg.call.peerConnection;
        if (!pc) return;
        const levels = await readAudioLevels(pc);
        const now = clock.now();
        if (levels.remote !== undefined) this.tracker.update(key, levels.remote, now);
        if (levels.local !== undefined) localLevel = Math.max(localLevel ?? 0, levels.local);
      }),
    );
    if (!running()) return;
    const now = clock.now();
    this.tracker.update(selfKey, this.options.micMuted() ? 0 : (localLevel ?? 0), now);
    const remoteKeys = [...this.options.legs().keys()];
    const speakingNow = new Set([selfKey, ...remoteKeys].filter((k) => this.tracker.isSpeaking(k, now)));
    const active = this.tracker.activeSpeaker(remoteKeys, now);
    const changed =
      active !== this.activeKey ||
      speakingNow.size !== this.speakingKeys.size ||
      [...speakingNow].some((k) => !this.speakingKeys.has(k));
    this.speakingKeys = speakingNow;
    this.activeKey = active;
    if (changed) this.options.onChange();
    this.schedule();
  }
}
