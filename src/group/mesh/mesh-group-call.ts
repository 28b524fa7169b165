/**
 * MeshGroupCall: the room's group call over a full mesh, one PeerCall per other device, m.call.*
 * over to-device.
 *
 * Owns: joining (local media opened once, then the membership written with the mesh backend) and
 * leaving (legs hung up, membership cleared, media stopped); the legs, placed and ended as MeshPlanner
 * (mesh-planner.ts) decides from the live memberships, and retried with backoff when they fail;
 * routing received leg events by device and call_id, and taking the invites MeshPlanner accepts (those
 * that come before their sender's membership, or while joining, wait in PendingInvites); mute, camera
 * and screen share applied to every leg at once (so their updates leave in one to-device request);
 * per-participant volume; and the frozen GroupCallView (assembled by mesh-call-view.ts, with the
 * speakers from SpeakingSampler) it publishes through the shared BackendLifecycle with a `change` event
 * after every transition. For the walkie-talkie (docs/mesh.md, "Walkie-talkie on the mesh"): the
 * listen-only join (no media opened), and `liveAudio`, the typed fast path kept by MeshLiveLegs
 * (mesh-live-legs.ts: floor channels and live audio per leg), which it tells when a leg starts and ends.
 * Never: decides which legs to place or end or which invites to take (MeshPlanner does), touches the
 * DOM or plays audio (elements apply `volume` to their media elements), parses raw JSON
 * (mesh-signalling.ts does), writes memberships itself (the MembershipManager does), keeps
 * floor-channel or live-audio state itself (MeshLiveLegs does), or times held invites itself
 * (PendingInvites does).
 */
import type { CallClock } from '../../call/peer-call-contract.js';
import { realCallClock } from '../../call/call-timings.js';
import { toIceServers } from '../../transport/ice-servers.js';
import type { CallKind, GroupCallState, GroupCallView, KitError, PersonView } from '../../snapshot.js';
import type { MatrixTransport, Unsubscribe } from '../../transport/transport.js';
import type { GroupCallBackend } from '../group-call-backend.js';
import type { MeshLiveAudio } from '../live-audio.js';
import { MembershipManager } from '../membership-manager.js';
import { BackendLifecycle } from '../backend-lifecycle.js';
import { RoomEncryption } from '../room-encryption.js';
import type { LegEndReason } from './leg-plan.js';
import type { JoinOptions, MeshGroupCallOptions } from './mesh-call-options.js';
import { createMeshLeg, randomCallId, summarizeLeg, type Leg, type LegSummary } from './mesh-leg.js';
import { meshCallView } from './mesh-call-view.js';
import { MeshCallFullError, MeshPlanner } from './mesh-planner.js';
import { MeshSignalling, type ReceivedLegEvent } from './mesh-signalling.js';
import { MeshLiveLegs } from './mesh-live-legs.js';
import { legKey, placesCallTo, type MeshPeer } from './mesh-peer.js';
import { DEFAULT_MESH_TIMINGS, MESH_PARTICIPANT_LIMIT, type MeshTimings } from './mesh-timings.js';
import { PendingInvites } from './pending-invites.js';
import { IncomingLegs } from './incoming-legs.js';
import { RetrySchedule } from './retry-backoff.js';
import { SharedLocalMedia } from '../shared-local-media.js';
import { SpeakingSampler } from './speaking-sampler.js';

export { MeshCallFullError };

export type { JoinOptions, MeshGroupCallOptions } from './mesh-call-options.js';
export type { MeshDevice } from './mesh-live-legs.js';

export type { LegSummary } from './mesh-leg.js';

export class MeshGroupCall extends EventTarget implements GroupCallBackend {
  readonly membership: MembershipManager;

