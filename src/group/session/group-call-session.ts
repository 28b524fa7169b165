/**
 * GroupCallSession: the room's group call as the CallController sees it. One backend at a time (mesh,
 * the LiveKit SFU when configured and supplied, or with 'auto' the one the call's members use: see
 * backend-choice.ts), started at once so `ongoing` shows before joining, plus ringing: this device
 * rings the room when it starts a call nobody is in yet (MSC4075, sent-notification.ts), rings for
 * others' notifications (group-ringing.ts), declines them (MSC4310), and shows who declined the
 * notification it sent (`declinedBy`, while it is in the call it started).
 *
 * Owns: choosing and creating the backend (with 'auto': re-choosing it while this device is not in the
 * call, from the call's memberships, which it reads itself), the GroupCallView it publishes (the
 * backend's view plus `ringing`, `ringingOut` and `declinedBy`) with a `change` event, sending declines,
 * routing received notifications and declines, and reading recent ones on start so a call that began
 * before the widget loaded still rings.
 * Lives in src/group/session/ with the needs list because both import the mesh backend: the shared base
 * in src/group/ imports neither backend, so the folders group <- group/mesh, group/livekit <-
 * group/session form no loop.
 * Never: imports the LiveKit backend (its factory is handed in), touches 1:1 calls, or throws from
 * a room event (malformed ones are logged and dropped).
 */
import { realCallClock } from '../../call/call-timings.js';
import type { CallClock, LocalMediaSource } from '../../call/peer-call-contract.js';
import {
  buildRtcDecline,
  LEGACY_CALL_NOTIFY_EVENT,
  parseRtcDecline,
  parseRtcNotification,
  RTC_DECLINE_EVENT,
  RTC_NOTIFICATION_EVENT,
  type RtcNotification,
} from '../../signalling/ringing/index.js';
import { RINGING_EVENT_TYPES } from '../../signalling/ringing/event-types.js';
import { countsAsInCall } from '../../signalling/membership/index.js';
import type {
  CallKind,
  GroupBackend,
  GroupCallView,
  KitError,
  KitErrorCode,
  PersonView,
} from '../../snapshot.js';
import type { MatrixTransport, RawRoomEvent } from '../../transport/transport.js';
import type { GroupCallBackend, GroupCallBackendFactory, GroupJoinOptions } from '../group-call-backend.js';
import { chooseGroupBackend, type ConcreteGroupBackend } from '../backend-choice.js';
import { GroupRinging } from '../group-ringing.js';
import { MembershipSet } from '../membership-set.js';
import { MeshGroupCall } from '../mesh/mesh-group-call.js';
import { SentNotification } from './sent-notification.js';

/** The room event types the session handles (the controller routes them here). */
export const GROUP_RINGING_EVENT_TYPES: readonly string[] = RINGING_EVENT_TYPES;

/** Joining when the SFU backend was chosen but not supplied. */
export class SfuUnavailableError extends Error {
  override readonly name = 'SfuUnavailableError';
  readonly code: KitErrorCode = 'no-focus';
  constructor() {
    super(
      'This group call uses a media server (SFU), but this widget was built without the SFU backend, so ' +
        'it cannot join. Ask whoever set up the widget to include it, or to use mesh calls.',
    );
  }
}

export const meshBackendFactory: GroupCallBackendFactory = (context) =>
  new MeshGroupCall({
    transport: context.transport,
    media: context.media,
    describe: context.describe,
    ...(context.clock ? { clock: context.clock } : {}),
    ...(context.iceServers ? { iceServers: context.iceServers } : {}),
    ...(context.log ? { log: context.log } : {}),
  });

export interface GroupCallSessionOptions {
  readonly transport: MatrixTransport;
  readonly media: LocalMediaSource;
  /**
   * Which backend carries the call. 'auto': the one the call's members use; when nobody is in the
   * call, the SFU if its factory is `preferredForNewCalls` (a focus is configured), else the mesh.
   */
  readonly backend: GroupBackend;
  /** The mesh one is built in by default; without `livekit`, an SFU call cannot be joined. */
  readonly factories?: {
    readonly mesh?: GroupCallBackendFactory;
    readonly livekit?: GroupCallBackendFactory;
  };
  readonly clock?: CallClock;
  readonly iceServers?: readonly RTCIceServer[];
  readonly describe: (userId: string) => PersonView;
  /** Joined members of the room now: a notification rings in a two-person room and notifies in larger ones. */
  readonly joinedMemberCount: () => number;
  /** Recent notifications and declines read on start. Default 10 of each. */
  readonly timelineLimit?: number;
  readonly log?: (message: string) => void;
}

