/**
 * Audio levels from WebRTC statistics: what a leg receives from the other device (inbound-rtp) and
 * what this device captures (media-source). Chosen over an AnalyserNode because it needs no
 * AudioContext (no autoplay rules, nothing to start or close) and costs one getStats per leg.
 * Chromium measures received audio as it plays it out: a remote stream that no element plays (or
 * only a muted one) reads 0, so speaking shows for the participants the page actually plays, which
 * the tiles do. (An AnalyserNode on an unplayed remote stream hears silence in Chromium too.)
 *
 * Owns: reading audioLevel out of a stats report. Never: keeps levels over time (speaking.ts does).
 */

export interface LegAudioLevels {
  /** The loudest received audio stream, 0..1; undefined when none is reported yet. */
  readonly remote?: number;
  /** This device's microphone as the connection sees it, 0..1. */
  readonly local?: number;
}

type StatsEntry = { readonly type?: unknown; readonly kind?: unknown; readonly audioLevel?: unknown };

export function audioLevelsFromStats(report: {
  forEach(fn: (entry: StatsEntry) => void): void;
}): LegAudioLevels {
  let remote: number | undefined;
  let local: number | undefined;
  report.forEach((entry) => {
    if (entry.kind !== 'audio' || typeof entry.audioLevel !== 'number') return;
    if (entry.type === 'inbound-rtp') remote = Math.max(remote ?? 0, entry.audioLevel);
    if (entry.type === 'media-source') local = Math.max(local ?? 0, entry.audioLevel);
  });
  return { ...(remote !== undefined ? { remote } : {}), ...(local !== undefined ? { local } : {}) };
}

export async function readAudioLevels(pc: RTCPeerConnection): Promise<LegAudioLevels> {
  if (pc.connectionState === 'closed') return {};
  try {
    return audioLevelsFromStats(await pc.getStats());
  } catch {
    return {};
  }
}