  private readonly transport: MatrixTransport;
  private readonly clock: CallClock;
  private readonly timings: MeshTimings;
  private readonly limit: number;
  private readonly log: (message: string) => void;
  private readonly shared: SharedLocalMedia;
  private readonly signalling: MeshSignalling;
  private readonly roomEncryption: RoomEncryption;
  private readonly retries: RetrySchedule;
  private readonly speaking: SpeakingSampler;
  private readonly planner: MeshPlanner;
  private readonly live: MeshLiveLegs;
  private readonly legs = new Map<string, Leg>();
  private readonly pendingInvites: PendingInvites;
  private readonly incoming: IncomingLegs;
  private readonly volumes = new Map<string, number>();
  private readonly cleanups: Unsubscribe[] = [];

  private readonly life: BackendLifecycle;
  private iceServers: readonly RTCIceServer[];
  private kind: CallKind = 'video';
  private micMuted = false;
  private cameraMuted = false;
  private screenSharing = false;

  constructor(private readonly options: MeshGroupCallOptions) {
    super();
    this.transport = options.transport;
    this.clock = options.clock ?? realCallClock;
    this.timings = { ...DEFAULT_MESH_TIMINGS, ...options.timings };
    this.limit = options.maxParticipants ?? MESH_PARTICIPANT_LIMIT;
    this.log = options.log ?? (() => undefined);
    this.iceServers = options.iceServers ?? [];
    this.membership =
      options.membership ??
      new MembershipManager({
        ...options.membershipOptions,
        transport: options.transport,
        backend: { type: 'mesh' },
      });
    this.shared = new SharedLocalMedia(options.media);
    this.roomEncryption = new RoomEncryption(options.transport, this.log);
    this.signalling = new MeshSignalling({
      transport: options.transport,
      clock: this.clock,
      ownSessionId: () => this.ownSessionId(),
      requireEncrypted: () => this.roomEncryption.encrypted,
      onEvent: (received) => this.incoming.receive(received),
      reorderWaitMs: this.timings.reorderWaitMs,
      log: this.log,
    });
    this.retries = new RetrySchedule(this.clock, () => this.plan(), this.timings.backoff);
    this.speaking = new SpeakingSampler({
      clock: this.clock,
      intervalMs: this.timings.speakingSampleMs,
      ...(options.speaking ? { timings: options.speaking } : {}),
      legs: () => this.legs,
      selfKey: () => legKey(this.self),
      micMuted: () => this.micMuted,
      running: () => this.state === 'joined',
      onChange: () => this.refresh(),
    });
    this.planner = new MeshPlanner({
      memberships: () => this.membership.otherMemberships,
      self: () => this.self,
      limit: this.limit,
      waitingForRetry: (key) => this.retries.isWaiting(key),
    });
    this.pendingInvites = new PendingInvites({
      clock: this.clock,
      holdMs: this.timings.pendingInviteMs,
      log: this.log,
    });
    this.incoming = new IncomingLegs({
      state: () => this.state,
      ownSessionId: () => this.ownSessionId(),
      legs: this.legs,
      planner: this.planner,
      pending: this.pendingInvites,
      accept: (member, own, events) => this.acceptInvite(member, own, events),
      log: this.log,
    });
    this.live = new MeshLiveLegs({ legs: () => this.legs, inCall: () => this.life.inCall, log: this.log });
    this.life = new BackendLifecycle(this, () => this.buildView());
  }

  // ---- surface ----------------------------------------------------------------------------------

  get view(): GroupCallView {
    return this.life.view;
  }

  /** A problem the user should know about while in the call (the size limit reached). */
  get error(): KitError | undefined {
    return this.life.error;
  }

  /** The event id of this device's membership write while joined (call notifications refer to it). */
  get membershipEventId(): string | undefined {
    return this.membership.ownEventId;
  }

  /** This device's session in the call (legs are addressed to it); undefined while not joined. */
  get sessionId(): string | undefined {
    return this.ownSessionId();
  }

  get legSummaries(): readonly LegSummary[] {
    return [...this.legs.values()].map(summarizeLeg);
  }