function idleView(backend: ConcreteGroupBackend, ongoing: boolean): GroupCallView {
  return Object.freeze({ state: 'idle', backend, ongoing, participants: Object.freeze([]) });
}

export class GroupCallSession extends EventTarget {
  private readonly transport: MatrixTransport;
  private readonly clock: CallClock;
  private readonly log: (message: string) => void;
  private readonly ringing: GroupRinging;
  private backendValue: GroupCallBackend | undefined;
  /** The backend the current (or next) joining uses. */
  private backendKind: ConcreteGroupBackend;
  /** With 'auto': the call's memberships, read here so the choice is made before any backend joins. */
  private readonly members: MembershipSet | undefined;
  /** A backend being replaced and started (with 'auto'); joining waits for it. */
  private switching: Promise<void> = Promise.resolve();
  /** Set from a join's first step until the backend's own join has begun: no switching meanwhile. */
  private joinPending = false;
  private currentView: GroupCallView;
  private started: Promise<void> | undefined;
  private disposed = false;
  /** The notification this device sent on starting the call: its ringing out and who declined it. */
  private readonly sent: SentNotification;

  constructor(private readonly options: GroupCallSessionOptions) {
    super();
    this.transport = options.transport;
    this.clock = options.clock ?? realCallClock;
    this.log = options.log ?? (() => undefined);
    this.ringing = new GroupRinging({
      userId: this.transport.userId,
      clock: this.clock,
      describe: options.describe,
      log: this.log,
    });
    this.ringing.addEventListener('change', () => this.refresh());
    this.sent = new SentNotification({
      transport: this.transport,
      clock: this.clock,
      describe: options.describe,
      joinedMemberCount: options.joinedMemberCount,
      inCall: () => this.backendValue !== undefined && this.backendValue.view.state !== 'idle',
      onChange: () => this.refresh(),
      log: this.log,
    });
    if (options.backend === 'auto') {
      this.members = new MembershipSet({ transport: this.transport, log: this.log });
      this.backendKind = this.chosenBackend();
    } else {
      this.backendKind = options.backend;
    }
    this.backendValue = this.createBackend(this.backendKind);
    this.currentView = this.buildView();
  }

  get view(): GroupCallView {
    return this.currentView;
  }

  /** A problem the user should know about while in the call (from the backend). */
  get error(): KitError | undefined {
    return this.backendValue?.error;
  }

  /** The backend, for diagnostics and tests; undefined when the chosen one was not supplied. */
  get backend(): GroupCallBackend | undefined {
    return this.backendValue;
  }

  /** The id of the notification this device sent on starting the call, if it did. */
  get sentNotificationId(): string | undefined {
    return this.sent.id;
  }

  /** Starts the backend (so `ongoing` is known) and rings for a live notification from before the start. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const first = this.backendValue;
      if (this.members) {
        await this.members.start();
        this.members.addEventListener('change', this.onMembersChange);
        this.reconsider();
      }
      // A backend that reconsider() put in place is started there, once; only the first one here.
      if (this.backendValue === first) await first?.start();
      await this.switching;
      this.onBackendChange();
      await this.catchUp();
    })();
    return this.started;
  }

  /**
   * Joins (or starts) the call. Starting a call nobody is in yet rings the room. Rejects with an
   * Error carrying a KitErrorCode `code` when the user must be told.
   */
  async join(kind: CallKind, options: GroupJoinOptions = {}): Promise<void> {
    if (this.disposed) throw new Error('the group call was closed');
    if (!this.members && !this.backendValue) throw new SfuUnavailableError();
    this.joinPending = true;
    let backend: GroupCallBackend | undefined;
    try {
      await this.start();
      // A switch begun before this join finishes first; none begins until the backend's join has.
      this.reconsider();
      await this.switching;
      backend = this.backendValue;
    } finally {
      this.joinPending = false;
    }
    if (!backend) throw new SfuUnavailableError();
    if (backend.view.state !== 'idle') return;
    const nobodyThere = !backend.view.ongoing;
    this.ringing.stop('joined');
    await backend.join(kind, options);
    const after: GroupCallView = backend.view;
    if (nobodyThere && after.state === 'joined' && !after.ongoing) {
      await this.sent.send(kind, this.backendValue?.membershipEventId);
    }
  }

