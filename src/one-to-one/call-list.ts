/**
 * The order of calls in the snapshot: live calls first (the one in use before held or waiting ones,
 * then in the order they began), then ended calls newest first, only the last few.
 *
 * Owns: ordering and the cap. Never: changes a CallView.
 */
import type { CallView } from '../snapshot.js';

export const DEFAULT_ENDED_CALLS_KEPT = 5;

function liveRank(call: CallView): number {
  if (call.state === 'ringing' || call.waiting) return 2;
  if (call.onHold) return 1;
  return 0;
}

/** `live` in the order the calls began; `ended` in any order. */
export function orderCalls(
  live: readonly CallView[],
  ended: readonly CallView[],
  endedKept = DEFAULT_ENDED_CALLS_KEPT,
): readonly CallView[] {
  const liveSorted = live
    .map((call, index) => ({ call, index }))
    .sort((a, b) => liveRank(a.call) - liveRank(b.call) || a.index - b.index)
    .map((x) => x.call);
  const endedSorted = [...ended].sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0)).slice(0, endedKept);
  return Object.freeze([...liveSorted, ...endedSorted]);
}
