/**
 * LiveKitGroupCall: the room's group call through a LiveKit SFU (MatrixRTC, as Element Call and
 * famedly's SDK hold it).
 *
 * Joining, in order: the focus (focus.ts: this device's own trusted focus, written as `multi_sfu` as
 * Element Call 0.26 writes it, or the oldest membership's when the call asks for `oldest_membership`
 * and that focus is trusted; an untrusted one is an 'untrusted-focus' error and none a 'no-focus'
 * error saying what a server admin must set up), the LiveKit URL
 * and JWT from the focus's JWT service (with an OpenID token from the host), the camera and
 * microphone, this device's membership naming the focus, the media key exchange (when media is
 * end-to-end encrypted: by default when the room is encrypted), then the LiveKit room: connected
 * with the key provider, the kit's own tracks published. Any failure undoes what was done and
 * rejects with a plain-words error carrying a KitErrorCode (sfu-errors.ts).
 *
 * In a multi-SFU call, members on other foci are received through subscriber rooms on those foci
 * (remote-foci.ts), each opened only when the user's side trusts the focus; media keys reach every
 * room through one key fan-out (key-fan-out.ts). The membership carries `m.call.intent`.
 *
 * Owns: that order and its undoing, leaving (room disconnected, membership cleared, keys stopped,
 * media closed), mute and screen share, per-participant volume, and the frozen GroupCallView it
 * publishes with a `change` event after every transition. For the walkie-talkie: `liveAudio`, the typed
 * fast path (livekit-live-audio.ts: floor frames as data messages, the live voice as a named track), and
 * the listen-only join (`listenOnly`): membership written and the room connected, with no camera or
 * microphone opened and nothing published until the walkie-talkie talks.
 * Never: imports livekit-client (the room comes from an SfuRoomLoader, by default a dynamic import),
 * parses raw JSON, touches the DOM or plays audio.
 */
import type { CallMembership } from '../../signalling/membership/index.js';
import type { CallKind, GroupCallState, GroupCallView, KitError, PersonView } from '../../snapshot.js';
import type { MatrixTransport, Unsubscribe } from '../../transport/transport.js';
import { BackendLifecycle, LeftWhileJoining } from '../backend-lifecycle.js';
import type { GroupCallBackend } from '../group-call-backend.js';
import { MembershipManager } from '../membership-manager.js';
import { SharedLocalMedia } from '../shared-local-media.js';
import { CallFoci } from './call-foci.js';
import type { FocusChoice, LivekitFocus } from './focus.js';
import { IdentityDirectory } from './identity-directory.js';
import { KeyExchange, type CallDevice } from './key-exchange.js';
import { KeyFanOut } from './key-fan-out.js';
import type { KeyRingClock } from './key-ring.js';
import {
  ChosenFocusBackend,
  type LiveKitGroupCallOptions,
  type LiveKitJoinOptions,
} from './livekit-call-options.js';
import { LiveKitLiveAudio } from './livekit-live-audio.js';
import { ROOM_ENCRYPTION_EVENT } from './livekit-needs.js';
import { buildLiveKitView, type RemoteParticipantInput } from './livekit-view.js';
import { RemoteFoci } from './remote-foci.js';
import { kitErrorOf, roomEndedError, toCallError } from './sfu-errors.js';
import type { SfuRemoteParticipant, SfuRoom } from './sfu-room.js';
import type { SfuAccess } from './token-client.js';

export type { LiveKitGroupCallOptions, LiveKitJoinOptions } from './livekit-call-options.js';

export class LiveKitGroupCall extends EventTarget implements GroupCallBackend {
  readonly membership: MembershipManager;

  private readonly transport: MatrixTransport;
  private readonly log: (message: string) => void;
  private readonly backend: ChosenFocusBackend;
  private readonly shared: SharedLocalMedia;
  private readonly foci: CallFoci;
  private readonly identities = new IdentityDirectory();
  private readonly volumes = new Map<string, number>();
  private readonly cleanups: Unsubscribe[] = [];
  private roomCleanups: Unsubscribe[] = [];
  /** The walkie-talkie's fast path on this call (SfuLiveAudio, live-audio.ts). */
  readonly liveAudio: LiveKitLiveAudio;