  /** Reads the room's memberships (so `ongoing` is known before joining) and starts listening. */
  start(): Promise<void> {
    return this.life.startOnce(async () => {
      this.signalling.start();
      const onMembership = () => this.onMembershipChange();
      this.membership.addEventListener('change', onMembership);
      this.cleanups.push(() => this.membership.removeEventListener('change', onMembership));
      try {
        this.cleanups.push(
          this.transport.onTurnServers((servers) => {
            this.iceServers = toIceServers(servers);
            for (const leg of this.legs.values()) leg.call.setIceServers(this.iceServers);
          }),
        );
      } catch (error) {
        this.log(`no TURN servers from the host: ${String(error)}`);
      }
      this.cleanups.push(() => this.roomEncryption.stop());
      await Promise.all([this.roomEncryption.start(), this.membership.start()]);
      this.refresh();
      // The membership manager rejoined a membership this device left behind in an earlier page
      // life (staleOwnMembership: 'rejoin'): the call goes on, so media and legs follow.
      if (this.membership.joined && this.state === 'idle') {
        const intent = this.membership.ownMembership?.callIntent;
        void this.join(intent === 'audio' ? 'voice' : 'video').catch((error: unknown) =>
          this.log(`could not resume the call: ${String(error)}`),
        );
      }
    });
  }

  async join(kind: CallKind, options: JoinOptions = {}): Promise<void> {
    const listenOnly = options.listenOnly ?? false;
    if (listenOnly) kind = 'voice';
    const attempt = this.life.beginJoin(() => {
      this.kind = kind;
      this.live.joining(listenOnly);
      this.micMuted = options.audioMuted ?? false;
      this.cameraMuted = kind === 'voice' || (options.videoMuted ?? false);
    });
    if (!attempt) return;
    await this.start();
    if (!attempt.live()) return;
    if (this.planner.full()) {
      this.life.setState('idle');
      throw new MeshCallFullError(this.limit);
    }
    try {
      if (!listenOnly) {
        await this.shared.open(kind);
        this.shared.applyMute(this.micMuted, this.cameraMuted);
      }
    } catch (error) {
      if (attempt.live()) this.life.setState('idle');
      throw error;
    }
    if (!attempt.live()) {
      // Left (or went away) while the camera and microphone were being opened.
      this.shared.close();
      return;
    }
    try {
      await this.membership.join({ listenOnly });
    } catch (error) {
      this.shared.close();
      this.life.setState('idle');
      throw error;
    }
    if (!attempt.live()) return; // left while joining
    this.life.setState('joined');
    this.speaking.schedule();
    this.plan();
    this.incoming.reconsider();
  }

  async leave(): Promise<void> {
    if (!this.life.beginLeave()) return;
    this.stopCallWork();
    const hangups = [...this.legs.values()].map((leg) => {
      leg.closing = 'left';
      return leg.call.hangup('user_hangup');
    });
    this.legs.clear();
    await Promise.allSettled(hangups);
    try {
      await this.membership.leave();
    } catch (error) {
      this.log(`clearing the membership failed: ${String(error)}`);
    }
    this.shared.close();
    this.screenSharing = false;
    this.live.left();
    this.life.setState('idle');
  }

  /** Stops everything here without telling anyone (the page is going away). */
  dispose(): void {
    if (!this.life.dispose()) return;
    this.stopCallWork();
    for (const leg of this.legs.values()) {
      leg.closing = 'left';
      leg.call.terminate('user_hangup', 'local');
    }
    this.legs.clear();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.signalling.stop();
    this.membership.dispose();
    this.shared.close();
    this.life.setState('idle');
  }

  async setMicMuted(muted: boolean): Promise<void> {
    if (this.micMuted === muted) return;
    this.micMuted = muted;
    this.shared.applyMute(this.micMuted, this.cameraMuted);
    this.refresh();
    // Every leg announces its metadata in the same task: one to-device request for all devices.
    await Promise.allSettled([...this.legs.values()].map((leg) => leg.call.setMicMuted(muted)));
  }

  async setCameraMuted(muted: boolean): Promise<void> {
    if (this.cameraMuted === muted) return;
    if (!muted && !this.shared.userMedia?.getVideoTracks().length && this.state !== 'idle') {
      this.log('this device joined without a camera: rejoin with video to send it');
      return;
    }
    this.cameraMuted = muted;
    this.shared.applyMute(this.micMuted, this.cameraMuted);
    this.refresh();
    await Promise.allSettled([...this.legs.values()].map((leg) => leg.call.setCameraMuted(muted)));
  }

