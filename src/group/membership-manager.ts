/**
 * MembershipManager: this device's MatrixRTC membership in the room's call, and the call's live
 * memberships.
 *
 * Owns: writing the membership state event in the configured format (Element Call's by default,
 * famedly's by option; its content is built in membership-content.ts), refreshing it before it expires, the delayed leave event (MSC4157: scheduled
 * before joining, restarted as a keep-alive, sent on leave) with a fallback to a short expiry when
 * the host has no delayed events, clearing the membership on leave, rejoining when the membership
 * disappears while joined, and, on start, dealing with a membership this device left behind in an
 * earlier page life (cleared, or rejoined, by option). A listen-only join (the walkie-talkie's)
 * carries the listen-only marker in every write of that joining. Exposes the live memberships
 * (MembershipSet), which of them count as in the call, and re-dispatches its `change` event.
 * Never: opens media, talks to other devices, or sends call notifications.
 *
 * Writes are serialised: join, refresh, keep-alive recovery and leave never overlap.
 */
import {
  countsAsInCall,
  ELEMENT_MEMBER_EVENT,
  elementStateKey,
  FAMEDLY_MEMBER_EVENT,
  famedlyStateKey,
  isLiveAt,
  randomMembershipId,
  type CallMembership,
  type MembershipBackend,
} from '../signalling/membership/index.js';
import type { MatrixTransport } from '../transport/transport.js';
import { realClock, type MembershipClock } from './membership-clock.js';
import { leaveMembershipContent, ownMembershipContent } from './membership-content.js';
import { MembershipSet } from './membership-set.js';
import { DEFAULT_MEMBERSHIP_TIMINGS, type MembershipTimings } from './membership-timings.js';
import type { WrittenMembershipFormat } from './membership-needs.js';

// Its needs live in their own module, so they can be asked without loading the manager.
export { membershipNeeds, type WrittenMembershipFormat } from './membership-needs.js';

/** Whether a delayed leave event guards the membership. */
export type DelayedLeaveState = 'off' | 'active' | 'unsupported';

export interface MembershipManagerOptions {
  readonly transport: MatrixTransport;
  /** How this device's media travels: a mesh, or a LiveKit focus. */
  readonly backend: MembershipBackend;
  /** Default 'element'. */
  readonly format?: WrittenMembershipFormat;
  /** Default '' for Element's format and the room id for famedly's, as each writes it. */
  readonly callId?: string;
  /** MSC4196 `m.call.intent` ('audio' | 'video'), Element's format only. */
  readonly callIntent?: string;
  /** Room versions with owned state keys (MSC3757): state keys without the leading underscore. */
  readonly ownedStateKeys?: boolean;
  /** Use a delayed leave event when the host allows it. Default true. */
  readonly delayedLeave?: boolean;
  /** What start() does with a live membership of this device left from an earlier page life. */
  readonly staleOwnMembership?: 'clear' | 'rejoin';
  readonly clock?: MembershipClock;
  readonly timings?: Partial<MembershipTimings>;
  /** famedly's membershipID generator (a fresh one per joining). */
  readonly newMembershipId?: () => string;
  readonly log?: (message: string) => void;
}

export interface MembershipJoinOptions {
  /** The walkie-talkie's listen-only join: the membership carries the listen-only marker. */
  readonly listenOnly?: boolean;
  /** MSC4196 `m.call.intent` of this joining ('audio' | 'video'); default the manager's option. */
  readonly callIntent?: string;
}

export class MembershipManager extends EventTarget {
  /** The call's live memberships (this device's included), with their own `change` event. */
  readonly set: MembershipSet;

  private readonly transport: MatrixTransport;
  private readonly clock: MembershipClock;
  private readonly timings: MembershipTimings;
  private readonly format: WrittenMembershipFormat;
  private readonly eventType: string;
  private readonly stateKey: string;
  private readonly callId: string;
  private readonly log: (message: string) => void;

  private wantJoined = false;
  private writing = false;
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  private disposed = false;

  private delayId: string | undefined;
  private delayedState: DelayedLeaveState;
  /** This joining's creation time (created_ts), once the server has stamped the first write. */
  private createdTs: number | undefined;
  private expiresAt: number | undefined;
  private membershipId: string | undefined;
  /** This joining is the walkie-talkie's listen-only join (kept through refreshes and rejoins). */
  private listenOnly = false;
  private callIntent: string | undefined = undefined;
  private ownEventIdValue: string | undefined;
  private refreshTimer: unknown;
  private keepAliveTimer: unknown;

