/**
 * MeshPlanner: the mesh call's planning decisions, read from the live memberships: who is in the mesh,
 * who is shown and connected within the size limit (and the error past it), which legs to place and end
 * (leg-plan.ts, plus ending the legs of a session this device left), and what to do with an invite:
 * hold it until its sender's membership arrives, ignore it (over the limit, or this device's own
 * connected leg to that device wins), or accept it, replacing a leg that lost.
 *
 * Owns: those decisions. Never: creates, places or ends a leg (MeshGroupCall does what it answers), runs
 * timers, or writes a membership.
 */
import type { CallMembership } from '../../signalling/membership/index.js';
import type { KitError, KitErrorCode } from '../../snapshot.js';
import { membersWithinLimit, planLegs, type LegAction } from './leg-plan.js';
import { legKey, placesCallTo, type MeshPeer } from './mesh-peer.js';

/** Thrown by join() when the call already has as many devices as a mesh carries. */
export class MeshCallFullError extends Error {
  override readonly name = 'MeshCallFullError';
  readonly code: KitErrorCode = 'group-call-full';
  constructor(readonly limit: number) {
    super(
      `This call already has ${limit} people, the most a call without a media server can carry ` +
        `(every device sends its video to every other one). For more people, start the call with ` +
        `an SFU (a LiveKit media server) instead.`,
    );
  }
}

/** What planning reads of a leg the call has. */
export interface MeshLegFacts {
  readonly peer: MeshPeer;
  /** This device's session when the leg started. */
  readonly ownSessionId: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly connected: boolean;
  readonly call: { readonly ended: boolean };
}

export type InviteDecision =
  /** The sender's membership (with that session) is not here yet: keep the invite for a while. */
  | { readonly kind: 'hold' }
  | { readonly kind: 'ignore'; readonly why: string }
  /** Accept, ending `replaces` (a leg to that device that lost) first. */
  | { readonly kind: 'accept'; readonly member: MeshPeer; readonly replaces?: string };

export interface MeshPlannerOptions {
  /** The other devices' memberships in the call. */
  readonly memberships: () => readonly CallMembership[];
  readonly self: () => { readonly userId: string; readonly deviceId: string };
  /** Devices in the call at most, this one included. */
  readonly limit: number;
  /** Devices whose last leg failed and whose retry is not due yet. */
  readonly waitingForRetry: (key: string) => boolean;
}

export class MeshPlanner {
  constructor(private readonly options: MeshPlannerOptions) {}

  get limit(): number {
    return this.options.limit;
  }

  /** The other devices in the call that use the mesh, oldest joining first. */
  members(): MeshPeer[] {
    return this.options
      .memberships()
      .filter((m) => m.backend.type === 'mesh')
      .map((m) => ({ userId: m.userId, deviceId: m.deviceId, sessionId: m.sessionId }));
  }

  /** Whether one more device (this one) would take the call past the limit. */
  full(): boolean {
    return this.members().length + 1 > this.options.limit;
  }

  /** The members shown and connected: within the limit, those with legs first. */
  withinLimit(legKeys: Iterable<string>, members: readonly MeshPeer[] = this.members()): readonly MeshPeer[] {
    return membersWithinLimit(members, this.options.limit, new Set(legKeys));
  }

  /** The error shown while joined to a call past the limit; undefined otherwise. */
  limitError(joined: boolean): KitError | undefined {
    const over = this.members().length + 1 - this.options.limit;
    if (!joined || over <= 0) return undefined;
    return {
      code: 'group-call-full',
      message: new MeshCallFullError(this.options.limit).message,
      detail: `${over} device(s) past the limit are not connected`,
    };
  }

  /**
   * What to do with the legs now, for this device's session `own`: legs addressed from another session
   * of this device end first ('session-changed': it joined again), then the plan (leg-plan.ts).
   */
  legActions(own: string, legs: ReadonlyMap<string, MeshLegFacts>): LegAction[] {
    const stale: LegAction[] = [];
    const current = new Map<string, MeshLegFacts>();
    for (const [key, leg] of legs) {
      if (leg.ownSessionId !== own) stale.push({ kind: 'end', key, reason: 'session-changed' });
      else current.set(key, leg);
    }
    const planned = planLegs({
      self: this.options.self(),
      members: this.members(),
      legs: new Map(
        [...current].map(([key, leg]) => [key, { peer: leg.peer, destSessionId: leg.peer.sessionId }]),
      ),
      waitingForRetry: this.options.waitingForRetry,
      limit: this.options.limit,
    });
    return [...stale, ...planned];
  }

  /** An invite from `key` (a device) sent from its session `senderSessionId`. */
  invite(key: string, senderSessionId: string, legs: ReadonlyMap<string, MeshLegFacts>): InviteDecision {
    const members = this.members();
    const member = members.find((m) => legKey(m) === key);
    if (!member || member.sessionId !== senderSessionId) return { kind: 'hold' };
    if (!this.withinLimit(legs.keys(), members).includes(member)) {
      return { kind: 'ignore', why: 'the call is over its size limit' };
    }
    const existing = legs.get(key);
    if (existing && !existing.call.ended) {
      if (
        existing.direction === 'outgoing' &&
        existing.connected &&
        placesCallTo(this.options.self(), member)
      ) {
        return { kind: 'ignore', why: "this device's own leg to it is connected" };
      }
      return { kind: 'accept', member, replaces: key };
    }
    return { kind: 'accept', member };
  }
}
