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
 * Its parts: call-foci.ts (choosing foci, their access, the other foci's rooms), call-media-keys.ts
 * (media E2EE), livekit-call-view.ts (reading the rooms into the view), livekit-live-audio.ts, and the
 * shared lifecycle (../backend-lifecycle.ts).
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
import { CallMediaKeys, keyDevicesOf } from './call-media-keys.js';
import type { CallDevice, KeyExchange } from './key-exchange.js';
import {
  ChosenFocusBackend,
  type LiveKitGroupCallOptions,
  type LiveKitJoinOptions,
} from './livekit-call-options.js';
import { LiveKitLiveAudio } from './livekit-live-audio.js';
import { deviceKeyOf, liveKitCallView } from './livekit-call-view.js';
import { RemoteFoci } from './remote-foci.js';
import { kitErrorOf, roomEndedError, toCallError } from './sfu-errors.js';
import type { SfuRoom } from './sfu-room.js';
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
  /** Media E2EE of the current joining: the key exchange and the key fan-out. */
  private readonly mediaKeys: CallMediaKeys;
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
    this.mediaKeys = new CallMediaKeys(options, this.log);
    this.liveAudio = new LiveKitLiveAudio({
      room: () => this.room,
      identities: this.identities,
      keys: () => this.mediaKeys.keys,
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
    return this.mediaKeys.keys;
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
      const e2eePromise = this.mediaKeys.wanted();
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
      if (e2ee) this.mediaKeys.start(room, () => this.liveAudio.applyKeyAudience());
      wroteMembership = true;
      await this.membership.join({
        listenOnly: this.listenOnly,
        callIntent: kind === 'voice' ? 'audio' : 'video',
      });
      stillJoining();
      this.mediaKeys.keys?.setMembers(this.keyDevices());
      void this.mediaKeys.keys?.requestKeys(this.keyDevices()).catch((error: unknown) => {
        this.log(`asking for media keys failed: ${String(error)}`);
      });
      await room.connect(access.url, access.jwt);
      stillJoining();
      const userMedia = this.shared.userMedia;
      if (userMedia)
        await room.publishUserMedia(userMedia, { audio: this.micMuted, video: this.cameraMuted });
      stillJoining();
      this.remoteFoci = new RemoteFoci({
        open: (focus) =>
          this.foci.openRemote(focus, this.e2eeOn, () => this.mediaKeys.fanOut, attempt.current),
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
  private stopKeys(): void {
    this.mediaKeys.stop();
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
    return keyDevicesOf(this.livekitMemberships());
  }

  private onMembershipChange(): void {
    const members = this.livekitMemberships();
    const present = new Set(members.map(deviceKeyOf));
    for (const key of this.volumes.keys()) if (!present.has(key)) this.volumes.delete(key);
    this.mediaKeys.keys?.setMembers(this.keyDevices());
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
    return liveKitCallView({
      state: this.state,
      room: this.room?.state,
      remoteRooms: (this.remoteFoci?.rooms ?? []).map((r) => r.state),
      lookup: (identity) => this.identities.lookup(identity),
      members: inCall && this.life.hasStarted ? this.livekitMemberships() : [],
      self: {
        person: this.describe(this.transport.userId),
        deviceId: this.transport.deviceId,
        userMedia: this.shared.userMedia,
        screen: this.screenSharing ? this.shared.screen : undefined,
        micMuted: this.micMuted,
        cameraMuted: this.cameraMuted,
      },
      describe: (userId) => this.describe(userId),
      volumes: this.volumes,
      ongoing: this.life.hasStarted ? this.membership.otherMembershipsInCall.length > 0 : false,
      listenOnly: this.listenOnly,
      unreceived: inCall
        ? this.foci.unreceived(this.remoteFoci?.refused ?? [], (userId) => this.describe(userId))
        : [],
      log: this.log,
    });
  }

  private refresh(): void {
    this.life.refresh();
  }
}