  private readonly life: BackendLifecycle;
  private micMuted = false;
  private cameraMuted = false;
  private screenSharing = false;
  private listenOnly = false;
  private room: SfuRoom | undefined;
  private keys: KeyExchange | undefined;
  /** The key sink in front of the own room and the rooms of other foci (multi-SFU). */
  private keyFanOut: KeyFanOut | undefined;
  /** Subscriber rooms on the foci other members publish to (multi-SFU). */
  private remoteFoci: RemoteFoci | undefined;
  private access: SfuAccess | undefined;
  private focusChoice: FocusChoice | undefined;
  private e2eeOn = false;

  constructor(private readonly options: LiveKitGroupCallOptions) {
    super();
    this.transport = options.transport;
    this.log = options.log ?? (() => undefined);
    this.backend = new ChosenFocusBackend(options.transport.roomId);
    this.membership =
      options.membership ??
      new MembershipManager({
        ...options.membershipOptions,
        transport: options.transport,
        backend: this.backend,
      });
    this.shared = new SharedLocalMedia(options.media);
    this.foci = new CallFoci(options, () => this.livekitMemberships(), this.log);
    this.liveAudio = new LiveKitLiveAudio({
      room: () => this.room,
      identities: this.identities,
      keys: () => this.keys,
      listenOnly: () => this.listenOnly,
      joinedWithMicrophone: () => this.state === 'joined' && !!this.shared.userMedia?.getAudioTracks().length,
      events: this,
      log: this.log,
    });
    this.life = new BackendLifecycle(this, () => this.buildView());
  }

  // ---- surface ----------------------------------------------------------------------------------

  get view(): GroupCallView {
    return this.life.view;
  }

  get error(): KitError | undefined {
    return this.life.error;
  }

  /** The focus this device joined through, and where it came from; undefined while not joined. */
  get focus(): FocusChoice | undefined {
    return this.focusChoice;
  }

  /** Other members' foci this device does not receive from (multi-SFU: untrusted, or failing), and why. */
  get refusedFoci(): readonly { readonly focus: LivekitFocus; readonly why: string }[] {
    return this.remoteFoci?.refused ?? [];
  }

  /** The LiveKit URL and JWT in use; undefined while not joined. */
  get sfuAccess(): SfuAccess | undefined {
    return this.access;
  }

  /** Whether this joining encrypts its media (with keys exchanged over Matrix). */
  get e2ee(): boolean {
    return this.e2eeOn;
  }

  /** The key exchange of the current joining (for diagnostics and tests). */
  get keyExchange(): KeyExchange | undefined {
    return this.keys;
  }

  start(): Promise<void> {
    return this.life.startOnce(async () => {
      const onMembership = () => this.onMembershipChange();
      this.membership.addEventListener('change', onMembership);
      this.cleanups.push(() => this.membership.removeEventListener('change', onMembership));
      await this.membership.start();
      this.onMembershipChange();
    });
  }

