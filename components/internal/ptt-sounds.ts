/**
 * The walkie-talkie's short cues, made with oscillators: `start` (a rising pair: this device has the floor
 * and is talking), `end` (a falling pair: this device's transmission ended) and `blocked` (a low double buzz:
 * a press was refused). Which floor change sounds which cue is a pure function, apart from any audio.
 *
 * Owns: the cue for a floor change, the notes of each cue, and playing them on the page's shared
 * AudioContext (components/internal/audio.ts), started by a user gesture where the browser's autoplay rules
 * ask for one. Never: plays call media, keeps a context of its own, or plays a cue late (one that cannot
 * sound at once is dropped rather than heard after the moment it marks).
 */
import type { FloorState } from '../../src/snapshot.js';
import { sharedAudioContext } from './audio.js';

export type PttCue = 'start' | 'end' | 'blocked';

/** What <ptt-button> plays its cues through; tests give their own. */
export interface PttSoundPlayer {
  /** Plays the cue now (or not at all). */
  play(cue: PttCue): void;
  /** Called during a user gesture (a press), so that audio may start under autoplay rules. */
  prepare?(): void;
}

/**
 * The cue for the floor going from `previous` to `next`, if any: entering `talking` is `start`, leaving it
 * is `end`, entering `denied` (pressed while someone else holds the floor) is `blocked`. Nothing on the
 * first state seen (`previous` undefined) or when nothing changed.
 */
export function cueForFloorChange(previous: FloorState | undefined, next: FloorState): PttCue | undefined {
  if (previous === undefined || previous === next) return undefined;
  if (next === 'talking') return 'start';
  if (previous === 'talking') return 'end';
  if (next === 'denied') return 'blocked';
  return undefined;
}

interface Note {
  readonly hz: number;
  /** Seconds after the cue's start. */
  readonly at: number;
  readonly seconds: number;
  readonly wave: OscillatorType;
}

const CUES: Record<PttCue, readonly Note[]> = {
  start: [
    { hz: 880, at: 0, seconds: 0.07, wave: 'sine' },
    { hz: 1318.51, at: 0.08, seconds: 0.1, wave: 'sine' },
  ],
  end: [
    { hz: 1318.51, at: 0, seconds: 0.07, wave: 'sine' },
    { hz: 880, at: 0.08, seconds: 0.1, wave: 'sine' },
  ],
  blocked: [
    { hz: 196, at: 0, seconds: 0.11, wave: 'square' },
    { hz: 196, at: 0.16, seconds: 0.11, wave: 'square' },
  ],
};

/** The notes of a cue (frequency in Hz, start and length in seconds). */
export function cueNotes(cue: PttCue): readonly Note[] {
  return CUES[cue];
}

/** Schedules the cue on any audio context (an OfflineAudioContext too); returns when it ends, in context time. */
export function scheduleCue(
  ctx: BaseAudioContext,
  cue: PttCue,
  volume: number,
  at = ctx.currentTime,
): number {
  let end = at;
  for (const note of CUES[cue]) {
    const start = at + note.at;
    const stop = start + note.seconds;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = note.wave;
    osc.frequency.value = note.hz;
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(volume, start + 0.01);
    gain.gain.setValueAtTime(volume, stop - 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, stop);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(stop + 0.01);
    end = Math.max(end, stop);
  }
  return end;
}

/** How long a cue may wait for a suspended context to resume before it is dropped. */
const MAX_LATE_MS = 250;

/** Plays cues on the page's shared AudioContext, made only when the first cue or press needs it. */
export class WebAudioPttSounds implements PttSoundPlayer {
  constructor(
    private readonly context: () => AudioContext = sharedAudioContext,
    private readonly volume = 0.12,
  ) {}

  prepare(): void {
    const ctx = this.context();
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
  }

  play(cue: PttCue): void {
    const ctx = this.context();
    if (ctx.state === 'running') {
      scheduleCue(ctx, cue, this.volume);
      return;
    }
    if (ctx.state === 'closed') return;
    const asked = performance.now();
    void ctx
      .resume()
      .then(() => {
        if (ctx.state === 'running' && performance.now() - asked <= MAX_LATE_MS)
          scheduleCue(ctx, cue, this.volume);
      })
      .catch(() => {});
  }
}

/** The player every <ptt-button> uses unless given another. */
export const defaultPttSounds: PttSoundPlayer = new WebAudioPttSounds();
