/**
 * Catching up on calls from the timeline: a widget host sends only events that arrive after the widget
 * loaded, so on start the controller reads recent m.call.* events and replays the ones of calls that
 * may still be ringing.
 *
 * Owns: merging the per-type reads into one oldest-first list without repeats, and choosing which
 * calls are still open (an invite and nothing that settled it). Never: reads the transport or judges
 * liveness (invite-liveness.ts does).
 */
import type { RawRoomEvent } from '../transport/transport.js';
import type { CallEvent } from '../signalling/voip/types.js';

/** Reads come newest first per type; this returns one list, oldest first, each event once. */
export function mergeTimelineReads(reads: readonly (readonly RawRoomEvent[])[]): RawRoomEvent[] {
  const seen = new Set<string>();
  const merged: { event: RawRoomEvent; order: number }[] = [];
  for (const read of reads) {
    read.forEach((event, index) => {
      if (seen.has(event.event_id)) return;
      seen.add(event.event_id);
      merged.push({ event, order: -index });
    });
  }
  merged.sort((a, b) => a.event.origin_server_ts - b.event.origin_server_ts || a.order - b.order);
  return merged.map((m) => m.event);
}

/** Kinds after which an invite no longer rings anywhere. */
const SETTLING_KINDS: ReadonlySet<CallEvent['kind']> = new Set([
  'answer',
  'reject',
  'hangup',
  'select_answer',
]);

/** call_ids with an invite and no answer, reject, hangup or select_answer, in the given events. */
export function openCallIds(events: readonly CallEvent[]): Set<string> {
  const invited = new Set<string>();
  const settled = new Set<string>();
  for (const event of events) {
    if (event.kind === 'invite') invited.add(event.call_id);
    else if (SETTLING_KINDS.has(event.kind)) settled.add(event.call_id);
  }
  for (const callId of settled) invited.delete(callId);
  return invited;
}
