/**
 * PendingInvites: invites a mesh call holds for a while, because their sender's membership (or this
 * device's own joining) has not arrived yet, with the later events of the same call.
 *
 * Owns: one held invite per device key, its timer (the invite is dropped when it runs out), the bounds
 * on what is held (PENDING_INVITE_BOUNDS: anyone can send this device to-device invites, with any
 * device id they like, so time alone bounds nothing), and handing held invites back once their sender
 * is a member with the session they came from.
 * Never: decides whether an invite is accepted or creates legs (MeshGroupCall does), reads
 * memberships itself, or parses events.
 */
import type { CallClock } from '../../call/peer-call-contract.js';
import type { ReceivedLegEvent } from './mesh-signalling.js';
import { legKey, type MeshPeer } from './mesh-peer.js';

/**
 * What held invites may take. A real member's invite waits a few seconds for its membership state;
 * senders who are not members (yet) can make the device hold at most this much. The oldest held
 * invite makes way for a new one. `chars` counts the JSON of the held events (an SDP is up to 200 KB).
 */
export const PENDING_INVITE_BOUNDS = {
  invites: 16,
  invitesPerUser: 4,
  eventsPerInvite: 64,
  chars: 1024 * 1024,
} as const;

interface PendingInvite {
  /** The invite, then the events of the same call that came after it. */
  readonly events: ReceivedLegEvent[];
  readonly timer: unknown;
  readonly userId: string;
  chars: number;
}

const charsOf = (received: ReceivedLegEvent): number => JSON.stringify(received.event).length;

export interface PendingInvitesOptions {
  readonly clock: CallClock;
  /** How long an invite is held before it is dropped. */
  readonly holdMs: number;
  readonly log: (message: string) => void;
}

export class PendingInvites {
  private readonly pending = new Map<string, PendingInvite>();

  constructor(private readonly options: PendingInvitesOptions) {}

  /** Invites held now. */
  get count(): number {
    return this.pending.size;
  }

  /** Characters of JSON held now, over every held invite and its later events. */
  get chars(): number {
    let chars = 0;
    for (const pending of this.pending.values()) chars += pending.chars;
    return chars;
  }

  /**
   * Holds `events` (an invite, then later events of its call) from this device, replacing any held;
   * older held invites are dropped to keep within PENDING_INVITE_BOUNDS.
   */
  hold(key: string, events: ReceivedLegEvent[]): void {
    this.drop(key);
    const userId = events[0]?.sender ?? '';
    const held = events.slice(0, PENDING_INVITE_BOUNDS.eventsPerInvite);
    this.options.log(`holding an invite from ${key} until its membership (or this device's joining) arrives`);
    const timer = this.options.clock.setTimeout(() => {
      if (this.pending.get(key)?.events === held) {
        this.pending.delete(key);
        this.options.log(`dropped an invite from ${key}: its sender is not in the call`);
      }
    }, this.options.holdMs);
    this.pending.set(key, { events: held, timer, userId, chars: held.reduce((n, e) => n + charsOf(e), 0) });
    this.keepWithinBounds(key);
  }

  /** Adds a later event to the held invite of the same call; false when no such invite is held. */
  addToHeld(key: string, received: ReceivedLegEvent): boolean {
    const pending = this.pending.get(key);
    if (!pending || pending.events[0]?.event.call_id !== received.event.call_id) return false;
    if (pending.events.length >= PENDING_INVITE_BOUNDS.eventsPerInvite) {
      this.options.log(
        `dropped an invite from ${key}: more than ${PENDING_INVITE_BOUNDS.eventsPerInvite} events held`,
      );
      this.drop(key);
      return true;
    }
    pending.events.push(received);
    pending.chars += charsOf(received);
    this.keepWithinBounds(key);
    return true;
  }

  /** Drops the oldest held invites (never `newest` unless it alone is past a bound) until within bounds. */
  private keepWithinBounds(newest: string): void {
    const userId = this.pending.get(newest)?.userId;
    const ofUser = [...this.pending].filter(([, p]) => p.userId === userId).map(([k]) => k);
    for (const key of ofUser.slice(0, Math.max(0, ofUser.length - PENDING_INVITE_BOUNDS.invitesPerUser))) {
      this.dropForBound(key, `${userId} has ${PENDING_INVITE_BOUNDS.invitesPerUser} invites held`);
    }
    for (const key of [...this.pending.keys()]) {
      const over =
        this.pending.size > PENDING_INVITE_BOUNDS.invites || this.chars > PENDING_INVITE_BOUNDS.chars;
      if (!over) break;
      if (key !== newest) this.dropForBound(key, 'held invites are at their bound');
    }
    if (this.chars > PENDING_INVITE_BOUNDS.chars)
      this.dropForBound(newest, 'it is larger than held invites may be');
  }

  private dropForBound(key: string, why: string): void {
    this.drop(key);
    this.options.log(`dropped a held invite from ${key}: ${why}`);
  }

  drop(key: string): void {
    const pending = this.pending.get(key);
    if (pending) this.options.clock.clearTimeout(pending.timer);
    this.pending.delete(key);
  }

  dropAll(): void {
    for (const key of [...this.pending.keys()]) this.drop(key);
  }

  /** Each held invite whose sender is among `members` with the session it came from: dropped, then given to `consider`. */
  release(members: readonly MeshPeer[], consider: (events: readonly ReceivedLegEvent[]) => void): void {
    for (const [key, pending] of [...this.pending]) {
      const member = members.find((m) => legKey(m) === key);
      if (member && member.sessionId === pending.events[0]?.event.leg.sender_session_id) {
        this.drop(key);
        consider(pending.events);
      }
    }
  }
}
