/**
 * PendingInvites: invites a mesh call holds for a while, because their sender's membership (or this
 * device's own joining) has not arrived yet, with the later events of the same call.
 *
 * Owns: one held invite per device key, its timer (the invite is dropped when it runs out), and
 * handing held invites back once their sender is a member with the session they came from.
 * Never: decides whether an invite is accepted or creates legs (MeshGroupCall does), reads
 * memberships itself, or parses events.
 */
import type { CallClock } from '../../call/peer-call-contract.js';
import type { ReceivedLegEvent } from './mesh-signalling.js';
import { legKey, type MeshPeer } from './mesh-peer.js';

interface PendingInvite {
  /** The invite, then the events of the same call that came after it. */
  readonly events: ReceivedLegEvent[];
  readonly timer: unknown;
}

export interface PendingInvitesOptions {
  readonly clock: CallClock;
  /** How long an invite is held before it is dropped. */
  readonly holdMs: number;
  readonly log: (message: string) => void;
}

export class PendingInvites {
  private readonly pending = new Map<string, PendingInvite>();

  constructor(private readonly options: PendingInvitesOptions) {}

  /** Holds `events` (an invite, then later events of its call) from this device, replacing any held. */
  hold(key: string, events: ReceivedLegEvent[]): void {
    this.drop(key);
    this.options.log(`holding an invite from ${key} until its membership (or this device's joining) arrives`);
    const timer = this.options.clock.setTimeout(() => {
      if (this.pending.get(key)?.events === events) {
        this.pending.delete(key);
        this.options.log(`dropped an invite from ${key}: its sender is not in the call`);
      }
    }, this.options.holdMs);
    this.pending.set(key, { events, timer });
  }

  /** Adds a later event to the held invite of the same call; false when no such invite is held. */
  addToHeld(key: string, received: ReceivedLegEvent): boolean {
    const pending = this.pending.get(key);
    if (!pending || pending.events[0]?.event.call_id !== received.event.call_id) return false;
    pending.events.push(received);
    return true;
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
