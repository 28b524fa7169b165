/**
 * What a listener would hear, for tests: the loudest sample of a stream's audio over a short window,
 * read through Web Audio. The browser's fake microphone plays a beep every second, so a stream that
 * carries it peaks well above silence within about a second; silence and a muted sender stay at 0.
 *
 * Owns: one AudioContext per measurement, closed after it. Never: plays anything aloud.
 */

/** The highest absolute sample value of `stream`'s audio over `ms` milliseconds (0 when silent). */
export async function peakLevel(stream: MediaStream, ms = 1500): Promise<number> {
  const context = new AudioContext();
  try {
    await context.resume();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      analyser.getFloatTimeDomainData(samples);
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    source.disconnect();
    return peak;
  } finally {
    await context.close();
  }
}

/** A level this far above 0 is sound, not rounding noise. */
export const AUDIBLE = 0.01;
