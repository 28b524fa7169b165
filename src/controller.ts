/**
 * CallController: one per room. It owns the room's 1:1 calls, routes the room's m.call.* events to
 * them, applies the room rules (two people, not public), and publishes one immutable snapshot with a
 * `change` event after every transition. Elements read the snapshot and call the actions.
 *
 * Owns: asking the transport for what 1:1 calls need (and a clear error when refused), the room view,
 * catching up on invites from the timeline, routing by call_id (echoes of its own party ignored, invitee
 * honoured), glare, call waiting and busy, peer-left, TURN servers for every call, the calls list.
 * Never: builds or parses event contents itself (signalling/voip does), touches a peer connection
 * (PeerCall does), or throws from an action: failures land in `snapshot.error`.
 *
 * Decisions (docs/one-to-one-calls.md has the reasons):
 * - A refused capability at start puts the whole controller in status 'error' (capability-denied).
 *   Errors from actions (room rules, media) set `snapshot.error` and leave status 'ready'; the next
 *   successful place or answer clears it.
 * - Answering a waiting call holds the call in use (setting answerWaiting: 'hangup' ends it instead);
 *   resuming a held call holds the one in use, so only one call talks at a time.
 * - Placing a call while the other person's invite rings here answers theirs instead (glare seen by
 *   the user rather than the network).
 * - Invites in rooms that are public or not exactly two people never ring; invites from before the
 *   widget loaded ring when still alive (unsigned.age plus time since reading) and not yet settled.
 *
 * Least privilege (docs/security.md): the host is asked at start only for what 1:1 calls need, plus
 * what *showing* the room's group call needs (reading memberships, hearing its ringing: receive only).
 * What joining the group call needs (membership writes, delayed leave, the mesh's to-device or the
 * SFU's OpenID token and media keys) is asked on the first join; declining, on the first decline; the
 * walkie-talkie's needs (with the group call's, for its listen-only join) when the user first turns it
 * on. A refusal is said plainly when the user takes that action (capability-denied), and leaves the
 * other features working.
 *
 * Group calls (docs/group-calls.md): the room's group call lives in a GroupCallSession (mesh by
 * default, the LiveKit SFU by setting, its factory handed in so it is never imported here). Its code
 * loads when first needed (group-call-signs.ts): at start when the room's memberships show a call,
 * later on the first membership or call notification that does, or on the user's first group action
 * (join, decline, the walkie-talkie), which waits for it; until then the group view is an idle one
 * and call notifications that arrive while the code loads are handed to it once started. A refusal
 * of group needs only leaves 1:1 calls working and makes the group actions say which capability is
 * missing. CallActions with callId 'group'
 * (GROUP_CALL_ID) act on the group call. Only one call talks at a time: joining the group call holds
 * the 1:1 call in use; placing, answering or resuming a 1:1 call leaves the group call (MatrixRTC
 * calls have no hold).
 *
 * Walkie-talkie (docs/msc4002-walkie-talkie-protocol.md): the room's RoomWalkieTalkie (the engine, its
 * live path over the room's group call, mesh or SFU, and the listen-only join; src/ptt/), built when
 * the user first turns it on (until then snapshot.ptt is an 'off' view); a refusal of the needs it
 * cannot do without is said then. setPttOptIn, pttPress and pttRelease drive it and snapshot.ptt shows it.
 * An opted-in device stays in the room's group call: listen-only (no media opened) unless the user
 * joined it with media. Opting out leaves a listen-only join; joining with media replaces it; leaving
 * the call while opted in goes back to listen-only.
 */
import { PeerCall } from './call/peer-call.js';
import type { GroupCallBackendFactory } from './group/group-call-backend.js';
import { GROUP_CALL_ID } from './group/group-call-id.js';
import {
  groupCapabilityDeniedError,
  groupDeclineNeedsExplained,
  groupDisplayNeedsExplained,
  groupJoinNeedsExplained,
} from './group/session/group-call-needs.js';
import { isGroupCallSign, isGroupMembershipEvent } from './group/group-call-signs.js';
import type { ExplainedNeed } from './group/mesh/mesh-needs.js';
import { MEMBER_EVENT_TYPES } from './signalling/membership/event-types.js';
import type { GroupCallSession } from './group/session/group-call-session.js';
import { RINGING_EVENT_TYPES } from './signalling/ringing/event-types.js';
import type { CallClock, LocalMediaSource } from './call/peer-call-contract.js';
import { realCallClock, type PeerCallTimings } from './call/call-timings.js';
import { BrowserMediaSource, type ChosenDevices } from './media/local-media.js';
import { orderCalls, DEFAULT_ENDED_CALLS_KEPT } from './one-to-one/call-list.js';
import { resolveGlare } from './one-to-one/glare.js';
import { HandOverMediaSource } from './one-to-one/handover-media.js';
import { toIceServers } from './transport/ice-servers.js';
import { ageNow, isAlive } from './one-to-one/invite-liveness.js';
import { ringingLimitReason } from './one-to-one/ringing-limit.js';
import {
  capabilityDeniedError,
  JOIN_RULES_EVENT,
  MEMBER_EVENT,
  oneToOneCallNeeds,
} from './one-to-one/needs.js';
import { receiveRoomCallEvent, RoomCallSignaller } from './one-to-one/room-call-events.js';
import {
  buildRoomView,
  callRuleError,
  otherMember,
  readJoinRule,
  readMember,
  type MemberFact,
} from './one-to-one/room-rules.js';
import { mergeTimelineReads, openCallIds } from './one-to-one/timeline-catch-up.js';
import type { RoomWalkieTalkie } from './ptt/room-walkie-talkie.js';
import type { WalkieTalkie, WalkieTalkieOptions } from './ptt/walkie-talkie.js';
import { ALL_CALL_EVENT_TYPES, type CallInvite, type ReceivedCallEvent } from './signalling/voip/types.js';
import type {
  CallControllerApi,
  CallControllerView,
  CallKind,
  GroupBackend,
  GroupCallView,
  KitError,
  PersonView,
  PttView,
  RoomView,
} from './snapshot.js';
import { needCovers } from './transport/needs.js';
import { PendingActions } from './pending-actions.js';
import { kitErrorFromThrown, transportFailure } from './kit-errors.js';
import {
  CapabilityDeniedError,
  type MatrixTransport,
  type Need,
  type RawRoomEvent,
  type Unsubscribe,
} from './transport/transport.js';

