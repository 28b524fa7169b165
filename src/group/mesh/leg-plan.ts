/**
 * Leg planning: given the call's live members and the legs this device has, what to do next.
 *
 * Owns: the pure decision of which legs to place, which to end and why. A leg exists per other
 * device in the call; the lesser (user id, device id) places it (mesh-peer.ts); a leg addressed to a
 * session the member no longer has is ended (the device reloaded or rejoined), and so is a leg to a
 * device that left. Members past the size limit get no leg: the devices this one has legs to come
 * first, then the oldest joinings. "Oldest" comes from created_ts, which each member writes itself, so
 * newcomers never push an established leg out (docs/security.md, "Mesh size limit").
 * Never: creates calls, runs timers or reads clocks (the caller says which devices wait for a retry).
 */
import { legKey, placesCallTo, type MeshPeer } from './mesh-peer.js';

/** What planning needs to know about a leg this device has. */
export interface PlannedLeg {
  readonly peer: MeshPeer;
  /** The session the leg was addressed to when it started. */
  readonly destSessionId: string;
}

export type LegEndReason = 'member-left' | 'session-changed' | 'over-limit';

export type LegAction =
  | { readonly kind: 'place'; readonly peer: MeshPeer }
  | { readonly kind: 'end'; readonly key: string; readonly reason: LegEndReason };

export interface LegPlanInput {
  readonly self: { readonly userId: string; readonly deviceId: string };
  /** The other devices in the call, oldest joining first (this device left out). */
  readonly members: readonly MeshPeer[];
  /** Live legs by legKey. */
  readonly legs: ReadonlyMap<string, PlannedLeg>;
  /** Devices whose last leg failed and whose retry is not due yet. */
  readonly waitingForRetry?: (key: string) => boolean;
  /** Devices in the call at most, this one included. */
  readonly limit: number;
}

/**
 * The members a mesh of `limit` devices connects to: those this device has legs to (`kept`, by
 * legKey) first, then the oldest joinings; each group keeps the members' order.
 */
export function membersWithinLimit(
  members: readonly MeshPeer[],
  limit: number,
  kept: ReadonlySet<string> = new Set(),
): readonly MeshPeer[] {
  const first = members.filter((m) => kept.has(legKey(m)));
  const rest = members.filter((m) => !kept.has(legKey(m)));
  const chosen = new Set([...first, ...rest].slice(0, Math.max(0, limit - 1)));
  return members.filter((m) => chosen.has(m));
}

/** Ends first (in leg order), then places (in member order). */
export function planLegs(input: LegPlanInput): LegAction[] {
  const within = membersWithinLimit(input.members, input.limit, new Set(input.legs.keys()));
  const byKey = new Map(within.map((m) => [legKey(m), m]));
  const everyone = new Set(input.members.map(legKey));
  const ends: LegAction[] = [];
  const places: LegAction[] = [];
  const ending = new Set<string>();

  for (const [key, leg] of input.legs) {
    const member = byKey.get(key);
    if (!member) {
      ends.push({ kind: 'end', key, reason: everyone.has(key) ? 'over-limit' : 'member-left' });
      ending.add(key);
    } else if (member.sessionId !== leg.destSessionId) {
      ends.push({ kind: 'end', key, reason: 'session-changed' });
      ending.add(key);
    }
  }
  for (const member of within) {
    const key = legKey(member);
    if (input.legs.has(key) && !ending.has(key)) continue;
    if (!placesCallTo(input.self, member)) continue;
    if (input.waitingForRetry?.(key)) continue;
    places.push({ kind: 'place', peer: member });
  }
  return [...ends, ...places];
}
