/**
 * SentNotification: the call notification this device sends on starting a call nobody is in yet
 * (MSC4075), and what follows from it: it rings the room for its lifetime (`ringingOut`), and others'
 * declines of it (MSC4310) name them in `declinedBy` while this device is in the call it started. A
 * decline that arrives before the send returned the notification's id is kept briefly.
 *
 * Owns: sending it, its id, the ringing-out timer, who declined it, and the early declines. Never: rings
 * for others' notifications (GroupRinging does), parses events (the session hands parsed declines), or
 * decides when a call starts (GroupCallSession does).
 */
import type { CallClock } from '../../call/peer-call-contract.js';
import {
  buildRtcNotification,
  notificationTypeFor,
  RTC_NOTIFICATION_EVENT,
  type RtcDecline,
} from '../../signalling/ringing/index.js';
import { NOTIFICATION_LIFETIME_MS } from '../../signalling/ringing/event-types.js';
import type { CallKind, PersonView } from '../../snapshot.js';
import type { MatrixTransport } from '../../transport/transport.js';

/** Declines of notifications this device has not yet learnt the id of (its send is in flight), kept briefly. */
const EARLY_DECLINES_KEPT = 20;

export interface SentNotificationOptions {
  readonly transport: MatrixTransport;
  readonly clock: CallClock;
  readonly describe: (userId: string) => PersonView;
  /** Joined members of the room now: a notification rings in a two-person room and notifies in larger ones. */
  readonly joinedMemberCount: () => number;
  /** This device is in the call (a decline of its notification counts only then). */
  readonly inCall: () => boolean;
  /** `ringingOut` or `declinedBy` changed. */
  readonly onChange: () => void;
  readonly log: (message: string) => void;
}

export class SentNotification {
  private lastId: string | undefined;
  private declined: readonly PersonView[] = [];
  private ringing: { readonly notificationId: string; readonly until: number } | undefined;
  private ringingTimer: unknown;
  private readonly earlyDeclines: RtcDecline[] = [];

  constructor(private readonly options: SentNotificationOptions) {}

  /** The id of the notification this device sent on starting the call, if it did. */
  get id(): string | undefined {
    return this.lastId;
  }

  /** Who declined it, while this device is in the call it started (oldest first). */
  get declinedBy(): readonly PersonView[] {
    return this.declined;
  }

  /** While it rings the room: until when. */
  get ringingOut(): { readonly notificationId: string; readonly until: number } | undefined {
    return this.ringing;
  }

  /** Sends the notification for the call this device just started, which refers to its membership event. */
  async send(kind: CallKind, membershipEventId: string | undefined): Promise<void> {
    const { transport, clock, log } = this.options;
    if (!membershipEventId) {
      log('no call notification: the backend does not know its membership event');
      return;
    }
    const content = buildRtcNotification({
      type: notificationTypeFor(this.options.joinedMemberCount()),
      membershipEventId,
      senderTs: clock.now(),
      callIntent: kind === 'voice' ? 'audio' : 'video',
    });
    try {
      const { event_id } = await transport.sendRoomEvent(RTC_NOTIFICATION_EVENT, content);
      this.lastId = event_id;
      this.declined = [];
      this.ringOut(event_id, NOTIFICATION_LIFETIME_MS);
      const early = this.earlyDeclines.splice(0).filter((d) => d.notificationEventId === event_id);
      for (const decline of early) this.receiveDecline(decline);
      this.options.onChange();
    } catch (error) {
      // The call goes on; the others just do not ring.
      log(`sending the call notification failed: ${String(error)}`);
    }
  }

  /**
   * A decline by someone else of the notification this device sent (while it is in the call it
   * started) names them in `declinedBy`. Declines from this user's own devices are not shown.
   */
  receiveDecline(decline: RtcDecline): void {
    if (decline.sender === this.options.transport.userId) return;
    const inCall = this.options.inCall();
    if (this.lastId === undefined) {
      // The notification's send may still be in flight: keep the decline until its id is known.
      if (!inCall) return;
      this.earlyDeclines.push(decline);
      if (this.earlyDeclines.length > EARLY_DECLINES_KEPT) this.earlyDeclines.shift();
      return;
    }
    if (decline.notificationEventId !== this.lastId || !inCall) return;
    if (this.declined.some((p) => p.userId === decline.sender)) return;
    this.declined = Object.freeze([...this.declined, this.options.describe(decline.sender)]);
    this.options.log(`${decline.sender} declined the call notification ${decline.notificationEventId}`);
    this.options.onChange();
  }

  /** The call is back to idle: the notification is no longer current, and it stops ringing. */
  reset(): void {
    if (this.lastId !== undefined || this.declined.length > 0) {
      this.lastId = undefined;
      this.declined = [];
      this.earlyDeclines.length = 0;
    }
    this.stopRingingOut();
  }

  stopRingingOut(): void {
    if (this.ringingTimer !== undefined) this.options.clock.clearTimeout(this.ringingTimer);
    this.ringingTimer = undefined;
    this.ringing = undefined;
  }

  /** It rings the room for its lifetime (or until this device leaves). */
  private ringOut(notificationId: string, lifetimeMs: number): void {
    this.stopRingingOut();
    this.ringing = Object.freeze({ notificationId, until: this.options.clock.now() + lifetimeMs });
    this.ringingTimer = this.options.clock.setTimeout(() => {
      this.ringingTimer = undefined;
      this.ringing = undefined;
      this.options.onChange();
    }, lifetimeMs);
  }
}