  async leave(): Promise<void> {
    await this.backendValue?.leave();
  }

  /** Declines the ringing call: tells the room (MSC4310) and stops ringing on every device of this user. */
  async decline(): Promise<void> {
    const notification = this.ringing.current;
    if (!notification) return;
    this.ringing.stop('declined');
    await this.transport.sendRoomEvent(RTC_DECLINE_EVENT, buildRtcDecline(notification.eventId));
  }

  /** Stops ringing here without telling anyone. */
  dismiss(notificationId: string): boolean {
    if (this.ringing.current?.eventId !== notificationId) return false;
    this.ringing.stop('dismissed');
    return true;
  }

  setMicMuted(muted: boolean): Promise<void> {
    return this.backendValue?.setMicMuted(muted) ?? Promise.resolve();
  }

  setCameraMuted(muted: boolean): Promise<void> {
    return this.backendValue?.setCameraMuted(muted) ?? Promise.resolve();
  }

  setScreenSharing(sharing: boolean): Promise<void> {
    return this.backendValue?.setScreenSharing(sharing) ?? Promise.resolve();
  }

  setParticipantVolume(userId: string, deviceId: string, volume: number): void {
    this.backendValue?.setParticipantVolume(userId, deviceId, volume);
  }

  /** A call notification or decline from the room (the controller routes GROUP_RINGING_EVENT_TYPES here). */
  handleRoomEvent(raw: RawRoomEvent): void {
    if (this.disposed) return;
    if (raw.type === RTC_DECLINE_EVENT) {
      const parsed = parseRtcDecline(raw);
      if (parsed.ok) {
        this.ringing.receiveDecline(parsed.value);
        this.sent.receiveDecline(parsed.value);
      } else this.log(`ignored decline ${raw.event_id}: ${parsed.reason}`);
      return;
    }
    if (raw.type === RTC_NOTIFICATION_EVENT || raw.type === LEGACY_CALL_NOTIFY_EVENT) {
      const parsed = parseRtcNotification(raw);
      if (parsed.ok) this.ringing.receive(parsed.value);
      else this.log(`ignored call notification ${raw.event_id}: ${parsed.reason}`);
    }
  }

  /** Leaves (without waiting) and stops listening. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ringing.dispose();
    this.sent.stopRingingOut();
    this.members?.removeEventListener('change', this.onMembersChange);
    this.members?.stop();
    const backend = this.backendValue;
    if (!backend) return;
    backend.removeEventListener('change', this.onBackendChange);
    const leaving = backend.view.state !== 'idle' ? backend.leave() : Promise.resolve();
    void leaving
      .catch((error: unknown) => this.log(`leaving on close failed: ${String(error)}`))
      .finally(() => backend.dispose());
  }

  // ---- ringing ----------------------------------------------------------------------------------

  /** The newest live notification from before the start rings, unless this user declined it already. */
  private async catchUp(): Promise<void> {
    const limit = this.options.timelineLimit ?? 10;
    const read = async (type: string) => {
      try {
        return await this.transport.readTimeline(type, limit);
      } catch (error) {
        this.log(`could not read recent ${type} events: ${String(error)}`);
        return [];
      }
    };
    const [declines, ...notificationReads] = await Promise.all([
      read(RTC_DECLINE_EVENT),
      read(RTC_NOTIFICATION_EVENT),
      read(LEGACY_CALL_NOTIFY_EVENT),
    ]);
    for (const raw of declines) this.handleRoomEvent(raw);
    const notifications: RtcNotification[] = [];
    for (const raw of notificationReads.flat()) {
      const parsed = parseRtcNotification(raw);
      if (parsed.ok) notifications.push(parsed.value);
    }
    const newest = notifications.sort((a, b) => b.sentAt - a.sentAt)[0];
    // A call that ended before this device loaded does not ring, even within the lifetime.
    if (newest && (this.backendValue?.view.ongoing ?? this.othersInCall())) this.ringing.receive(newest);
  }