  async setScreenSharing(sharing: boolean): Promise<void> {
    if (this.state !== 'joined' || this.screenSharing === sharing) return;
    if (sharing) {
      await this.shared.startScreen(() => void this.setScreenSharing(false));
      this.screenSharing = true;
    } else {
      this.screenSharing = false;
    }
    this.refresh();
    await Promise.allSettled([...this.legs.values()].map((leg) => leg.call.setScreenSharing(sharing)));
    if (!sharing) this.shared.stopScreen();
    this.refresh();
  }

  /** How loud a participant plays here, 0..1; elements apply it to their media elements. */
  setParticipantVolume(userId: string, deviceId: string, volume: number): void {
    const clamped = Number.isFinite(volume) ? Math.max(0, Math.min(1, volume)) : 1;
    this.volumes.set(legKey({ userId, deviceId }), clamped);
    this.refresh();
  }

  // ---- walkie-talkie ----------------------------------------------------------------------------

  /** The walkie-talkie's fast path on this call's legs (MeshLiveAudio, kept by MeshLiveLegs). */
  get liveAudio(): MeshLiveAudio {
    return this.live;
  }

  /** Joined (or joining) with the listen-only join (no camera or microphone of its own). */
  get listeningOnly(): boolean {
    return this.live.listeningOnly;
  }

  // ---- planning ---------------------------------------------------------------------------------

  private ownSessionId(): string | undefined {
    if (this.state !== 'joined' && this.state !== 'joining') return undefined;
    return this.membership.ownMembership?.sessionId;
  }

  private get self(): { readonly userId: string; readonly deviceId: string } {
    return { userId: this.transport.userId, deviceId: this.transport.deviceId };
  }

  private onMembershipChange(): void {
    const present = new Set(this.planner.members().map(legKey));
    for (const key of this.volumes.keys()) if (!present.has(key)) this.volumes.delete(key);
    this.life.error = this.planner.limitError(this.state === 'joined');
    this.plan();
    this.incoming.reconsider();
    this.refresh();
  }

  /** Does what the planner says about the legs now: ends the stale ones, places the missing ones. */
  private plan(): void {
    if (this.state !== 'joined' || this.life.disposed) return;
    const own = this.ownSessionId();
    if (own === undefined) return;
    for (const action of this.planner.legActions(own, this.legs)) {
      if (action.kind === 'end') {
        const leg = this.legs.get(action.key);
        if (leg) this.endLeg(leg, action.reason);
        if (action.reason === 'member-left') this.retries.forget(action.key);
      } else {
        this.placeLeg(action.peer, own);
      }
    }
  }

  private endLeg(leg: Leg, reason: LegEndReason): void {
    leg.closing = reason;
    this.legs.delete(leg.key);
    this.log(`ending the leg to ${leg.key}: ${reason}`);
    // A device still in the call (past the limit) is told; one that left or reloaded is not there.
    if (reason === 'over-limit') void leg.call.hangup('user_hangup');
    else leg.call.terminate('peer_left', 'remote');
  }

  private placeLeg(peer: MeshPeer, own: string): void {
    const leg = this.createLeg(peer, own, randomCallId(), 'outgoing');
    void leg.call
      .place()
      .then(() => this.afterLegStarted(leg))
      .catch((error: unknown) => this.log(`placing the leg to ${leg.key} failed: ${String(error)}`));
  }