  constructor(private readonly options: MembershipManagerOptions) {
    super();
    this.transport = options.transport;
    this.clock = options.clock ?? realClock;
    this.timings = { ...DEFAULT_MEMBERSHIP_TIMINGS, ...options.timings };
    this.format = options.format ?? 'element';
    this.eventType = this.format === 'element' ? ELEMENT_MEMBER_EVENT : FAMEDLY_MEMBER_EVENT;
    const keyOptions = { ownedStateKeys: options.ownedStateKeys ?? false };
    this.stateKey =
      this.format === 'element'
        ? elementStateKey(this.transport.userId, this.transport.deviceId, keyOptions)
        : famedlyStateKey(this.transport.userId, this.transport.deviceId, keyOptions);
    this.callId = options.callId ?? (this.format === 'element' ? '' : this.transport.roomId);
    this.delayedState = options.delayedLeave === false ? 'off' : 'active';
    this.log = options.log ?? (() => undefined);
    this.set = new MembershipSet({ transport: this.transport, clock: this.clock, log: this.log });
    this.set.addEventListener('change', () => this.onSetChange());
  }

  /** Live memberships of the call, oldest first. Frozen; replaced on every change. */
  get memberships(): readonly CallMembership[] {
    return this.set.memberships;
  }

  /** This device's live membership, as the room state shows it. */
  get ownMembership(): CallMembership | undefined {
    return this.memberships.find(
      (m) => m.userId === this.transport.userId && m.deviceId === this.transport.deviceId,
    );
  }

  /** The other devices in the call. */
  get otherMemberships(): readonly CallMembership[] {
    return this.memberships.filter((m) => m !== this.ownMembership);
  }

  /**
   * The other devices that are in the call for others to see: all but listen-only joins. They make
   * the call `ongoing`; listen-only ones still get legs and subscriptions (they carry the walkie-talkie).
   */
  get otherMembershipsInCall(): readonly CallMembership[] {
    return this.otherMemberships.filter(countsAsInCall);
  }

  get joined(): boolean {
    return this.wantJoined;
  }

  /** 'active' while a delayed leave event guards the membership (or will, once joined). */
  get delayedLeave(): DelayedLeaveState {
    return this.delayedState;
  }

  /** The event id of this device's latest membership write (the notification refers to it). */
  get ownEventId(): string | undefined {
    return this.ownEventIdValue;
  }

  /** The state key this device writes its membership to. */
  get ownStateKey(): string {
    return this.stateKey;
  }

  /**
   * Reads the room's memberships and starts following them. A live membership of this device found
   * now is left over from an earlier page life: it is cleared, or rejoined, by option.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.set.start();
    const stale = this.set
      .membershipsOfDevice(this.transport.userId, this.transport.deviceId)
      .filter((m) => isLiveAt(m, this.clock.now()));
    if (stale.length === 0 || this.wantJoined) return;
    if (this.options.staleOwnMembership === 'rejoin') {
      this.log('found this device still in the call from before: rejoining');
      await this.join();
    } else {
      this.log('found this device still in the call from before: clearing it');
      await this.serial(() => this.clearStale(stale));
    }
  }

  /**
   * Joins the call: delayed leave first (when possible), then the membership. Rejects if the write
   * fails. Already joined, it does nothing (a listen-only join is left before joining with media).
   */
  async join(options: MembershipJoinOptions = {}): Promise<void> {
    if (this.disposed) throw new Error('MembershipManager is disposed');
    if (!this.started) await this.start();
    if (this.wantJoined) return;
    this.wantJoined = true;
    this.listenOnly = options.listenOnly ?? false;
    this.callIntent = options.callIntent ?? this.options.callIntent;
    this.createdTs = undefined;
    this.membershipId = (this.options.newMembershipId ?? randomMembershipId)();
    try {
      await this.serial(async () => {
        await this.scheduleDelayedLeave();
        await this.writeMembership();
        await this.confirmDelayedLeave();
      });
    } catch (error) {
      this.wantJoined = false;
      this.stopTimers();
      await this.serial(() => this.cancelDelayedLeave());
      throw error;
    }
    this.scheduleKeepAlive();
  }