export interface CallControllerSettings {
  /** Reject an incoming call at once (hangup user_busy) while another call is in progress. Default false. */
  readonly declineWhileBusy: boolean;
  /** What answering a waiting call does to the call in use: hold it (default) or hang it up. */
  readonly answerWaiting: 'hold' | 'hangup';
  /** How long our invites ring, in ms. Default 90 000 (the spec recommends at least 90 s). */
  readonly inviteLifetimeMs: number;
  /** Ended calls kept in the snapshot (newest first). Default 5. */
  readonly endedCallsKept: number;
  /** Events of each m.call.* type read from the timeline on start. Default 50. */
  readonly timelineLimit: number;
  /** Offer the room's group call (and ask for what it needs). Default true. */
  readonly groupCalls: boolean;
  /** What carries group calls: a mesh (default) or a LiveKit SFU (needs `groupBackends.livekit`). */
  readonly groupBackend: GroupBackend;
  /** Offer the room's walkie-talkie (MSC4002, and ask for what it needs). Default true. */
  readonly walkieTalkie: boolean;
}

export const DEFAULT_CONTROLLER_SETTINGS: CallControllerSettings = Object.freeze({
  declineWhileBusy: false,
  answerWaiting: 'hold',
  inviteLifetimeMs: 90_000,
  endedCallsKept: DEFAULT_ENDED_CALLS_KEPT,
  timelineLimit: 50,
  groupCalls: true,
  groupBackend: 'mesh',
  walkieTalkie: true,
});

/** A media source that can also remember chosen devices (BrowserMediaSource can). */
export type ControllerMediaSource = LocalMediaSource & { choose?(chosen: ChosenDevices): void };

export interface CallControllerOptions {
  readonly transport: MatrixTransport;
  /** Default: the browser's devices. */
  readonly media?: ControllerMediaSource;
  readonly clock?: CallClock;
  readonly settings?: Partial<CallControllerSettings>;
  /** Call time limits (candidate batching, ICE restarts); mostly for tests. */
  readonly timings?: Partial<PeerCallTimings>;
  /** Makes call ids; default random. Tests pass their own to set the glare order. */
  readonly newCallId?: () => string;
  /** Told about every m.call.* event the parser rejected; default console.debug. */
  readonly onRejectedEvent?: (reason: string, event: RawRoomEvent) => void;
  /**
   * Group call backends besides the built-in mesh. `livekit` is the SFU backend's factory (loaded by
   * the page, so the controller never imports it); `livekitNeeds` adds to what the SFU is asked for.
   */
  readonly groupBackends?: {
    readonly livekit?: GroupCallBackendFactory;
    readonly livekitNeeds?: readonly Need[];
  };
  /** Told what the group call does (legs, ringing); default nothing. */
  readonly groupLog?: (message: string) => void;
  /** Walkie-talkie options: pre-warmed microphone, floor timings, the page's audio output (tests). */
  readonly walkieTalkie?: Pick<WalkieTalkieOptions, 'prewarm' | 'timings' | 'playback' | 'livePath'>;
}

interface ManagedCall {
  readonly call: PeerCall;
  /** Order of creation, for the live list. */
  readonly order: number;
}

const CALL_TYPES: ReadonlySet<string> = new Set(ALL_CALL_EVENT_TYPES);
const GROUP_RINGING_TYPES: ReadonlySet<string> = new Set(RINGING_EVENT_TYPES);

const GROUP_CALLS_OFF: KitError = Object.freeze({
  code: 'capability-denied' as const,
  message: 'Group calls are turned off for this widget.',
});

const WALKIE_TALKIE_OFF: KitError = Object.freeze({
  code: 'capability-denied' as const,
  message: 'The walkie-talkie is turned off for this widget.',
});

/** A failure to join the group call that carries no kit code: said plainly, with the cause as detail. */
const groupJoinError = (error: unknown): KitError =>
  transportFailure('The group call could not be joined. Try again, or reload the widget.', error);
/** The walkie-talkie's code could not be fetched (the network, or a page updated under it). */
const walkieTalkieLoadError = (error: unknown): KitError =>
  transportFailure('The walkie-talkie could not be loaded. Reload the widget.', error);
const REMEMBERED_EVENT_IDS = 1_000;
/** Ringing events kept while the group call's code loads (a notification and its declines fit). */
const GROUP_EVENTS_KEPT_WHILE_LOADING = 20;

/** The walkie-talkie before the user first turns it on (its engine, and its needs, come then). */
const PTT_NOT_STARTED: PttView = Object.freeze({
  optedIn: false,
  floor: 'off' as const,
  // The engine's default limit (DEFAULT_FLOOR_TIMINGS), shown until the engine gives its own.
  maxTransmitMs: 30_000,
  queuedRecordings: 0,
});