  async join(kind: CallKind, options: LiveKitJoinOptions = {}): Promise<void> {
    const listenOnly = options.listenOnly ?? false;
    if (listenOnly) kind = 'voice';
    const attempt = this.life.beginJoin(() => {
      this.listenOnly = listenOnly;
      // A listen-only join has no microphone: it shows as muted.
      this.micMuted = listenOnly || (options.audioMuted ?? false);
      this.cameraMuted = kind === 'voice' || (options.videoMuted ?? false);
    });
    if (!attempt) return;
    const stillJoining = attempt.check;
    let room: SfuRoom | undefined;
    let wroteMembership = false;
    try {
      await this.start();
      stillJoining();
      const choice = await this.foci.choose();
      stillJoining();
      this.log(`focus ${choice.focus.serviceUrl} (from ${choice.source})`);
      const e2eePromise = this.wantsE2ee();
      const access = await this.foci.access(choice.focus);
      stillJoining();
      const e2ee = await e2eePromise;
      room = await this.foci.loadRoom(e2ee);
      stillJoining();
      if (!this.listenOnly) {
        await this.shared.open(kind);
        this.shared.applyMute(this.micMuted, this.cameraMuted);
        stillJoining();
      }

      this.backend.focus = choice.focus;
      this.backend.selection = choice.selection;
      this.focusChoice = choice;
      this.access = access;
      this.e2eeOn = e2ee;
      this.attachRoom(room);
      // Listening for keys before the membership appears: the others send theirs when they see it.
      if (e2ee) this.startKeys(room);
      wroteMembership = true;
      await this.membership.join({
        listenOnly: this.listenOnly,
        callIntent: kind === 'voice' ? 'audio' : 'video',
      });
      stillJoining();
      this.keys?.setMembers(this.keyDevices());
      void this.keys?.requestKeys(this.keyDevices()).catch((error: unknown) => {
        this.log(`asking for media keys failed: ${String(error)}`);
      });
      await room.connect(access.url, access.jwt);
      stillJoining();
      const userMedia = this.shared.userMedia;
      if (userMedia)
        await room.publishUserMedia(userMedia, { audio: this.micMuted, video: this.cameraMuted });
      stillJoining();
      this.remoteFoci = new RemoteFoci({
        open: (focus) => this.foci.openRemote(focus, this.e2eeOn, () => this.keyFanOut, attempt.current),
        onChange: () => this.refresh(),
        log: this.log,
      });
      this.life.setState('joined');
      this.updateRemoteFoci();
    } catch (error) {
      if (attempt.current()) await this.undoJoin(room, wroteMembership);
      if (error instanceof LeftWhileJoining) return;
      const callError = toCallError(error);
      this.log(`joining failed: ${callError.message}${callError.detail ? ` (${callError.detail})` : ''}`);
      if (attempt.current()) {
        this.life.error = kitErrorOf(callError);
        this.life.setState('idle');
      }
      throw callError;
    }
  }

  async leave(): Promise<void> {
    if (!this.life.beginLeave()) return;
    await this.undoJoin(this.room, true);
    this.life.setState('idle');
  }

  dispose(): void {
    if (!this.life.dispose()) return;
    void this.remoteFoci?.closeAll();
    this.remoteFoci = undefined;
    this.stopKeys();
    const room = this.room;
    this.detachRoom();
    void room?.disconnect();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.membership.dispose();
    this.shared.close();
    this.life.setState('idle');
  }

  async setMicMuted(muted: boolean): Promise<void> {
    if (this.micMuted === muted) return;
    if (!muted && this.listeningOnly) {
      this.log('this device joined listen-only for the walkie-talkie: join the call to send its microphone');
      return;
    }
    this.micMuted = muted;
    this.shared.applyMute(this.micMuted, this.cameraMuted);
    this.refresh();
    await this.room?.setMuted('audio', muted);
  }

  async setCameraMuted(muted: boolean): Promise<void> {
    if (this.cameraMuted === muted) return;
    if (!muted && this.state !== 'idle' && !this.shared.userMedia?.getVideoTracks().length) {
      this.log('this device joined without a camera: rejoin with video to send it');
      return;
    }
    this.cameraMuted = muted;
    this.shared.applyMute(this.micMuted, this.cameraMuted);
    this.refresh();
    await this.room?.setMuted('video', muted);
  }

  async setScreenSharing(sharing: boolean): Promise<void> {
    if (this.state !== 'joined' || this.screenSharing === sharing || !this.room) return;
    const room = this.room;
    if (sharing) {
      const screen = await this.shared.startScreen(() => void this.setScreenSharing(false));
      this.screenSharing = true;
      this.refresh();
      await room.publishScreen(screen);
    } else {
      this.screenSharing = false;
      await room.unpublishScreen();
      this.shared.stopScreen();
      this.refresh();
    }
  }

  setParticipantVolume(userId: string, deviceId: string, volume: number): void {
    const clamped = Number.isFinite(volume) ? Math.max(0, Math.min(1, volume)) : 1;
    this.volumes.set(deviceKeyOf({ userId, deviceId }), clamped);
    this.refresh();
  }

  // ---- joining pieces ---------------------------------------------------------------------------

  /** Joined (or joining) with the listen-only join: no camera or microphone of its own. */
  get listeningOnly(): boolean {
    return this.listenOnly && (this.state === 'joined' || this.state === 'joining');
  }

