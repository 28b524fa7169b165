/**
 * GroupRinging: whether this device rings for the room's group call, from the call notifications
 * (MSC4075) and declines (MSC4310) it has seen and the state of the call.
 *
 * Rules: a notification rings when someone else sent it, it mentions the room or this user, it is
 * within its lifetime, this device is not in the call (the walkie-talkie's listen-only join does not
 * count), and it was not declined or dismissed here or declined by another device of this user. A
 * newer notification replaces an older one. Ringing stops when the lifetime runs out, when this device
 * joins, when the call ends (it was going on and now nobody is in it), on decline or dismiss here, and
 * on a decline of it from another device of this user.
 *
 * Owns: those rules, the expiry timer and the `ringing` value, with a `change` event when it changes.
 * Never: sends events, plays sounds, joins the call, or parses raw JSON (signalling/ringing does).
 */
import type { CallClock } from '../call/peer-call-contract.js';
import {
  isNotificationActive,
  notificationConcerns,
  type RtcDecline,
  type RtcNotification,
} from '../signalling/ringing/index.js';
import type { GroupCallView, PersonView } from '../snapshot.js';

export type GroupRingingView = NonNullable<GroupCallView['ringing']>;

/** Why ringing stopped, for logs and tests. */
export type RingingEnd =
  'expired' | 'joined' | 'call-ended' | 'declined' | 'declined-elsewhere' | 'dismissed';

/** Notification ids remembered as settled, so a repeat (timeline read, then delivery) does not ring again. */
const SETTLED_KEPT = 100;

export interface GroupRingingOptions {
  readonly userId: string;
  readonly clock: CallClock;
  readonly describe: (userId: string) => PersonView;
  readonly log?: (message: string) => void;
}

export class GroupRinging extends EventTarget {
  private notification: RtcNotification | undefined;
  private value: GroupRingingView | undefined;
  private timer: unknown;
  /** The call was going on while this notification rang (so "nobody in it" now means it ended). */
  private sawOngoing = false;
  private inCall = false;
  private ongoing = false;
  private readonly settled = new Set<string>();
  private lastEnd: RingingEnd | undefined;

  constructor(private readonly options: GroupRingingOptions) {
    super();
  }

  /** What the group call view shows, or undefined while nothing rings. */
  get ringing(): GroupRingingView | undefined {
    return this.value;
  }

  /** The notification that rings now. */
  get current(): RtcNotification | undefined {
    return this.notification;
  }

  /** Why the last ringing stopped. */
  get lastEndReason(): RingingEnd | undefined {
    return this.lastEnd;
  }

  /** A notification arrived (live or read from the timeline). Returns whether it rings now. */
  receive(notification: RtcNotification): boolean {
    const now = this.options.clock.now();
    const why = this.whyNot(notification, now);
    if (why) {
      this.options.log?.(`call notification ${notification.eventId} does not ring: ${why}`);
      return false;
    }
    this.clockOff();
    this.notification = notification;
    this.sawOngoing = this.ongoing;
    const sender = this.options.describe(notification.sender);
    this.value = Object.freeze({ from: sender, notificationId: notification.eventId });
    const left = notification.sentAt + notification.lifetime - now;
    this.timer = this.options.clock.setTimeout(() => this.stop('expired'), left);
    this.dispatchEvent(new Event('change'));
    return true;
  }

  /** A decline arrived: one from this user (any device) for the ringing notification stops it. */
  receiveDecline(decline: RtcDecline): void {
    if (decline.sender !== this.options.userId) return;
    this.remember(decline.notificationEventId);
    if (this.notification?.eventId === decline.notificationEventId) this.stop('declined-elsewhere');
  }

  /**
   * The state of the call here: in it (joining or joined with media; the walkie-talkie's listen-only
   * join is not in it), and whether anyone else is in it (listen-only joins do not count).
   */
  setCall(inCall: boolean, ongoing: boolean): void {
    this.inCall = inCall;
    this.ongoing = ongoing;
    if (!this.notification) return;
    if (inCall) this.stop('joined');
    else if (ongoing) this.sawOngoing = true;
    else if (this.sawOngoing) this.stop('call-ended');
  }

  /** Stops ringing here (declined, dismissed); the notification never rings again. */
  stop(reason: RingingEnd): void {
    const notification = this.notification;
    if (!notification) return;
    this.remember(notification.eventId);
    this.clockOff();
    this.notification = undefined;
    this.value = undefined;
    this.sawOngoing = false;
    this.lastEnd = reason;
    this.options.log?.(`call notification ${notification.eventId} stopped ringing: ${reason}`);
    this.dispatchEvent(new Event('change'));
  }

  dispose(): void {
    this.clockOff();
  }

  private whyNot(notification: RtcNotification, now: number): string | undefined {
    if (!notificationConcerns(notification, this.options.userId)) {
      return notification.sender === this.options.userId
        ? 'sent by this user'
        : 'it mentions neither the room nor this user';
    }
    if (this.settled.has(notification.eventId)) return 'already declined, dismissed or over';
    if (!isNotificationActive(notification, now)) return 'its lifetime is over';
    if (this.inCall) return 'this device is in the call';
    if (this.notification?.eventId === notification.eventId) return 'it rings already';
    if (this.notification && this.notification.sentAt > notification.sentAt) return 'a newer one rings';
    return undefined;
  }

  private remember(eventId: string): void {
    this.settled.add(eventId);
    if (this.settled.size > SETTLED_KEPT) {
      const oldest = this.settled.values().next().value;
      if (oldest !== undefined) this.settled.delete(oldest);
    }
  }

  private clockOff(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