  // ---- backend choice ---------------------------------------------------------------------------

  private createBackend(kind: ConcreteGroupBackend): GroupCallBackend | undefined {
    const factory =
      kind === 'mesh'
        ? (this.options.factories?.mesh ?? meshBackendFactory)
        : this.options.factories?.livekit;
    const backend = factory?.({
      transport: this.transport,
      media: this.options.media,
      clock: this.clock,
      describe: this.options.describe,
      log: this.log,
      ...(this.options.iceServers ? { iceServers: this.options.iceServers } : {}),
    });
    backend?.addEventListener('change', this.onBackendChange);
    return backend;
  }

  /** With 'auto': the backend the call's members use, else the preference. */
  private chosenBackend(): ConcreteGroupBackend {
    const choice = chooseGroupBackend({
      memberships: this.members?.memberships ?? [],
      preference: this.options.factories?.livekit?.preferredForNewCalls ? 'livekit' : 'mesh',
      self: { userId: this.transport.userId, deviceId: this.transport.deviceId },
    });
    return choice.backend;
  }

  private readonly onMembersChange = (): void => {
    this.reconsider();
    // Without a backend for the call's kind, `ongoing` comes from the memberships read here.
    if (!this.backendValue) this.onBackendChange();
  };

  /**
   * With 'auto', while this device is not in the call: replaces the backend when the call's members
   * moved to the other one (or the call ended and the preference differs). A call in progress keeps
   * its backend until it is left.
   */
  private readonly reconsider = (): void => {
    if (!this.members || this.disposed || this.joinPending) return;
    const current = this.backendValue;
    if (current && current.view.state !== 'idle') return;
    const wanted = this.chosenBackend();
    if (wanted === this.backendKind) return;
    this.log(`group call backend: ${wanted} (was ${this.backendKind})`);
    if (current) {
      current.removeEventListener('change', this.onBackendChange);
      current.dispose();
    }
    this.backendKind = wanted;
    const next = this.createBackend(wanted);
    this.backendValue = next;
    const previous = this.switching;
    this.switching = (async () => {
      await previous;
      try {
        await next?.start();
      } catch (error) {
        this.log(`the ${wanted} backend could not start: ${String(error)}`);
      }
    })();
    this.onBackendChange();
    void this.switching.then(() => {
      if (this.backendValue === next) this.onBackendChange();
    });
  };

  // ---- view -------------------------------------------------------------------------------------

  private readonly onBackendChange = (): void => {
    const view = this.backendValue?.view;
    // A listen-only join (the walkie-talkie's) is not in the call: its device still rings.
    const inCall = (view?.state === 'joining' || view?.state === 'joined') && view.listenOnly !== true;
    if (view) this.ringing.setCall(inCall, view.ongoing);
    else if (this.members) this.ringing.setCall(false, this.othersInCall());
    // Back to idle: the notification this device sent is no longer current.
    if (view?.state === 'idle') this.sent.reset();
    this.refresh();
    // Back to idle after a call: the next joining may belong on the other backend.
    if (view?.state === 'idle') this.reconsider();
  };

  /**
   * With 'auto' and no backend for the call's kind: whether others are in the call anyway (listen-only
   * joins, the walkie-talkie's, do not count).
   */
  private othersInCall(): boolean {
    const self = this.transport;
    return (this.members?.memberships ?? []).some(
      (m) => countsAsInCall(m) && !(m.userId === self.userId && m.deviceId === self.deviceId),
    );
  }

  private buildView(): GroupCallView {
    const base = this.backendValue?.view ?? idleView(this.backendKind, this.othersInCall());
    const ringing = this.ringing.ringing;
    const declinedBy = this.sent.declinedBy;
    const ringingOut = this.sent.ringingOut;
    if (!ringing && declinedBy.length === 0 && !ringingOut) return base;
    return Object.freeze({
      ...base,
      ...(ringing ? { ringing } : {}),
      ...(declinedBy.length > 0 ? { declinedBy } : {}),
      ...(ringingOut ? { ringingOut } : {}),
    });
  }

  private refresh(): void {
    if (this.disposed) return;
    const next = this.buildView();
    if (next === this.currentView) return;
    this.currentView = next;
    this.dispatchEvent(new Event('change'));
  }
}