  /** Whether media is encrypted: by option, or (default) when the room has an m.room.encryption state. */
  private async wantsE2ee(): Promise<boolean> {
    const setting = this.options.e2ee ?? 'room';
    if (setting !== 'room') return setting;
    try {
      const events = await this.transport.readState(ROOM_ENCRYPTION_EVENT, '');
      return events.some((event) => {
        const content = event.content as { algorithm?: unknown } | null;
        return typeof content === 'object' && content !== null && typeof content.algorithm === 'string';
      });
    } catch (error) {
      // Encrypting when unsure keeps media private; peers in an encrypted room do the same.
      this.log(`could not read the room's encryption (${String(error)}): encrypting media`);
      return true;
    }
  }

  private startKeys(room: SfuRoom): void {
    const sink = room.keySink;
    if (!sink) throw new Error('the LiveKit room was made without media encryption');
    this.keyFanOut = new KeyFanOut();
    this.keyFanOut.attach(sink);
    this.keys = new KeyExchange({
      transport: this.transport,
      sink: this.keyFanOut,
      ...(this.options.keyTimings ?? {}),
      ...(this.options.clock ? { clock: this.options.clock as KeyRingClock } : {}),
      onRejected: (reason, event) => this.log(`dropped a key event from ${event.sender}: ${reason}`),
      onError: (error) => this.log(`sending media keys failed: ${String(error)}`),
    });
    this.liveAudio.applyKeyAudience();
    this.keys.start();
  }

  private stopKeys(): void {
    this.keys?.stop();
    this.keys = undefined;
    this.keyFanOut = undefined;
  }

  private updateRemoteFoci(): void {
    if (this.state !== 'joined') return;
    this.remoteFoci?.update(this.foci.others(this.focusChoice?.focus));
  }

  private attachRoom(room: SfuRoom): void {
    this.detachRoom();
    this.room = room;
    this.roomCleanups = [
      room.onChange(() => this.refresh()),
      room.onEnded((reason) => void this.onRoomEnded(reason)),
      ...(room.onData ? [room.onData((message) => this.liveAudio.receive(message))] : []),
    ];
  }

  private detachRoom(): void {
    for (const cleanup of this.roomCleanups.splice(0)) cleanup();
    this.room = undefined;
    this.liveAudio.roomDetached();
  }

  private async undoJoin(room: SfuRoom | undefined, wroteMembership: boolean): Promise<void> {
    const remote = this.remoteFoci;
    this.remoteFoci = undefined;
    await remote?.closeAll();
    this.stopKeys();
    this.detachRoom();
    await room?.disconnect();
    if (wroteMembership) {
      try {
        await this.membership.leave();
      } catch (error) {
        this.log(`clearing the membership failed: ${String(error)}`);
      }
    }
    this.shared.close();
    this.screenSharing = false;
    this.listenOnly = false;
    this.focusChoice = undefined;
    this.access = undefined;
    this.e2eeOn = false;
  }

  private async onRoomEnded(reason: string): Promise<void> {
    if (this.state !== 'joined') return;
    const error = roomEndedError(reason);
    this.log(error.message);
    await this.leave();
    this.life.error = kitErrorOf(error);
    this.refresh();
  }

  // ---- memberships ------------------------------------------------------------------------------

  private livekitMemberships(): CallMembership[] {
    return this.membership.otherMemberships.filter((m) => m.backend.type === 'livekit');
  }

  private keyDevices(): CallDevice[] {
    return this.livekitMemberships().map((m) => ({
      userId: m.userId,
      deviceId: m.deviceId,
      memberId: m.membershipId,
      membershipTs: m.createdTs,
      format: m.format === 'famedly' ? 'famedly' : 'element',
    }));
  }

  private onMembershipChange(): void {
    const members = this.livekitMemberships();
    const present = new Set(members.map(deviceKeyOf));
    for (const key of this.volumes.keys()) if (!present.has(key)) this.volumes.delete(key);
    this.keys?.setMembers(this.keyDevices());
    this.updateRemoteFoci();
    void this.identities
      .update(members.map((m) => ({ userId: m.userId, deviceId: m.deviceId, memberId: m.membershipId })))
      .then(() => this.refresh());
    this.refresh();
  }