  /** Leaves: sends the delayed leave now when there is one, else writes the leave itself. */
  async leave(): Promise<void> {
    if (!this.wantJoined) return;
    this.wantJoined = false;
    this.stopTimers();
    await this.serial(async () => {
      const delayId = this.delayId;
      this.delayId = undefined;
      // Element's leave is a fixed `{}`; famedly's depends on the user's other devices now.
      if (delayId !== undefined && this.format === 'element') {
        try {
          await this.transport.updateDelayedEvent(delayId, 'send');
          this.forgetJoining();
          return;
        } catch (error) {
          this.log(`sending the delayed leave failed (${String(error)}): writing the leave`);
        }
      } else if (delayId !== undefined) {
        await this.transport.updateDelayedEvent(delayId, 'cancel').catch(() => undefined);
      }
      await this.writeLeave();
      this.forgetJoining();
    });
  }

  /** Stops timers and listening. Does not leave: call leave() first for a clean exit. */
  dispose(): void {
    this.disposed = true;
    this.stopTimers();
    this.set.stop();
  }

  // ---- writing -------------------------------------------------------------------------------

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.writing = true;
      try {
        return await work();
      } finally {
        this.writing = false;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private lifetime(): number {
    return this.delayedState === 'active'
      ? this.timings.expiryWithDelayedLeaveMs
      : this.timings.expiryWithoutDelayedLeaveMs;
  }

  private ownContent(): object {
    return ownMembershipContent({
      format: this.format,
      userId: this.transport.userId,
      deviceId: this.transport.deviceId,
      backend: this.options.backend,
      callId: this.callId,
      now: this.clock.now(),
      lifetimeMs: this.lifetime(),
      createdTs: this.createdTs,
      callIntent: this.callIntent,
      membershipId: this.membershipId,
      listenOnly: this.listenOnly,
      currentContent: this.currentOwnContent(),
    });
  }

  private leaveContent(): object {
    return leaveMembershipContent(this.format, this.currentOwnContent(), this.transport.deviceId);
  }

  private currentOwnContent(): unknown {
    return this.set.rawEvent(this.eventType, this.stateKey)?.content;
  }

  private async writeMembership(): Promise<void> {
    const { event_id } = await this.transport.sendStateEvent(
      this.eventType,
      this.stateKey,
      this.ownContent(),
    );
    this.ownEventIdValue = event_id;
    if (this.createdTs === undefined) await this.learnCreatedTs(event_id);
    const own = this.set.membershipsOfDevice(this.transport.userId, this.transport.deviceId);
    const written = own.find((m) => m.eventId === event_id);
    this.expiresAt = written?.expiresAt ?? this.clock.now() + this.lifetime();
    this.scheduleRefresh();
  }

  /** Reads back the first write, so later writes carry its server timestamp as created_ts. */
  private async learnCreatedTs(eventId: string): Promise<void> {
    try {
      const [event] = await this.transport.readState(this.eventType, this.stateKey);
      if (event && event.event_id === eventId) {
        this.set.ingest(event);
        this.createdTs = event.origin_server_ts;
        return;
      }
    } catch (error) {
      this.log(`could not read back the membership: ${String(error)}`);
    }
    this.createdTs = this.clock.now();
  }

  private async writeLeave(): Promise<void> {
    await this.transport.sendStateEvent(this.eventType, this.stateKey, this.leaveContent());
  }

  private forgetJoining(): void {
    this.createdTs = undefined;
    this.expiresAt = undefined;
    this.ownEventIdValue = undefined;
  }

  private async clearStale(stale: readonly CallMembership[]): Promise<void> {
    for (const membership of stale) {
      if (membership.format === 'element-legacy') continue; // read only; it expires by itself
      const content = leaveMembershipContent(
        membership.format,
        this.set.rawEvent(membership.eventType, membership.stateKey)?.content,
        this.transport.deviceId,
      );
      try {
        await this.transport.sendStateEvent(membership.eventType, membership.stateKey, content);
      } catch (error) {
        this.log(`could not clear the old membership at ${membership.stateKey}: ${String(error)}`);
      }
    }
  }

  // ---- refresh -------------------------------------------------------------------------------

  private scheduleRefresh(delayMs?: number): void {
    this.clock.clearTimeout(this.refreshTimer);
    if (!this.wantJoined || this.expiresAt === undefined) return;
    const wait = delayMs ?? Math.max(0, this.expiresAt - this.timings.refreshHeadroomMs - this.clock.now());
    this.refreshTimer = this.clock.setTimeout(() => void this.refresh(), wait);
  }

  private async refresh(): Promise<void> {
    if (!this.wantJoined) return;
    try {
      await this.serial(async () => {
        if (!this.wantJoined) return;
        await this.writeMembership();
        await this.confirmDelayedLeave();
      });
    } catch (error) {
      this.log(`refreshing the membership failed (${String(error)}): retrying`);
      this.scheduleRefresh(this.timings.retryMs);
    }
  }

  // ---- delayed leave -------------------------------------------------------------------------

  private async scheduleDelayedLeave(): Promise<void> {
    if (this.delayedState === 'off') return;
    try {
      const { delay_id } = await this.transport.sendDelayedStateEvent(
        this.eventType,
        this.stateKey,
        this.leaveContent(),
        this.timings.delayedLeaveMs,
      );
      this.delayId = delay_id;
      this.delayedState = 'active';
    } catch (error) {
      this.log(`no delayed leave event (${String(error)}): the membership expires by itself instead`);
      this.delayId = undefined;
      this.delayedState = 'unsupported';
    }
  }

  /**
   * After a membership write: some servers cancel pending delayed state events for the key that was
   * just written, so restart ours at once and schedule a new one when it is gone.
   */
  private async confirmDelayedLeave(): Promise<void> {
    if (this.delayedState !== 'active') return;
    if (this.delayId !== undefined) {
      try {
        await this.transport.updateDelayedEvent(this.delayId, 'restart');
        return;
      } catch {
        this.delayId = undefined;
      }
    }
    await this.scheduleDelayedLeave();
    if ((this.delayedState as DelayedLeaveState) === 'unsupported') {
      // The membership was written with the long lifetime; without a delayed leave it must be short.
      await this.writeMembership();
    }
  }

  private async cancelDelayedLeave(): Promise<void> {
    const delayId = this.delayId;
    this.delayId = undefined;
    if (delayId !== undefined)
      await this.transport.updateDelayedEvent(delayId, 'cancel').catch(() => undefined);
  }

  private scheduleKeepAlive(): void {
    this.clock.clearTimeout(this.keepAliveTimer);
    if (!this.wantJoined || this.delayedState !== 'active') return;
    this.keepAliveTimer = this.clock.setTimeout(() => void this.keepAlive(), this.timings.keepAliveMs);
  }

  private async keepAlive(): Promise<void> {
    if (!this.wantJoined || this.delayedState !== 'active') return;
    const delayId = this.delayId;
    let restarted = false;
    if (delayId !== undefined) {
      try {
        await this.transport.updateDelayedEvent(delayId, 'restart');
        restarted = true;
      } catch (error) {
        this.log(`restarting the delayed leave failed (${String(error)}): scheduling a new one`);
      }
    }
    if (!restarted && this.wantJoined) {
      await this.serial(() => this.confirmDelayedLeave()).catch((error: unknown) => {
        this.log(`could not recover the delayed leave: ${String(error)}`);
      });
    }
    this.scheduleKeepAlive();
  }

  private stopTimers(): void {
    this.clock.clearTimeout(this.refreshTimer);
    this.clock.clearTimeout(this.keepAliveTimer);
    this.refreshTimer = undefined;
    this.keepAliveTimer = undefined;
  }

  // ---- following the room --------------------------------------------------------------------

  private onSetChange(): void {
    this.dispatchEvent(new Event('change'));
    // Joined, not writing, and the room no longer shows this device: the delayed leave fired (the
    // tab was asleep) or another page life cleared it. Join again as a fresh session.
    if (
      this.wantJoined &&
      !this.writing &&
      !this.disposed &&
      this.ownEventIdValue !== undefined &&
      !this.ownMembership
    ) {
      this.log('this device is no longer in the call: rejoining');
      void this.rejoin();
    }
  }

  private async rejoin(): Promise<void> {
    this.stopTimers();
    this.forgetJoining();
    this.membershipId = (this.options.newMembershipId ?? randomMembershipId)();
    this.delayId = undefined;
    if (this.delayedState !== 'off') this.delayedState = 'active';
    try {
      await this.serial(async () => {
        if (!this.wantJoined) return;
        await this.scheduleDelayedLeave();
        await this.writeMembership();
        await this.confirmDelayedLeave();
      });
      this.scheduleKeepAlive();
    } catch (error) {
      this.log(`rejoining failed (${String(error)}): trying again`);
      this.clock.clearTimeout(this.refreshTimer);
      this.refreshTimer = this.clock.setTimeout(() => {
        if (this.wantJoined && !this.ownMembership) void this.rejoin();
      }, this.timings.retryMs);
    }
  }
}
