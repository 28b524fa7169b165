/**
 * The waveform thumbnail of a voice message (MSC3246): 30 to 120 integers in 0..1024, one per slice of the
 * audio, the slice's RMS level scaled so the loudest slice is 1024.
 *
 * Owns: slicing and scaling samples. Never: decodes audio (see analyse-audio.ts) or touches the DOM.
 */
import {
  WAVEFORM_MAX_POINTS,
  WAVEFORM_MAX_VALUE,
  WAVEFORM_MIN_POINTS,
} from '../signalling/ptt/voice-message-event.js';

/** Below this RMS a recording counts as silence, so a silent recording is not scaled up into noise. */
const SILENCE_RMS = 1e-4;

export function computeWaveform(samples: Float32Array, points = 100): number[] {
  const count = Math.min(WAVEFORM_MAX_POINTS, Math.max(WAVEFORM_MIN_POINTS, Math.round(points)));
  const levels: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * samples.length) / count);
    const end = Math.max(start + 1, Math.floor(((i + 1) * samples.length) / count));
    let sum = 0;
    let n = 0;
    for (let j = start; j < end && j < samples.length; j++) {
      const s = samples[j] ?? 0;
      sum += s * s;
      n++;
    }
    levels.push(n ? Math.sqrt(sum / n) : 0);
  }
  const loudest = Math.max(...levels);
  if (!(loudest > SILENCE_RMS)) return levels.map(() => 0);
  return levels.map((level) =>
    Math.min(WAVEFORM_MAX_VALUE, Math.round((level / loudest) * WAVEFORM_MAX_VALUE)),
  );
}