  // ---- views ------------------------------------------------------------------------------------

  private describe(userId: string): PersonView {
    return this.options.describe?.(userId) ?? { userId, displayName: userId };
  }

  private get state(): GroupCallState {
    return this.life.state;
  }

  private buildView(): GroupCallView {
    const inCall = this.life.inCall;
    const roomState = this.room?.state;
    const byDevice = new Map<string, SfuRemoteParticipant>();
    const hasMedia = (r: SfuRemoteParticipant | undefined) => (r?.userMedia?.getTracks().length ?? 0) > 0;
    // The own focus's room first, then the other foci's (multi-SFU); a participant seen in several
    // (subscribed in one, publishing in another) is read where its media is.
    const rooms = [roomState, ...(this.remoteFoci?.rooms ?? []).map((r) => r.state)];
    for (const state of rooms) {
      for (const remote of state?.remotes ?? []) {
        const device = this.identities.lookup(remote.identity);
        if (!device) {
          this.log(`a LiveKit participant with an unknown identity: ${remote.identity}`);
          continue;
        }
        const key = deviceKeyOf(device);
        if (!byDevice.has(key) || (!hasMedia(byDevice.get(key)) && hasMedia(remote)))
          byDevice.set(key, remote);
      }
    }
    const absentConnection = roomState?.connection === 'connected' ? 'checking' : 'new';
    const remotes: RemoteParticipantInput[] = [];
    const listed = new Set<string>();
    if (inCall) {
      for (const member of this.life.hasStarted ? this.livekitMemberships() : []) {
        const key = deviceKeyOf(member);
        if (listed.has(key)) continue;
        listed.add(key);
        const inRoom = byDevice.get(key);
        remotes.push({
          person: this.describe(member.userId),
          deviceId: member.deviceId,
          ...(inRoom ? { room: inRoom } : {}),
          absentConnection,
          volume: this.volumes.get(key) ?? 1,
        });
      }
    }
    let activeSpeaker: string | undefined;
    for (const identity of roomState?.activeSpeakers ?? []) {
      const device = this.identities.lookup(identity);
      if (device && listed.has(deviceKeyOf(device))) {
        activeSpeaker = device.userId;
        break;
      }
    }
    // Reconnecting reads as 'disconnected' (lost, trying again), as a 1:1 call's broken ICE does.
    const selfConnection =
      roomState?.connection === 'connected'
        ? 'connected'
        : roomState?.connection === 'reconnecting'
          ? 'disconnected'
          : roomState?.connection === 'connecting'
            ? 'checking'
            : 'new';
    const screen = this.screenSharing ? this.shared.screen : undefined;
    const userMedia = this.shared.userMedia;
    const unreceived = inCall
      ? this.foci.unreceived(this.remoteFoci?.refused ?? [], (userId) => this.describe(userId))
      : [];
    return buildLiveKitView({
      state: this.state,
      // Listen-only joins (the walkie-talkie's) stay subscribed to but do not make the call ongoing.
      ongoing: this.life.hasStarted ? this.membership.otherMembershipsInCall.length > 0 : false,
      ...(inCall
        ? {
            self: {
              person: this.describe(this.transport.userId),
              deviceId: this.transport.deviceId,
              ...(userMedia ? { userMedia } : {}),
              ...(screen ? { screen } : {}),
              micMuted: this.micMuted,
              cameraMuted: this.cameraMuted,
              speaking: !this.micMuted && (roomState?.localSpeaking ?? false),
              connection: selfConnection,
            },
          }
        : {}),
      remotes,
      ...(inCall && this.listenOnly ? { listenOnly: true } : {}),
      ...(inCall && activeSpeaker !== undefined ? { activeSpeaker } : {}),
      ...(unreceived.length ? { unreceived } : {}),
    });
  }

  private refresh(): void {
    this.life.refresh();
  }
}

function deviceKeyOf(device: { readonly userId: string; readonly deviceId: string }): string {
  return `${device.userId}|${device.deviceId}`;
}