  private createLeg(peer: MeshPeer, own: string, callId: string, direction: 'outgoing' | 'incoming'): Leg {
    const leg = createMeshLeg(
      {
        self: this.self,
        roomId: this.transport.roomId,
        // famedly's SDK finds the group call by (room_id, conf_id) and drops events without it.
        confId: this.membership.ownMembership?.callId || this.transport.roomId,
        kind: this.kind,
        describe: (userId) => this.describe(userId),
        signaller: (to) => this.signalling.signallerFor(to),
        media: this.shared.legSource(),
        iceServers: this.iceServers,
        clock: this.clock,
        inviteLifetimeMs: this.timings.inviteLifetimeMs,
        peerCallTimings: this.options.peerCallTimings,
        liveOptions: this.live.legOptions(),
        onFloorChannel: (filed, channel) => this.live.attachFloorChannel(filed, channel),
        onChange: (changed) => this.onLegChange(changed),
      },
      peer,
      own,
      callId,
      direction,
    );
    this.legs.set(leg.key, leg);
    // Mute switches before any media flows: the leg's clone starts muted where this device is.
    void leg.call.setMicMuted(this.micMuted);
    if (this.kind === 'video') void leg.call.setCameraMuted(this.cameraMuted);
    return leg;
  }

  private afterLegStarted(leg: Leg): void {
    if (this.legs.get(leg.key) === leg) this.live.legStarted(leg);
    if (this.screenSharing && this.legs.get(leg.key) === leg && !leg.call.ended) {
      void leg.call.setScreenSharing(true);
    }
  }

  private onLegChange(leg: Leg): void {
    const call = leg.call;
    if (call.view.state === 'connected' && !leg.connected) {
      leg.connected = true;
      this.retries.succeeded(leg.key);
    }
    if (call.ended) {
      leg.unlisten();
      this.live.legEnded(leg);
      this.signalling.forgetCall(leg.peer.userId, leg.peer.deviceId, call.callId);
      this.speaking.forget(leg.key);
      if (this.legs.get(leg.key) === leg) this.legs.delete(leg.key);
      if (leg.closing === undefined && this.state === 'joined') {
        this.log(`the leg to ${leg.key} ended: ${call.view.hangupReason ?? 'unknown'}`);
        if (placesCallTo(this.self, leg.peer)) {
          const wait = this.retries.failed(leg.key);
          this.log(`calling ${leg.key} again in ${wait} ms`);
        }
      }
    }
    this.refresh();
  }

  // ---- receiving --------------------------------------------------------------------------------

  /** An invite IncomingLegs accepted: its leg, the events so far, and the answer. */
  private acceptInvite(member: MeshPeer, own: string, events: readonly ReceivedLegEvent[]): void {
    const accepted = this.createLeg(member, own, events[0]!.event.call_id, 'incoming');
    for (const event of events) accepted.call.handle(event);
    // The invite set the call's kind from the offer; answer with what this device joined with.
    void accepted.call.setMicMuted(this.micMuted);
    void accepted.call
      .answer(this.kind)
      .then(() => this.afterLegStarted(accepted))
      .catch((error: unknown) => this.log(`answering the leg from ${accepted.key} failed: ${String(error)}`));
    if (this.kind === 'video') void accepted.call.setCameraMuted(this.cameraMuted);
  }

  // ---- views ------------------------------------------------------------------------------------

  private describe(userId: string): PersonView {
    return this.options.describe?.(userId) ?? { userId, displayName: userId };
  }

  private get state(): GroupCallState {
    return this.life.state;
  }

  private stopCallWork(): void {
    this.speaking.stop();
    this.retries.clear();
    this.pendingInvites.dropAll();
  }

  private buildView(): GroupCallView {
    const members = this.life.hasStarted ? this.planner.members() : [];
    return meshCallView({
      state: this.state,
      self: this.self,
      describe: (userId) => this.describe(userId),
      userMedia: this.shared.userMedia,
      screen: this.screenSharing ? this.shared.screen : undefined,
      micMuted: this.micMuted,
      cameraMuted: this.cameraMuted,
      members: this.planner.withinLimit(this.legs.keys(), members),
      legs: this.legs,
      speaking: this.speaking.speaking,
      activeSpeakerKey: this.speaking.activeSpeakerKey,
      volumes: this.volumes,
      ongoing: this.membership.otherMembershipsInCall.length > 0,
      listenOnly: this.listeningOnly,
    });
  }

  private refresh(): void {
    this.life.refresh();
  }
}