function randomCallId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `c${Date.now().toString(36)}${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** An error from an action, as a KitError, or undefined when the call's own end reason says enough. */
function kitErrorOf(error: unknown): KitError | undefined {
  if (error instanceof CapabilityDeniedError) return capabilityDeniedError(error.denied);
  return kitErrorFromThrown(error);
}

const transportError = (error: unknown): KitError =>
  transportFailure('The widget could not talk to your Matrix client. Reload the widget.', error);

export class CallController extends EventTarget implements CallControllerApi {
  static create(options: CallControllerOptions): CallController {
    return new CallController(options);
  }

  private readonly transport: MatrixTransport;
  private readonly media: ControllerMediaSource;
  private readonly clock: CallClock;
  private readonly settings: CallControllerSettings;
  private readonly timings: Partial<PeerCallTimings>;
  private readonly newCallId: () => string;
  private readonly signaller: RoomCallSignaller;
  private readonly onRejectedEvent: (reason: string, event: RawRoomEvent) => void;
  private readonly groupBackends: NonNullable<CallControllerOptions['groupBackends']>;
  private readonly groupLog: (message: string) => void;

  private current: CallControllerView;
  private status: CallControllerView['status'] = 'starting';
  private error: KitError | undefined;
  private self: { userId: string; deviceId: string };
  private room: RoomView;
  private readonly members = new Map<string, MemberFact>();
  private joinRule: string | undefined;
  private iceServers: RTCIceServer[] = [];
  private readonly calls = new Map<string, ManagedCall>();
  /** Answer, hang up, join and leave, while they run: a second click does nothing twice. */
  private readonly guarded = new PendingActions(() => this.publish());
  /** call_ids of calls dropped from the list, so a repeat of their invite does not ring again. */
  private readonly forgotten = new Set<string>();
  private readonly seenEventIds = new Set<string>();
  private readonly unsubscribes: Unsubscribe[] = [];
  /** Room events that arrive while the timeline is read; handled after it. */
  private pending: RawRoomEvent[] | undefined = [];
  private chosen: ChosenDevices & { audioOutput?: string } = {};
  private callCounter = 0;
  /** The room's group call, once started; undefined when group calls are off or their needs were refused. */
  private group: GroupCallSession | undefined;
  /** The group call's code loading and the session starting, once something needed it. */
  private groupLoading: Promise<void> | undefined;
  /** Ringing events that arrived while the group call's code loaded (bounded); handed to it after. */
  private readonly groupEventsWhileLoading: RawRoomEvent[] = [];
  /** Why the group call cannot be used here (refused needs), told when a group action is taken. */
  private groupUnavailable: KitError | undefined;
  private idleGroupView: GroupCallView | undefined;
  /** The room's walkie-talkie, once started; undefined when off or its needs were refused. */
  private ptt: RoomWalkieTalkie | undefined;
  /** Why the walkie-talkie cannot be used here, told when it is turned on. */
  private pttUnavailable: KitError | undefined;
  /** The walkie-talkie being built (its needs asked, its code loaded) on the first opt-in. */
  private pttStarting: Promise<void> | undefined;
  private readonly pttOptions: NonNullable<CallControllerOptions['walkieTalkie']>;
  private started = false;
  private closed = false;

  constructor(options: CallControllerOptions) {
    super();
    this.transport = options.transport;
    this.media = options.media ?? new BrowserMediaSource();
    this.clock = options.clock ?? realCallClock;
    this.settings = { ...DEFAULT_CONTROLLER_SETTINGS, ...options.settings };
    this.timings = options.timings ?? {};
    this.newCallId = options.newCallId ?? randomCallId;
    this.groupBackends = options.groupBackends ?? {};
    this.groupLog = options.groupLog ?? (() => undefined);
    this.pttOptions = options.walkieTalkie ?? {};
    this.signaller = new RoomCallSignaller(this.transport);
    this.onRejectedEvent =
      options.onRejectedEvent ??
      ((reason, event) => console.debug(`matrix call kit: ignored ${event.event_id}: ${reason}`));
    this.self = { userId: this.transport.userId ?? '', deviceId: this.transport.deviceId ?? '' };
    this.room = buildRoomView(this.transport.roomId ?? '', this.self.userId, [], undefined);
    this.current = this.buildSnapshot();
  }

  get snapshot(): CallControllerView {
    return this.current;
  }

  /** The speaker the user chose with selectDevice('audiooutput', ...), for elements that play audio. */
  get audioOutputDeviceId(): string | undefined {
    return this.chosen.audioOutput;
  }

  /** The PeerCall behind a call id, for diagnostics and tests (statistics, the peer connection). */
  peerCall(callId: string): PeerCall | undefined {
    return this.calls.get(callId)?.call;
  }

  /**
   * Asks the host for what 1:1 calls need and what showing the group call needs (nothing more: see
   * "Least privilege" above), reads the room and recent call events, starts following the group call,
   * then listens. Never throws: a refusal of 1:1 needs or a broken transport puts the snapshot in
   * status 'error'; a refusal of group needs only disables the group call.
   */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    this.unsubscribes.push(this.transport.onRoomEvent((event) => this.onRoomEvent(event)));
    const oneToOne = oneToOneCallNeeds();
    const groupExplained = this.settings.groupCalls ? groupDisplayNeedsExplained() : [];
    let refused: readonly Need[];
    try {
      refused = await this.transport.start([...oneToOne, ...groupExplained.map((e) => e.need)]);
    } catch (error) {
      this.failStart(
        error instanceof CapabilityDeniedError ? capabilityDeniedError(error.denied) : transportError(error),
      );
      return;
    }
    this.self = { userId: this.transport.userId, deviceId: this.transport.deviceId };
    const refusedOneToOne = refused.filter((r) =>
      oneToOne.some((need) => needCovers(need, r) || needCovers(r, need)),
    );
    if (refusedOneToOne.length > 0) {
      this.failStart(capabilityDeniedError(refusedOneToOne));
      return;
    }
    const refusedOf = (needs: readonly Need[]) =>
      refused.filter((r) => needs.some((need) => needCovers(need, r) || needCovers(r, need)));
    const refusedGroup = refusedOf(groupExplained.map((e) => e.need));
    if (refusedGroup.length > 0)
      this.groupUnavailable = groupCapabilityDeniedError(refusedGroup, groupExplained);
    try {
      await this.readRoom();
      this.unsubscribes.push(
        this.transport.onTurnServers((servers) => this.setIceServers(toIceServers(servers))),
      );
      await this.catchUpFromTimeline();
      if (this.settings.groupCalls && (await this.roomShowsGroupCall())) await this.loadGroup();
    } catch (error) {
      this.failStart(
        error instanceof CapabilityDeniedError ? capabilityDeniedError(error.denied) : transportError(error),
      );
      return;
    }
    if (this.closed) return;
    this.status = 'ready';
    const waiting = this.pending ?? [];
    this.pending = undefined;
    for (const event of waiting) this.handleRoomEvent(event);
    this.publish();
  }

  /** Stops listening; live calls are hung up (ringing ones only stop ringing here), the group call is left. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.group?.dispose();
    this.ptt?.close();
    for (const { call } of this.calls.values()) {
      if (call.ended) continue;
      if (call.view.state === 'ringing') call.terminate('dismissed', 'local');
      else void call.hangup('user_hangup');
    }
  }

  // ---- actions ----------------------------------------------------------------------------------

  async placeCall(kind: CallKind): Promise<void> {
    if (this.status !== 'ready') return;
    const ruleError = callRuleError(this.room);
    const peer = otherMember(this.room, this.self.userId);
    if (ruleError || !peer) {
      this.setError(ruleError ?? callRuleError({ ...this.room, canCall: false })!);
      return;
    }
    await this.leaveGroupForOneToOne();
    // Their invite already rings here: answering it is what calling them back means.
    const theirs = this.liveCalls().find(
      (c) =>
        c.view.direction === 'incoming' && c.view.state === 'ringing' && c.view.peer.userId === peer.userId,
    );
    if (theirs) {
      await this.answer(theirs.callId, kind);
      return;
    }
    if (this.liveCalls().some((c) => c.view.direction === 'outgoing')) return;
    this.setError(undefined);
    this.holdOrEndCallsInUse(undefined);
    const call = this.createCall(this.newCallId(), peer, kind);
    this.publish();
    try {
      await call.place();
    } catch (error) {
      this.setError(kitErrorOf(error));
    }
  }

  answer(callId: string, kind?: CallKind): Promise<void> {
    return this.guarded.run('answer', callId, () => this.answerNow(callId, kind));
  }

  private async answerNow(callId: string, kind?: CallKind): Promise<void> {
    const call = this.liveCall(callId);
    if (!call || call.view.direction !== 'incoming' || call.view.state !== 'ringing') return;
    const ruleError = callRuleError(this.room);
    if (ruleError) {
      this.setError(ruleError);
      return;
    }
    this.setError(undefined);
    this.holdOrEndCallsInUse(call);
    await this.leaveGroupForOneToOne();
    try {
      await call.answer(kind);
    } catch (error) {
      this.setError(kitErrorOf(error));
    }
  }

  async reject(callId: string): Promise<void> {
    await this.liveCall(callId)?.reject();
  }

  hangup(callId: string): Promise<void> {
    return this.guarded.run('hangup', callId, async () => {
      await this.liveCall(callId)?.hangup('user_hangup');
    });
  }

  dismiss(callId: string): void {
    if (this.group?.dismiss(callId)) return;
    const call = this.liveCall(callId);
    if (call?.view.direction === 'incoming' && call.view.state === 'ringing')
      call.terminate('dismissed', 'local');
  }

  async setMicMuted(callId: string, muted: boolean): Promise<void> {
    if (callId === GROUP_CALL_ID) await this.guard(this.group?.setMicMuted(muted));
    else await this.guard(this.liveCall(callId)?.setMicMuted(muted));
  }

  async setCameraMuted(callId: string, muted: boolean): Promise<void> {
    if (callId === GROUP_CALL_ID) await this.guard(this.group?.setCameraMuted(muted));
    else await this.guard(this.liveCall(callId)?.setCameraMuted(muted));
  }

  async setHold(callId: string, onHold: boolean): Promise<void> {
    const call = this.liveCall(callId);
    if (!call) return;
    if (!onHold) {
      this.holdOrEndCallsInUse(call, 'hold');
      await this.leaveGroupForOneToOne();
    }
    await this.guard(call.setHold(onHold));
  }

  async setScreenSharing(callId: string, sharing: boolean): Promise<void> {
    if (callId === GROUP_CALL_ID) await this.guard(this.group?.setScreenSharing(sharing));
    else await this.guard(this.liveCall(callId)?.setScreenSharing(sharing));
  }

  // ---- group call actions -------------------------------------------------------------------------

  /**
   * Joins the room's group call, or starts it (ringing the room when nobody is in it yet). A 1:1 call
   * in use is put on hold first. Failures land in `snapshot.error`.
   */
  joinGroupCall(kind: CallKind): Promise<void> {
    return this.guarded.run('joinGroupCall', GROUP_CALL_ID, () => this.joinGroupCallNow(kind));
  }

  private async joinGroupCallNow(kind: CallKind): Promise<void> {
    if (this.status !== 'ready') return;
    await this.loadGroup();
    if (!this.group) {
      this.setError(this.groupUnavailable ?? GROUP_CALLS_OFF);
      return;
    }
    this.setError(undefined);
    const group = this.group;
    const refused = await this.askFor(this.groupJoinNeeds());
    if (refused) {
      this.setError(refused);
      return;
    }
    this.holdOrEndCallsInUse(undefined, 'hold');
    const join = () => group.join(kind);
    try {
      // The walkie-talkie's listen-only join gives way to a join with media.
      await (this.ptt ? this.ptt.whileJoiningWithMedia(join) : join());
    } catch (error) {
      this.setError(kitErrorOf(error) ?? groupJoinError(error));
    }
  }

  leaveGroupCall(): Promise<void> {
    return this.guarded.run('leaveGroupCall', GROUP_CALL_ID, () => this.guard(this.group?.leave()));
  }

  /** Declines the group call that rings here: the room is told (MSC4310), and ringing stops. */
  async declineGroupCall(): Promise<void> {
    await this.loadGroup();
    if (!this.group) {
      if (this.groupUnavailable) this.setError(this.groupUnavailable);
      return;
    }
    const refused = await this.askFor(groupDeclineNeedsExplained());
    if (refused) {
      this.setError(refused);
      return;
    }
    try {
      await this.group.decline();
    } catch (error) {
      this.setError(kitErrorOf(error) ?? transportError(error));
    }
  }

  // ---- walkie-talkie actions --------------------------------------------------------------------

  /** Opts this device in to (or out of) the room's walkie-talkie: hearing it, and talking on it. */
  async setPttOptIn(on: boolean): Promise<void> {
    if (this.status !== 'ready') return;
    if (!this.settings.walkieTalkie) {
      this.setError(WALKIE_TALKIE_OFF);
      return;
    }
    // Turned on for the first time: ask for what it needs, then build it.
    if (!this.ptt && on) await (this.pttStarting ??= this.startWalkieTalkie());
    if (!this.ptt) {
      if (on) this.setError(this.pttUnavailable ?? WALKIE_TALKIE_OFF);
      return;
    }
    this.setError(undefined);
    await this.guard(this.ptt.setOptIn(on));
  }

  /** Asks for the floor (the button went down). */
  pttPress(): void {
    this.ptt?.press();
  }

  /** Gives the floor back, or withdraws the request (the button went up). */
  pttRelease(): void {
    this.ptt?.release();
  }

  /** Plays one of snapshot.ptt.transmissions now (by its id); a paused one goes on where it was. */
  pttPlay(id: string): void {
    this.ptt?.play(id);
  }

  /** Pauses the walkie-talkie message that plays; nothing queued starts until pttPlay. */
  pttPause(): void {
    this.ptt?.pause();
  }

  /** The room's walkie-talkie engine, for diagnostics and tests. */
  get walkieTalkie(): WalkieTalkie | undefined {
    return this.ptt?.engine;
  }

  /** How loud a group call participant plays here, 0..1. */
  setParticipantVolume(userId: string, deviceId: string, volume: number): void {
    this.group?.setParticipantVolume(userId, deviceId, volume);
  }

  /** The room's group call, for diagnostics and tests (its backend, the notification it sent). */
  get groupCall(): GroupCallSession | undefined {
    return this.group;
  }

  sendDtmf(callId: string, tones: string): void {
    this.liveCall(callId)?.sendDtmf(tones);
  }

  /**
   * Remembers the device for the next getUserMedia (microphone, camera) or for playback (speaker).
   * Calls in progress keep the devices they have.
   */
  async selectDevice(kind: MediaDeviceKind, deviceId: string): Promise<void> {
    if (kind === 'audiooutput') {
      this.chosen = { ...this.chosen, audioOutput: deviceId };
      return;
    }
    const choice: ChosenDevices = kind === 'audioinput' ? { audioInput: deviceId } : { videoInput: deviceId };
    this.chosen = { ...this.chosen, ...choice };
    this.media.choose?.(choice);
  }

  // ---- group call -------------------------------------------------------------------------------

  /**
   * Loads and starts the group call (once; later calls wait for the same). Nothing when group calls
   * are off or their needs were refused.
   */
  private loadGroup(): Promise<void> {
    if (!this.settings.groupCalls || this.groupUnavailable || this.closed) return Promise.resolve();
    return (this.groupLoading ??= this.startGroup());
  }

  /** At start: whether the room's memberships show a group call (group-call-signs.ts). */
  private async roomShowsGroupCall(): Promise<boolean> {
    if (this.groupUnavailable) return false;
    try {
      const reads = await Promise.all(MEMBER_EVENT_TYPES.map((type) => this.transport.readState(type)));
      return reads.some((events) => events.some(isGroupCallSign));
    } catch {
      // The session reads them again and says what went wrong.
      return true;
    }
  }

  /** A membership or ringing event before the group call's code is there: a sign loads it. */
  private onGroupEventBeforeLoad(raw: RawRoomEvent): void {
    if (!this.settings.groupCalls || this.groupUnavailable) return;
    const sign = isGroupCallSign(raw);
    if (GROUP_RINGING_TYPES.has(raw.type) && (sign || this.groupLoading)) {
      this.groupEventsWhileLoading.push(raw);
      if (this.groupEventsWhileLoading.length > GROUP_EVENTS_KEPT_WHILE_LOADING)
        this.groupEventsWhileLoading.shift();
    }
    if (sign) void this.loadGroup();
  }

  private async startGroup(): Promise<void> {
    if (this.groupUnavailable || this.closed) return;
    // Loaded when first needed (see loadGroup), so pages that never see a group call never load it.
    let GroupCallSession: typeof import('./group/session/group-call-session.js').GroupCallSession;
    try {
      ({ GroupCallSession } = await import('./group/session/group-call-session.js'));
    } catch (error) {
      // The code could not be fetched: the group call stays unavailable here; 1:1 calls go on.
      this.groupLog(`the group call code could not load: ${String(error)}`);
      this.groupUnavailable = groupJoinError(error);
      this.groupEventsWhileLoading.length = 0;
      return;
    }
    if (this.closed) return;
    const group = new GroupCallSession({
      transport: this.transport,
      media: this.media,
      backend: this.settings.groupBackend,
      factories: this.groupBackends.livekit ? { livekit: this.groupBackends.livekit } : {},
      clock: this.clock,
      iceServers: this.iceServers,
      describe: (userId) => this.describe(userId),
      joinedMemberCount: () => this.room.members.length,
      log: this.groupLog,
    });
    this.group = group;
    let toldGroupError: KitError | undefined;
    group.addEventListener('change', () => {
      // A call that ended by itself (the SFU went away) leaves its reason on the backend: say it.
      const groupError = group.error;
      if (groupError && groupError !== toldGroupError && group.view.state === 'idle') {
        toldGroupError = groupError;
        this.error = groupError;
      }
      if (!this.closed) this.publish();
    });
    try {
      await group.start();
      for (const raw of this.groupEventsWhileLoading.splice(0)) group.handleRoomEvent(raw);
    } catch (error) {
      // The group call cannot follow the room; 1:1 calls are not affected.
      this.groupLog(`the group call could not start: ${String(error)}`);
      group.dispose();
      this.group = undefined;
      this.groupEventsWhileLoading.length = 0;
      this.groupUnavailable =
        error instanceof CapabilityDeniedError
          ? groupCapabilityDeniedError(error.denied, [])
          : groupJoinError(error);
    }
    // Loaded after start (a sign, or the user's first group action): show what it found.
    if (this.status === 'ready' && !this.closed) this.publish();
  }

  /**
   * Asks the host for needs a feature is about to use (the transport sends only new ones to the host).
   * Undefined when all were granted, else the error to show: which capability, and why.
   */
  private async askFor(explained: readonly ExplainedNeed[]): Promise<KitError | undefined> {
    let refused: readonly Need[];
    try {
      refused = await this.transport.start(explained.map((e) => e.need));
    } catch (error) {
      return transportError(error);
    }
    return refused.length > 0 ? groupCapabilityDeniedError(refused, explained) : undefined;
  }

  /** What joining the group call needs on the backend it would join now. */
  private groupJoinNeeds(): ExplainedNeed[] {
    const backend = this.group?.view.backend ?? this.settings.groupBackend;
    return groupJoinNeedsExplained(
      this.transport,
      backend,
      backend === 'mesh' ? [] : this.groupBackends.livekitNeeds,
    );
  }

  /**
   * Builds the walkie-talkie when the user first turns it on: asks for its needs (with the group
   * call's, for its listen-only join over the mesh or SFU) in one request. A refusal of what it cannot
   * do without leaves it off and is said; a refusal of the group call's needs leaves it on the room
   * events alone (no live audio).
   */
  private async startWalkieTalkie(): Promise<void> {
    if (this.pttUnavailable || this.closed) return;
    // Its live path and listen-only join ride on the group call.
    await this.loadGroup();
    if (this.closed) return;
    // Its needs, like its code, load on the first opt-in.
    let needs: typeof import('./ptt/walkie-needs.js');
    try {
      needs = await import('./ptt/walkie-needs.js');
    } catch (error) {
      this.pttUnavailable = walkieTalkieLoadError(error);
      return;
    }
    const { isOptionalWalkieTalkieNeed, walkieTalkieDeniedError, walkieTalkieNeeds } = needs;
    const pttNeeds = walkieTalkieNeeds(this.self);
    const groupNeeds = this.group ? this.groupJoinNeeds().map((e) => e.need) : [];
    let refused: readonly Need[];
    try {
      refused = await this.transport.start([...pttNeeds, ...groupNeeds]);
    } catch (error) {
      this.pttUnavailable = transportError(error);
      return;
    }
    const refusedPtt = refused.filter(
      (r) =>
        !isOptionalWalkieTalkieNeed(r) && pttNeeds.some((need) => needCovers(need, r) || needCovers(r, need)),
    );
    if (refusedPtt.length > 0) {
      this.pttUnavailable = walkieTalkieDeniedError(refusedPtt);
      return;
    }
    if (this.closed) return;
    // Loaded on the first opt-in, so pages that never use it never load it.
    let RoomWalkieTalkie: typeof import('./ptt/room-walkie-talkie.js').RoomWalkieTalkie;
    try {
      ({ RoomWalkieTalkie } = await import('./ptt/room-walkie-talkie.js'));
    } catch (error) {
      this.pttUnavailable = walkieTalkieLoadError(error);
      return;
    }
    if (this.closed) return;
    const ptt = new RoomWalkieTalkie({
      transport: this.transport,
      media: this.media,
      clock: this.clock,
      describe: (userId) => this.describe(userId),
      group: this.group,
      engine: this.pttOptions,
      log: this.groupLog,
    });
    this.ptt = ptt;
    ptt.addEventListener('change', () => {
      if (!this.closed) this.publish();
    });
    try {
      await ptt.start();
    } catch (error) {
      // Like the group call: the walkie-talkie failing to start leaves calls working.
      ptt.close();
      this.ptt = undefined;
      this.pttUnavailable = kitErrorOf(error) ?? transportError(error);
    }
  }

  /** Before a 1:1 call talks: the group call has no hold, so this device leaves it. */
  private async leaveGroupForOneToOne(): Promise<void> {
    const group = this.group;
    if (!group || group.view.state === 'idle') return;
    await this.guard(group.leave());
  }

  private describe(userId: string): PersonView {
    return this.room.members.find((m) => m.userId === userId) ?? { userId, displayName: userId };
  }

  // ---- start ------------------------------------------------------------------------------------

  private failStart(error: KitError): void {
    this.status = 'error';
    this.error = error;
    this.pending = undefined;
    this.publish();
  }

  private async readRoom(): Promise<void> {
    const [members, joinRules] = await Promise.all([
      this.transport.readState(MEMBER_EVENT),
      this.transport.readState(JOIN_RULES_EVENT, ''),
    ]);
    for (const event of members) {
      const member = readMember(event);
      if (member) this.members.set(member.userId, member);
    }
    const rule = joinRules[0];
    this.joinRule = rule ? readJoinRule(rule) : undefined;
    this.updateRoom();
  }

  private async catchUpFromTimeline(): Promise<void> {
    const limit = this.settings.timelineLimit;
    const reads = await Promise.all(
      ALL_CALL_EVENT_TYPES.map((type) => this.transport.readTimeline(type, limit)),
    );
    const readAt = this.clock.now();
    const received: ReceivedCallEvent[] = [];
    for (const raw of mergeTimelineReads(reads)) {
      this.remember(raw.event_id);
      const parsed = this.parse(raw, readAt);
      if (parsed) received.push(parsed);
    }
    const open = openCallIds(received.map((r) => r.event));
    for (const event of received) if (open.has(event.event.call_id)) this.routeCallEvent(event);
  }

  // ---- incoming room events ---------------------------------------------------------------------

  private onRoomEvent(event: RawRoomEvent): void {
    if (this.closed) return;
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    if (this.status !== 'ready') return;
    try {
      this.handleRoomEvent(event);
    } catch (error) {
      // Nothing a room event carries may break the transport's delivery loop.
      this.onRejectedEvent(error instanceof Error ? error.message : String(error), event);
    }
  }

  private handleRoomEvent(raw: RawRoomEvent): void {
    if (raw.room_id !== this.room.roomId || !this.remember(raw.event_id)) return;
    if (raw.type === MEMBER_EVENT && raw.state_key !== undefined) {
      this.onMember(raw);
    } else if (raw.type === JOIN_RULES_EVENT && raw.state_key === '') {
      this.joinRule = readJoinRule(raw) ?? this.joinRule;
      this.updateRoom();
      this.publish();
    } else if (CALL_TYPES.has(raw.type)) {
      const received = this.parse(raw, this.clock.now());
      const refused = received && this.routeCallEvent(received);
      if (refused) this.onRejectedEvent(refused, raw);
    } else if (GROUP_RINGING_TYPES.has(raw.type)) {
      if (this.group) this.group.handleRoomEvent(raw);
      else this.onGroupEventBeforeLoad(raw);
    } else if (!this.group && isGroupMembershipEvent(raw)) {
      this.onGroupEventBeforeLoad(raw);
    }
  }

  private parse(raw: RawRoomEvent, receivedAt: number): ReceivedCallEvent | undefined {
    const parsed = receiveRoomCallEvent(raw, receivedAt);
    if (parsed.ok) return parsed.value;
    try {
      this.onRejectedEvent(parsed.reason, raw);
    } catch {
      // A logger that throws must not stop the calls.
    }
    return undefined;
  }

  /** False when the event was seen already (read from the timeline and then delivered, say). */
  private remember(eventId: string): boolean {
    if (this.seenEventIds.has(eventId)) return false;
    this.seenEventIds.add(eventId);
    if (this.seenEventIds.size > REMEMBERED_EVENT_IDS) {
      const oldest = this.seenEventIds.values().next().value;
      if (oldest !== undefined) this.seenEventIds.delete(oldest);
    }
    return true;
  }

  private onMember(raw: RawRoomEvent): void {
    const member = readMember(raw);
    if (!member) return;
    this.members.set(member.userId, member);
    this.updateRoom();
    if (member.membership !== 'join' && member.userId !== this.self.userId) {
      for (const call of this.liveCalls()) {
        if (call.view.peer.userId === member.userId) call.terminate('peer_left', 'remote');
      }
    }
    this.publish();
  }

  /** Returns why an invite was refused, when it was for a reason worth reporting. */
  private routeCallEvent(received: ReceivedCallEvent): string | undefined {
    const event = received.event;
    // Our own events come back from the server: not news.
    if (received.sender === this.self.userId && event.party_id === this.self.deviceId) return;
    const managed = this.calls.get(event.call_id);
    if (managed) {
      managed.call.handle(received);
      return;
    }
    if (event.kind === 'invite' && !this.forgotten.has(event.call_id)) {
      return this.onInvite(received as ReceivedCallEvent & { readonly event: CallInvite });
    }
    return undefined;
  }

  private onInvite(received: ReceivedCallEvent & { readonly event: CallInvite }): string | undefined {
    const invite = received.event;
    const now = this.clock.now();
    // My other device calling out, someone else's call, a room where calls may not ring, or too old.
    if (received.sender === this.self.userId) return;
    if (invite.invitee !== undefined && invite.invitee !== this.self.userId) return;
    const peer = otherMember(this.room, this.self.userId);
    if (!peer || peer.userId !== received.sender) return;
    if (!isAlive(received, now)) return;
    const limit = ringingLimitReason(this.liveCalls().map((c) => c.view));
    if (limit) return limit;
    const fresh: ReceivedCallEvent = { ...received, ageOnReceipt: ageNow(received, now), receivedAt: now };

    const outgoing = this.liveCalls().find(
      (c) => c.view.direction === 'outgoing' && c.view.peer.userId === received.sender,
    );
    if (outgoing) {
      const outcome = resolveGlare({ callId: outgoing.callId, state: outgoing.view.state }, invite.call_id);
      if (outcome === 'ignore-incoming') return;
      if (outcome === 'answer-incoming') {
        const kind = outgoing.view.kind;
        const stream = outgoing.localUserMedia;
        void outgoing.replaceInGlare();
        const call = this.createCall(invite.call_id, peer, kind, new HandOverMediaSource(this.media, stream));
        call.handle(fresh);
        this.publish();
        void this.answer(call.callId, kind);
        return;
      }
    }

    const busy = this.liveCalls().some(
      (c) => !(c.view.direction === 'incoming' && c.view.state === 'ringing'),
    );
    const call = this.createCall(invite.call_id, peer, 'voice');
    call.handle(fresh);
    if (busy && this.settings.declineWhileBusy) void call.hangup('user_busy');
    else if (busy) call.setWaiting(true);
    this.publish();
    return undefined;
  }

  // ---- calls ------------------------------------------------------------------------------------

  private createCall(
    callId: string,
    peer: PersonView,
    kind: CallKind,
    media: LocalMediaSource = this.media,
  ): PeerCall {
    const call = new PeerCall(
      {
        callId,
        partyId: this.self.deviceId,
        self: { ...this.self },
        peer: {
          userId: peer.userId,
          displayName: peer.displayName,
          ...(peer.avatarUrl !== undefined ? { avatarUrl: peer.avatarUrl } : {}),
        },
        kind,
        signaller: this.signaller,
        media,
        iceServers: this.iceServers,
        clock: this.clock,
        inviteLifetimeMs: this.settings.inviteLifetimeMs,
      },
      this.timings,
    );
    const managed: ManagedCall = { call, order: this.callCounter++ };
    this.calls.set(callId, managed);
    call.addEventListener('change', () => this.onCallChange(managed));
    return call;
  }

  private onCallChange(managed: ManagedCall): void {
    if (managed.call.ended) {
      // A waiting call rings as a plain call once nothing else is in progress.
      const inProgress = this.liveCalls().some(
        (c) => !(c.view.direction === 'incoming' && c.view.state === 'ringing'),
      );
      if (!inProgress) for (const call of this.liveCalls()) if (call.view.waiting) call.setWaiting(false);
    }
    this.publish();
  }

  /** Before `next` starts talking: hold (or end) the calls in use, so only one call talks at a time. */
  private holdOrEndCallsInUse(
    next: PeerCall | undefined,
    how: 'hold' | 'hangup' = this.settings.answerWaiting,
  ): void {
    for (const call of this.liveCalls()) {
      if (call === next || call.view.onHold) continue;
      const state = call.view.state;
      if (state !== 'connecting' && state !== 'connected') continue;
      if (how === 'hold') void this.guard(call.setHold(true));
      else void call.hangup('user_hangup');
    }
  }

  private liveCall(callId: string): PeerCall | undefined {
    const call = this.calls.get(callId)?.call;
    return call && !call.ended ? call : undefined;
  }

  private liveCalls(): PeerCall[] {
    return [...this.calls.values()]
      .filter((m) => !m.call.ended)
      .sort((a, b) => a.order - b.order)
      .map((m) => m.call);
  }

  private setIceServers(servers: RTCIceServer[]): void {
    this.iceServers = servers;
    for (const call of this.liveCalls()) call.setIceServers(servers);
  }

  // ---- snapshot ---------------------------------------------------------------------------------

  private async guard(action: Promise<void> | undefined): Promise<void> {
    try {
      await action;
    } catch (error) {
      this.setError(kitErrorOf(error));
    }
  }

  private setError(error: KitError | undefined): void {
    if (this.error === error) return;
    this.error = error;
    this.publish();
  }

  private updateRoom(): void {
    this.room = buildRoomView(
      this.room.roomId || this.transport.roomId,
      this.self.userId,
      this.members.values(),
      this.joinRule,
    );
  }

  private pruneEnded(): void {
    const ended = [...this.calls.values()]
      .filter((m) => m.call.ended)
      .sort((a, b) => (b.call.view.endedAt ?? 0) - (a.call.view.endedAt ?? 0) || b.order - a.order);
    for (const old of ended.slice(this.settings.endedCallsKept)) {
      this.calls.delete(old.call.callId);
      this.forgotten.add(old.call.callId);
    }
  }

  private buildSnapshot(): CallControllerView {
    const managed = [...this.calls.values()].sort((a, b) => a.order - b.order);
    const live = managed.filter((m) => !m.call.ended).map((m) => m.call.view);
    const ended = managed.filter((m) => m.call.ended).map((m) => m.call.view);
    return Object.freeze({
      status: this.status,
      ...(this.error ? { error: this.error } : {}),
      self: Object.freeze({ ...this.self }),
      room: this.room,
      calls: orderCalls(live, ended, this.settings.endedCallsKept),
      pending: this.guarded.pending,
      ...(this.settings.groupCalls ? { group: this.groupView() } : {}),
      ...(this.ptt ? { ptt: this.ptt.view } : this.settings.walkieTalkie ? { ptt: PTT_NOT_STARTED } : {}),
    });
  }

  /** The group call's view; while it cannot be used, an idle one (joining then says why). */
  private groupView(): GroupCallView {
    if (this.group) return this.group.view;
    this.idleGroupView ??= Object.freeze({
      state: 'idle' as const,
      // 'auto' picks a backend per call; with no call to follow, a new one starts on the preference.
      backend:
        this.settings.groupBackend !== 'auto'
          ? this.settings.groupBackend
          : this.groupBackends.livekit?.preferredForNewCalls
            ? 'livekit'
            : 'mesh',
      ongoing: false,
      participants: Object.freeze([]),
    });
    return this.idleGroupView;
  }

  private publish(): void {
    this.pruneEnded();
    this.current = this.buildSnapshot();
    this.dispatchEvent(new Event('change'));
  }
}
