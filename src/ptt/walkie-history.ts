/**
 * The walkie-talkie's start-up reads of the room's past: recent floor events, replayed into the floor so
 * a device that arrives mid-transmission knows the talker and the turn, and recent room messages, whose
 * voice messages the list shows.
 *
 * Owns: the two timeline reads and the order in which past floor events are replayed. Never: decides
 * the floor (the engine's receivers do), plays anything, or fails the engine: a refused read leaves
 * the past empty.
 */
import { FLOOR_RELEASE, FLOOR_REQUEST } from '../signalling/ptt/event-types.js';
import {
  parseFloorRoomEvent,
  type FloorClaim,
  type FloorMessage,
  type FloorRelease,
} from '../signalling/ptt/floor-events.js';
import type { MatrixTransport, RawRoomEvent } from '../transport/transport.js';
import { claimKey } from './claim-order.js';
import type { FloorTimings } from './floor-control.js';
import { ROOM_MESSAGE } from './walkie-needs.js';

/** Recent floor events from the timeline (releases first); none when the host refuses the read. */
export async function readFloorHistory(transport: MatrixTransport, limit: number): Promise<RawRoomEvent[]> {
  try {
    const [requests, releases] = await Promise.all([
      transport.readTimeline(FLOOR_REQUEST, limit),
      transport.readTimeline(FLOOR_RELEASE, limit),
    ]);
    return [...releases, ...requests];
  } catch {
    return []; // optional: without history the first press may go unheard once, as stale
  }
}

/** Recent room messages, oldest first (the voice messages among them are listed); none when refused. */
export async function readVoiceHistory(transport: MatrixTransport, limit: number): Promise<RawRoomEvent[]> {
  try {
    const events = await transport.readTimeline(ROOM_MESSAGE, limit);
    return [...events].sort((a, b) => a.origin_server_ts - b.origin_server_ts);
  } catch {
    return []; // optional: the list then starts empty
  }
}

export interface FloorReplay {
  readonly now: number;
  readonly timings: Pick<FloorTimings, 'maxTransmitMs' | 'revokeGraceMs'>;
  /** A fact the floor takes as it is: a claimant's own release, or a claim that is closed already. */
  readonly settle: (message: FloorMessage, heardAt?: number) => void;
  /** A fact that goes through the trust checks (open claims, others' revocations). */
  readonly judge: (message: FloorMessage, type: string, sender: string, heardAt?: number) => void;
  readonly reject: (type: string, sender: string, reason: string) => void;
}

/**
 * Replays the history: the claimants' own releases first, then claims by ascending turn (their time
 * limit counted from when they reached the room), then the others' revocations, so reading the past
 * revokes nothing and a revocation is judged against the claim it names. A claim older than its maximum
 * transmit time plus the grace is over for everyone; it is closed locally (nothing is sent).
 */
export function replayFloorHistory(events: readonly RawRoomEvent[], replay: FloorReplay): void {
  const releases: FloorRelease[] = [];
  const claims: { claim: FloorClaim; at: number; sender: string }[] = [];
  for (const event of events) {
    const parsed = parseFloorRoomEvent(event);
    if (!parsed.ok) {
      replay.reject(event.type, event.sender, parsed.reason);
      continue;
    }
    const message = parsed.value;
    if (message.kind === 'release') releases.push(message.release);
    else claims.push({ claim: message.claim, at: event.origin_server_ts, sender: event.sender });
  }
  const { maxTransmitMs, revokeGraceMs } = replay.timings;
  for (const { claim, at } of claims) {
    const limit = Math.min(claim.maxMs ?? maxTransmitMs, maxTransmitMs);
    if (replay.now - at > limit + revokeGraceMs) releases.push({ ...claim, reason: 'max_time' });
  }
  const closed = new Set(releases.filter((r) => !r.revokedBy).map((r) => claimKey(r)));
  for (const release of releases.filter((r) => !r.revokedBy)) replay.settle({ kind: 'release', release });
  claims.sort((a, b) => a.claim.turn - b.claim.turn || a.claim.ts - b.claim.ts);
  for (const { claim, at, sender } of claims) {
    const message: FloorMessage = { kind: 'request', claim };
    if (closed.has(claimKey(claim))) replay.settle(message, at);
    else replay.judge(message, FLOOR_REQUEST, sender, at);
  }
  for (const release of releases.filter((r) => r.revokedBy)) {
    replay.judge({ kind: 'release', release }, FLOOR_RELEASE, release.revokedBy!.userId);
  }
}
