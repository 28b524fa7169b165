/**
 * Who is speaking, from audio levels sampled now and then: a participant speaks while their level
 * is over a threshold, and for a short hold after (so pauses between words do not flicker); the
 * active speaker is the loudest remote participant speaking, and stays so until someone else
 * speaks while they do not.
 *
 * Owns: the per-participant last loud moment and level, and the active speaker choice. Never: reads
 * audio (audio-levels.ts does), or runs timers (the caller samples and passes `now`).
 */

export interface SpeakingTimings {
  /** An audio level (0..1, as WebRTC statistics give it) at or above this counts as speech. */
  readonly threshold: number;
  /** Speech keeps counting this long after the last loud sample. */
  readonly holdMs: number;
}

export const DEFAULT_SPEAKING: SpeakingTimings = Object.freeze({ threshold: 0.02, holdMs: 800 });

interface Sample {
  level: number;
  loudAt: number | undefined;
}

export class SpeakingTracker {
  private readonly samples = new Map<string, Sample>();
  private active: string | undefined;

  constructor(private readonly timings: SpeakingTimings = DEFAULT_SPEAKING) {}

  /** Records a participant's audio level now. */
  update(key: string, level: number, now: number): void {
    const sample = this.samples.get(key) ?? { level: 0, loudAt: undefined };
    sample.level = Number.isFinite(level) ? Math.max(0, Math.min(1, level)) : 0;
    if (sample.level >= this.timings.threshold) sample.loudAt = now;
    this.samples.set(key, sample);
  }

  isSpeaking(key: string, now: number): boolean {
    const loudAt = this.samples.get(key)?.loudAt;
    return loudAt !== undefined && now - loudAt <= this.timings.holdMs;
  }

  /**
   * The active speaker among `candidates` (keys of remote participants): the current one while they
   * speak, else the loudest one speaking, else the current one while still a candidate.
   */
  activeSpeaker(candidates: readonly string[], now: number): string | undefined {
    const present = new Set(candidates);
    if (this.active !== undefined && !present.has(this.active)) this.active = undefined;
    if (this.active !== undefined && this.isSpeaking(this.active, now)) return this.active;
    let loudest: string | undefined;
    let loudestLevel = -1;
    for (const key of candidates) {
      if (!this.isSpeaking(key, now)) continue;
      const level = this.samples.get(key)?.level ?? 0;
      if (level > loudestLevel) {
        loudest = key;
        loudestLevel = level;
      }
    }
    if (loudest !== undefined) this.active = loudest;
    return this.active;
  }

  forget(key: string): void {
    this.samples.delete(key);
    if (this.active === key) this.active = undefined;
  }
}
