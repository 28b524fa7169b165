/**
 * WalkieTalkie: the walkie-talkie engine of one room (docs/msc4002-walkie-talkie-protocol.md). A controller
 * merges `walkieTalkieNeeds()` into what it asks the host for, calls `start()`, shows `view` (a PttView,
 * replaced on every `change` event) and calls `press()`, `release()` and `setOptIn()`.
 *
 * Owns: wiring the floor arbiter to the paths (room events always, a LiveAudioPath when a call backend gives
 * one), this device's opt-in, the microphone and recording of its own transmissions, posting them as voice
 * messages (encrypted in an encrypted room), handing others' transmissions to the playback arbiter, and the
 * list of recent transmissions (live and read from the timeline at start) with play and pause.
 * Never: decides the floor itself (FloorControl does), asks the host for capabilities, touches the DOM, or
 * opens the microphone before this device claims the floor (unless `prewarm` is on). A hostile or malformed
 * event is dropped with a reason (`rejected`), never thrown: claims of devices without an opt-in to send,
 * turns past the window and revocations the floor does not confirm included (docs/security.md).
 */
import type { LocalMediaSource } from '../call/peer-call-contract.js';
import type { KitError, PersonView, PttView, TransmissionState, TransmissionView } from '../snapshot.js';
import { FLOOR_RELEASE, FLOOR_REQUEST, PTT_OPT_IN } from '../signalling/ptt/event-types.js';
import {
  encodeFloorFrame,
  parseFloorFrame,
  parseFloorRoomEvent,
  buildFloorEvent,
  type FloorClaim,
  type FloorMessage,
  type FloorRelease,
} from '../signalling/ptt/floor-events.js';
import { buildOptIn, buildOptOut, canReceive } from '../signalling/ptt/opt-in.js';
import { parseVoiceMessage } from '../signalling/ptt/voice-message-event.js';
import type { MatrixTransport, RawRoomEvent, Unsubscribe } from '../transport/transport.js';
import { claimKey, sameDevice } from './claim-order.js';
import {
  FloorControl,
  type DeviceRef,
  type FloorPath,
  type FloorSnapshot,
  type FloorTimings,
  type Outgoing,
} from './floor-control.js';
import { FloorDriver } from './floor-driver.js';
import type { LiveAudioPath } from './live-audio-path.js';
import { OptInRoster } from './opt-in-roster.js';
import { sharedPlaybackArbiter, type PlaybackArbiter } from './playback-queue.js';
import { AudioElementSink } from './audio-element-sink.js';
import { voiceMessageLoader, type Download } from './received-voice.js';
import { Transmission, type MicrophoneLease } from './transmission.js';
import { TransmissionLog, type LoggedTransmission } from './transmission-log.js';
import { prepareVoiceMessage } from './voice-message.js';
import { ROOM_ENCRYPTION, ROOM_MESSAGE, walkieTalkieNeeds } from './walkie-needs.js';
import type { Need } from '../transport/transport.js';
import type { Recording } from './recorder.js';
import { systemClock } from '../time/system-clock.js';

/** Time for the floor's timers and opt-in expiry; test/support/fake-clock.ts fits. */
export interface PttClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WalkieTalkieOptions {
  readonly transport: MatrixTransport;
  /** Where the microphone comes from (the controller's media source). Default: the browser's. */
  readonly media?: Pick<LocalMediaSource, 'getUserMedia'>;
  readonly clock?: PttClock;
  /** Names and avatars for the talker. Default: the user id as the name. */
  readonly describe?: (userId: string) => PersonView;
  /** The call's fast path, when the room's call offers one. Without it, floor facts go by room events only. */
  readonly livePath?: LiveAudioPath;
  /** The page's one output. Default: the shared arbiter over detached audio elements. */
  readonly playback?: PlaybackArbiter;
  /** Downloads an mxc:// file. Default: the transport's `downloadFile` when it has one. */
  readonly download?: Download;
  readonly timings?: Partial<FloorTimings>;
  /** Keep the microphone open while opted in to send, so a press starts recording at once. Default false. */
  readonly prewarm?: boolean;
  /** How many recent floor events of each type, and room messages, to read at start. Default 50. */
  readonly historyLimit?: number;
}

export interface OptInOptions {
  /** The opt-in ends this long from now; undefined is permanent. */
  readonly expiresInMs?: number;
}

/** A dropped event or frame and why; kept for diagnostics (the last few only). */
export interface Rejection {
  readonly type: string;
  readonly sender: string;
  readonly reason: string;
}

const MAX_REJECTIONS = 50;

/** The system clock, every delay clamped (an opt-in's `expires_ts` far ahead must not fire at once). */
const realClock: PttClock = systemClock;

function browserMicrophone(): Pick<LocalMediaSource, 'getUserMedia'> {
  return {
    getUserMedia: async () => navigator.mediaDevices.getUserMedia({ audio: true, video: false }),
  };
}

function asKitError(error: unknown, fallback: string): KitError {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const { code, message } = error as KitError;
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  }
  return { code: 'transport', message: fallback, detail: String(error) };
}

export class WalkieTalkie extends EventTarget {
  readonly transport: MatrixTransport;
  readonly self: DeviceRef;
  readonly roomId: string;
  private readonly clock: PttClock;
  private readonly media: Pick<LocalMediaSource, 'getUserMedia'>;
  private readonly describe: (userId: string) => PersonView;
  private readonly livePath?: LiveAudioPath;
  private readonly playback: PlaybackArbiter;
  private readonly download?: Download;
  private readonly prewarm: boolean;
  private readonly historyLimit: number;
  private readonly floor: FloorControl;
  private readonly driver: FloorDriver;
  private readonly roster = new OptInRoster();
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly rejectedLog: Rejection[] = [];
  private readonly posts = new Set<Promise<void>>();
  private started = false;
  private closed = false;
  private encrypted = false;
  private lastError?: KitError;
  private current: PttView;
  private transmission?: Transmission;
  /** The own claim that this device ended itself with done or max_time: its recording is posted. */
  private finishedClaim?: string;
  /** The own claim that went live (`talking`): its recording is posted however it ends, unless closed. */
  private liveClaim?: string;
  private live = false;
  private liveTargets = '';
  private prewarmed?: Promise<MediaStream | undefined>;
  private expiryTimer?: unknown;
  private delayedOptOut?: string;
  private enabled = false;
  /** Live transmissions from others that this device is playing (by claim key). */
  private readonly liveIn = new Map<string, string>();
  /** Live voices the paths hand over now, by sender device, whether or not the floor names the sender. */
  private readonly incoming = new Map<string, MediaStream>();
  /** Recent transmissions as voice messages, for the list. */
  private readonly transmissions = new TransmissionLog();

  constructor(options: WalkieTalkieOptions) {
    super();
    this.transport = options.transport;
    this.self = { userId: options.transport.userId, deviceId: options.transport.deviceId };
    this.roomId = options.transport.roomId;
    this.clock = options.clock ?? realClock;
    this.media = options.media ?? browserMicrophone();
    this.describe = options.describe ?? ((userId) => ({ userId, displayName: userId }));
    if (options.livePath) this.livePath = options.livePath;
    this.playback = options.playback ?? sharedPlaybackArbiter(new AudioElementSink());
    const transportDownload = (options.transport as { downloadFile?: Download }).downloadFile;
    const download =
      options.download ??
      (transportDownload ? (uri: string) => transportDownload.call(options.transport, uri) : undefined);
    if (download) this.download = download;
    this.prewarm = options.prewarm ?? false;
    this.historyLimit = options.historyLimit ?? 50;
    this.floor = new FloorControl({
      self: this.self,
      now: () => this.clock.now(),
      enabled: false,
      ...(options.timings ? { timings: options.timings } : {}),
    });
    this.current = this.buildView(this.floor.snapshot);
    this.driver = new FloorDriver({
      floor: this.floor,
      send: (out) => this.send(out),
      onChange: (snapshot) => this.onFloorChange(snapshot),
      now: () => this.clock.now(),
      setTimer: (callback, ms) => this.clock.setTimeout(callback, ms),
      clearTimer: (handle) => this.clock.clearTimeout(handle),
    });
  }

  /** The needs of this engine, for the controller to merge before `transport.start`. */
  walkieTalkieNeeds(): Need[] {
    return walkieTalkieNeeds(this.self);
  }

  get view(): PttView {
    return this.current;
  }

  /** The floor as this device computes it (turn, talker device, own claim). */
  get floorSnapshot(): FloorSnapshot {
    return this.floor.snapshot;
  }

  /** Devices other than this one with a valid opt-in to receive: the only ones live audio goes to. */
  get listeners(): DeviceRef[] {
    return this.roster.receivers(this.clock.now()).filter((d) => !sameDevice(d, this.self));
  }

  get error(): KitError | undefined {
    return this.lastError;
  }

  /** The last events and frames dropped by the parsers, with reasons. */
  get rejected(): readonly Rejection[] {
    return this.rejectedLog;
  }

  get isEncryptedRoom(): boolean {
    return this.encrypted;
  }

  /** Resolves when every voice message started so far has been posted (or failed). */
  async settled(): Promise<void> {
    while (this.posts.size > 0) await Promise.allSettled([...this.posts]);
  }

  /**
   * Starts listening: room events (opt-ins, floor events, voice messages), the live path, the room's opt-in
   * state, its encryption, and the recent floor history. The transport must already be started with needs
   * that include `walkieTalkieNeeds()`.
   */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    this.unsubscribes.push(this.transport.onRoomEvent((event) => this.onRoomEvent(event)));
    const onPlayback = () => this.refreshView();
    this.playback.addEventListener('change', onPlayback);
    this.unsubscribes.push(() => this.playback.removeEventListener('change', onPlayback));
    if (this.livePath) {
      this.unsubscribes.push(this.livePath.onFloorFrame((frame, from) => this.onFrame(frame, from)));
      this.unsubscribes.push(this.livePath.onLiveAudio((from, stream) => this.onLiveAudio(from, stream)));
    }
    const history = this.readHistory();
    const voiceHistory = this.readVoiceHistory();
    await Promise.all([this.loadOptIns(), this.loadEncryption()]);
    this.applyHistory(await history); // after the opt-ins: a claim counts only from a device that may send
    for (const event of await voiceHistory) this.onMessage(event, true); // listed, not played by itself
    this.refreshOptIn();
  }

  /**
   * Plays one transmission of the list now (a paused one goes on where it was), whatever else plays; a
   * recording it interrupts that was not heard yet plays after it. False when no such transmission is listed.
   */
  play(id: string): boolean {
    if (this.closed) return false;
    const listed = this.transmissions.find(id);
    if (!listed) return false;
    this.playback.play({ roomId: this.roomId, key: listed.key }, listed.load);
    return true;
  }

  /** Pauses the transmission that plays from this room's list or queue; nothing queued starts until play. */
  pause(): void {
    if (!this.closed) this.playback.pause(this.roomId);
  }

  /** Button down: asks for the floor (refused locally while someone else holds it). */
  press(): void {
    if (this.closed) return;
    this.driver.press();
  }

  /** Button up: gives the floor back and posts the recording if this device held it. */
  release(): void {
    if (this.closed) return;
    this.driver.release();
  }

  /** Writes this device's opt-in (to receive and send) or its opt-out. */
  async setOptIn(on: boolean, options: OptInOptions = {}): Promise<void> {
    const { userId, deviceId } = this.self;
    await this.cancelDelayedOptOut();
    const expiresTs =
      on && options.expiresInMs !== undefined
        ? this.clock.now() + Math.max(0, options.expiresInMs)
        : undefined;
    const out = on
      ? buildOptIn({
          userId,
          deviceId,
          receive: true,
          send: true,
          ...(expiresTs !== undefined ? { expiresTs } : {}),
        })
      : buildOptOut(userId, deviceId);
    try {
      await this.transport.sendStateEvent(out.type, out.stateKey, out.content);
    } catch (error) {
      this.fail(asKitError(error, 'Walkie-talkie mode could not be changed: the host refused it.'));
      throw error;
    }
    this.roster.set(
      on
        ? { userId, deviceId, receive: true, send: true, ...(expiresTs !== undefined ? { expiresTs } : {}) }
        : { userId, deviceId, optedOut: true },
    );
    if (expiresTs !== undefined) await this.scheduleDelayedOptOut(out.stateKey, expiresTs - this.clock.now());
    this.refreshOptIn();
  }

  /** Stops everything; a held floor is given back first. */
  close(): void {
    if (this.closed) return;
    this.driver.release();
    this.closed = true;
    this.driver.close();
    this.transmission?.discard();
    this.transmission = undefined;
    this.stopLive();
    this.playback.setTalking(this.roomId, false);
    this.playback.stopRoom(this.roomId);
    this.incoming.clear();
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    void this.prewarmed?.then((stream) => stream?.getTracks().forEach((t) => t.stop()));
    this.prewarmed = undefined;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  // ---- start-up reads ------------------------------------------------------------------------

  private async loadOptIns(): Promise<void> {
    try {
      for (const event of await this.transport.readState(PTT_OPT_IN)) this.applyOptIn(event);
    } catch (error) {
      this.fail(asKitError(error, 'The walkie-talkie cannot read who opted in: the host refused it.'));
    }
  }

  private async loadEncryption(): Promise<void> {
    try {
      const events = await this.transport.readState(ROOM_ENCRYPTION, '');
      if (events.length > 0) this.encrypted = true;
    } catch (error) {
      this.fail(asKitError(error, 'The walkie-talkie cannot tell whether the room is encrypted.'));
    }
  }

  /** Recent floor events from the timeline (releases first); none when the host refuses the read. */
  private async readHistory(): Promise<RawRoomEvent[]> {
    try {
      const [requests, releases] = await Promise.all([
        this.transport.readTimeline(FLOOR_REQUEST, this.historyLimit),
        this.transport.readTimeline(FLOOR_RELEASE, this.historyLimit),
      ]);
      return [...releases, ...requests];
    } catch {
      return []; // optional: without history the first press may go unheard once, as stale
    }
  }

  /** Recent room messages (the voice messages among them are listed); none when the host refuses the read. */
  private async readVoiceHistory(): Promise<RawRoomEvent[]> {
    try {
      const events = await this.transport.readTimeline(ROOM_MESSAGE, this.historyLimit);
      return [...events].sort((a, b) => a.origin_server_ts - b.origin_server_ts);
    } catch {
      return []; // optional: the list then starts empty
    }
  }

  /**
   * Applies the history: the claimants' own releases first, then claims by ascending turn (their time limit
   * counted from when they reached the room), then the others' revocations, so reading the past revokes
   * nothing and a revocation is judged against the claim it names. A claim older than its maximum transmit
   * time plus the grace is over for everyone; it is closed locally (nothing is sent). A claim of a device
   * without an opt-in to send is dropped, unless it is closed (it then only numbers turns).
   */
  private applyHistory(events: readonly RawRoomEvent[]): void {
    const releases: FloorRelease[] = [];
    const claims: { claim: FloorClaim; at: number; sender: string }[] = [];
    for (const event of events) {
      const parsed = parseFloorRoomEvent(event);
      if (!parsed.ok) {
        this.reject(event.type, event.sender, parsed.reason);
        continue;
      }
      const message = parsed.value;
      if (message.kind === 'release') releases.push(message.release);
      else claims.push({ claim: message.claim, at: event.origin_server_ts, sender: event.sender });
    }
    const now = this.clock.now();
    const { maxTransmitMs, revokeGraceMs } = this.floor.timings;
    for (const { claim, at } of claims) {
      const limit = Math.min(claim.maxMs ?? maxTransmitMs, maxTransmitMs);
      if (now - at > limit + revokeGraceMs) releases.push({ ...claim, reason: 'max_time' });
    }
    const closed = new Set(releases.filter((r) => !r.revokedBy).map((r) => claimKey(r)));
    const own = releases.filter((r) => !r.revokedBy);
    for (const release of own) this.driver.receive({ kind: 'release', release }, 'durable');
    claims.sort((a, b) => a.claim.turn - b.claim.turn || a.claim.ts - b.claim.ts);
    for (const { claim, at, sender } of claims) {
      const message: FloorMessage = { kind: 'request', claim };
      if (closed.has(claimKey(claim))) this.driver.receive(message, 'durable', at);
      else this.receiveFloor(message, 'durable', FLOOR_REQUEST, sender, at);
    }
    for (const release of releases.filter((r) => r.revokedBy)) {
      this.receiveFloor({ kind: 'release', release }, 'durable', FLOOR_RELEASE, release.revokedBy!.userId);
    }
  }

  // ---- incoming ------------------------------------------------------------------------------

  private onRoomEvent(event: RawRoomEvent): void {
    if (this.closed) return;
    if (event.type === PTT_OPT_IN && event.state_key !== undefined) {
      this.applyOptIn(event);
      this.refreshOptIn();
    } else if (event.type === ROOM_ENCRYPTION && event.state_key === '') {
      this.encrypted = true;
    } else if (event.type === FLOOR_REQUEST || event.type === FLOOR_RELEASE) {
      const parsed = parseFloorRoomEvent(event);
      if (parsed.ok) this.receiveFloor(parsed.value, 'durable', event.type, event.sender);
      else this.reject(event.type, event.sender, parsed.reason);
    } else if (event.type === ROOM_MESSAGE && event.state_key === undefined) {
      this.onMessage(event);
    }
  }

  private applyOptIn(event: RawRoomEvent): void {
    const parsed = this.roster.apply(event);
    if (!parsed.ok) this.reject(event.type, event.sender, parsed.reason);
  }

  private onFrame(frame: unknown, from: DeviceRef): void {
    if (this.closed) return;
    const parsed = parseFloorFrame(frame, from);
    const sender = `${from.userId} ${from.deviceId}`;
    if (parsed.ok) this.receiveFloor(parsed.value, 'fast', 'fast-path frame', sender);
    else this.reject('fast-path frame', sender, parsed.reason);
  }

  /**
   * The trust checks between the parser and the floor: a claim (or heartbeat) counts only from a device
   * with a valid opt-in to send; turns past the window and revocations the floor does not confirm are
   * dropped. Each refusal is listed with its reason (a refused stale revocation may still number the next
   * claim; the floor decides).
   */
  private receiveFloor(
    message: FloorMessage,
    path: FloorPath,
    type: string,
    sender: string,
    heardAt?: number,
  ): void {
    if (message.kind !== 'release' && !this.roster.canSend(message.claim, this.clock.now())) {
      this.reject(type, sender, 'the claimant has no valid opt-in to send: only opted-in devices may claim');
      return;
    }
    const refused = this.floor.refusal(message);
    if (refused) this.reject(type, sender, refused);
    this.driver.receive(message, path, heardAt);
  }

  /**
   * A voice message, live or read from the timeline at start (`fromHistory`). It is listed when this device
   * recorded it or its sender was seen opted in (with the device it names); a live one from someone else
   * also plays by itself while this device is opted in to receive.
   */
  private onMessage(event: RawRoomEvent, fromHistory = false): void {
    const parsed = parseVoiceMessage(event);
    if (!parsed.ok) return; // an ordinary message: not ours to judge
    const message = parsed.value;
    const link = message.transmission;
    const ownDevice = event.sender === this.self.userId && link?.deviceId === this.self.deviceId;
    const receiving = this.roster.canReceive(this.self, this.clock.now());
    // Refusals of live messages are noted only while opted in: an ordinary room's voice messages are not ours.
    const note = (reason: string) => {
      if (!fromHistory && receiving) this.reject(event.type, event.sender, reason);
    };
    if (!ownDevice && !this.roster.hasOptedIn(event.sender, link?.deviceId)) {
      note('a voice message from a user never seen opted in does not play by itself');
      return;
    }
    if (!this.download) {
      note('no way to download files: the voice message cannot be played');
      return;
    }
    const key = link
      ? claimKey({ turn: link.turn, userId: event.sender, deviceId: link.deviceId })
      : event.event_id;
    const load = voiceMessageLoader(message, this.download);
    const listed = this.transmissions.add({
      eventId: event.event_id,
      key,
      sender: event.sender,
      ownDevice,
      sentAt: event.origin_server_ts,
      message,
      load,
    });
    // Only a new live message plays by itself: one listed from the history was sent before this device came.
    if (listed && !fromHistory && !ownDevice && receiving) {
      this.playback.offerRecording({ roomId: this.roomId, key }, load);
    }
    this.refreshView();
  }

  private onLiveAudio(from: DeviceRef, stream: MediaStream | undefined): void {
    if (this.closed) return;
    const fromKey = `${from.userId}\u0000${from.deviceId}`;
    if (stream) this.incoming.set(fromKey, stream);
    else this.incoming.delete(fromKey);
    this.syncLiveIn();
  }

  /**
   * Plays the live voice of the talker only, as the floor names it now: a voice whose sender stopped being
   * the talker (it lost a race to a lesser claim, or the turn moved on) stops at once, and the voice of a
   * sender that became the talker after it arrived starts. Runs on every live voice and floor change.
   */
  private syncLiveIn(): void {
    const snapshot = this.floor.snapshot;
    const talker = snapshot.talker;
    const own = this.roster.canReceive(this.self, this.clock.now());
    const talkerKey = talker ? claimKey({ turn: snapshot.turn, ...talker }) : undefined;
    for (const [fromKey, key] of [...this.liveIn]) {
      if (own && key === talkerKey && this.incoming.has(fromKey)) continue;
      this.liveIn.delete(fromKey);
      this.playback.endLive({ roomId: this.roomId, key });
    }
    if (!own || !talker || !talkerKey || sameDevice(talker, this.self)) return; // only the floor holder
    const fromKey = `${talker.userId}\u0000${talker.deviceId}`;
    const stream = this.incoming.get(fromKey);
    if (!stream || this.liveIn.get(fromKey) === talkerKey) return;
    this.liveIn.set(fromKey, talkerKey);
    this.playback.offerLive({ roomId: this.roomId, key: talkerKey }, stream);
  }

  // ---- outgoing ------------------------------------------------------------------------------

  private send(out: Outgoing): void {
    const { message, paths } = out;
    this.noteOwnEnd(message);
    if (paths.includes('durable') && message.kind !== 'heartbeat') {
      const { type, content } = buildFloorEvent(message);
      this.transport.sendRoomEvent(type, content).catch((error: unknown) => {
        if (!this.closed) this.fail(asKitError(error, 'The walkie-talkie could not reach the room.'));
      });
    }
    if (paths.includes('fast') && this.livePath) {
      try {
        this.livePath.sendFloorFrame(encodeFloorFrame(message));
      } catch {
        // the fast path is best effort; the durable path carries every fact too
      }
    }
  }

  /** This device ending its own claim normally (done or max_time) means its recording is posted. */
  private noteOwnEnd(message: FloorMessage): void {
    if (message.kind !== 'release') return;
    const { release } = message;
    if (!sameDevice(release, this.self) || (release.reason !== 'done' && release.reason !== 'max_time'))
      return;
    if (this.transmission && claimKey(this.transmission.claim) === claimKey(release)) {
      this.finishedClaim = claimKey(release);
    }
  }

  // ---- own transmission ----------------------------------------------------------------------

  private onFloorChange(snapshot: FloorSnapshot): void {
    if (!this.floor) return; // the driver reports once from its constructor
    const mine = snapshot.floor === 'requesting' || snapshot.floor === 'talking';
    const own = snapshot.ownClaim;
    if (mine && own && (!this.transmission || claimKey(this.transmission.claim) !== claimKey(own))) {
      this.endTransmission();
      this.beginTransmission(own);
    } else if (!mine && this.transmission) {
      this.endTransmission();
    }
    if (mine && snapshot.floor === 'talking' && this.transmission) {
      this.liveClaim = claimKey(this.transmission.claim);
      this.goLive();
    }
    this.syncLiveIn();
    this.refreshView();
  }

  private beginTransmission(claim: FloorClaim): void {
    this.playback.setTalking(this.roomId, true);
    this.finishedClaim = undefined;
    this.transmission = new Transmission({
      claim,
      openMicrophone: () => this.openMicrophone(),
      onMicrophoneError: (error) => {
        this.fail(asKitError(error, 'The microphone could not be opened.'));
        this.driver.release();
      },
    });
  }

  private endTransmission(): void {
    const transmission = this.transmission;
    if (!transmission) return;
    this.transmission = undefined;
    this.stopLive();
    this.playback.setTalking(this.roomId, false);
    const key = claimKey(transmission.claim);
    // A claim that lost its own turn (to a lesser claim of that turn) within the race time of its press lost
    // a race: its audio is cut, not kept. One beaten by a higher turn, or later, is posted.
    const cut =
      this.floor.snapshot.turn === transmission.claim.turn &&
      this.clock.now() - transmission.claim.ts < this.floor.timings.raceMs;
    const post = this.finishedClaim === key || (this.liveClaim === key && !cut);
    this.finishedClaim = undefined;
    this.liveClaim = undefined;
    if (!post) {
      transmission.discard(); // lost a race, or before it went live: nothing is posted
      return;
    }
    const claim = transmission.claim;
    const task = transmission
      .finish()
      .then((recording) => (recording ? this.postVoiceMessage(recording, claim) : undefined))
      .catch((error: unknown) => {
        if (!this.closed) this.fail(asKitError(error, 'The voice message could not be sent.'));
      })
      .finally(() => this.posts.delete(task));
    this.posts.add(task);
  }

  private async postVoiceMessage(recording: Recording, claim: FloorClaim): Promise<void> {
    if (recording.blob.size === 0) return;
    const content = await prepareVoiceMessage({
      recording: recording.blob,
      mimeType: recording.mimeType,
      durationMs: recording.durationMs,
      encrypted: this.encrypted,
      upload: (file) => this.transport.uploadFile(file),
      transmission: { turn: claim.turn, deviceId: claim.deviceId, ts: claim.ts },
    });
    await this.transport.sendRoomEvent(ROOM_MESSAGE, content);
  }

  private goLive(): void {
    const transmission = this.transmission;
    if (!transmission || !this.livePath) return;
    this.live = true;
    void transmission.track.then((track) => {
      if (!track || this.transmission !== transmission || !this.live) return;
      this.retarget(track);
    });
  }

  /** Sends to the valid opted-in receivers; called again when that set changes. */
  private retarget(track?: MediaStreamTrack): void {
    if (!this.livePath || !this.live) return;
    const to = this.listeners;
    const signature = to
      .map((d) => `${d.userId} ${d.deviceId}`)
      .sort()
      .join(',');
    if (!track && signature === this.liveTargets) return;
    this.liveTargets = signature;
    const transmission = this.transmission;
    if (track) this.livePath.startSending(track, to);
    else void transmission?.track.then((t) => t && this.live && this.livePath?.startSending(t, to));
  }

  private stopLive(): void {
    if (!this.live) return;
    this.live = false;
    this.liveTargets = '';
    this.livePath?.stopSending();
  }

  private async openMicrophone(): Promise<MicrophoneLease> {
    if (this.prewarm) {
      const stream = await this.prewarmMicrophone();
      if (stream && stream.getAudioTracks().some((t) => t.readyState === 'live')) {
        return { stream, release: () => undefined };
      }
      this.prewarmed = undefined;
    }
    const stream = await this.media.getUserMedia('voice');
    return { stream, release: () => stream.getTracks().forEach((t) => t.stop()) };
  }

  private prewarmMicrophone(): Promise<MediaStream | undefined> {
    this.prewarmed ??= this.media.getUserMedia('voice').catch((error: unknown) => {
      this.prewarmed = undefined;
      this.fail(asKitError(error, 'The microphone could not be opened.'));
      return undefined;
    });
    return this.prewarmed;
  }

  // ---- opt-in --------------------------------------------------------------------------------

  /** Re-reads this device's opt-in and everyone's expiry; runs on every opt-in change and at each expiry. */
  private refreshOptIn(): void {
    if (this.closed || !this.started) return;
    const now = this.clock.now();
    const enabled = this.roster.canSend(this.self, now);
    if (enabled !== this.enabled) {
      this.enabled = enabled;
      this.driver.setEnabled(enabled);
    }
    if (!this.roster.canReceive(this.self, now)) {
      // A receiving device whose own opt-in ended stops playing at once.
      this.playback.stopRoom(this.roomId);
      this.liveIn.clear();
    }
    if (this.prewarm && enabled) void this.prewarmMicrophone();
    if (this.prewarm && !enabled && this.prewarmed) {
      void this.prewarmed.then((stream) => stream?.getTracks().forEach((t) => t.stop()));
      this.prewarmed = undefined;
    }
    this.livePath?.setAudience?.(this.listeners);
    this.retarget();
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const next = this.roster.nextExpiry(now);
    if (next !== undefined) {
      this.expiryTimer = this.clock.setTimeout(() => {
        this.expiryTimer = undefined;
        this.refreshOptIn();
      }, next - now);
    }
    this.refreshView();
  }

  private async scheduleDelayedOptOut(stateKey: string, delayMs: number): Promise<void> {
    const { type, content } = buildOptOut(this.self.userId, this.self.deviceId);
    try {
      const { delay_id } = await this.transport.sendDelayedStateEvent(type, stateKey, content, delayMs);
      this.delayedOptOut = delay_id;
    } catch {
      // Without delayed events the room keeps the expired opt-in; every reader treats it as off anyway.
    }
  }

  private async cancelDelayedOptOut(): Promise<void> {
    const delayId = this.delayedOptOut;
    this.delayedOptOut = undefined;
    if (delayId === undefined) return;
    await this.transport.updateDelayedEvent(delayId, 'cancel').catch(() => undefined);
  }

  // ---- view ----------------------------------------------------------------------------------

  private buildView(snapshot: FloorSnapshot): PttView {
    const now = this.clock.now();
    const own = this.roster.stateOf(this.self);
    const optedIn = own !== undefined && canReceive(own, now);
    const expiresAt = optedIn && own && !('optedOut' in own) ? own.expiresTs : undefined;
    const view: PttView = {
      optedIn,
      ...(expiresAt !== undefined ? { optInExpiresAt: expiresAt } : {}),
      floor: snapshot.floor,
      ...(snapshot.talker ? { talker: Object.freeze({ ...this.describe(snapshot.talker.userId) }) } : {}),
      ...(snapshot.floorEndsAt !== undefined && snapshot.talker ? { floorEndsAt: snapshot.floorEndsAt } : {}),
      maxTransmitMs: this.floor?.timings.maxTransmitMs ?? 30_000,
      queuedRecordings: this.playback?.queuedFor(this.roomId) ?? 0,
      tunedIn: Object.freeze(this.tunedInPeople(now)),
      transmissions: Object.freeze(this.transmissions.all.map((t) => this.transmissionView(t))),
    };
    return Object.freeze(view);
  }

  private transmissionView(t: LoggedTransmission): TransmissionView {
    return Object.freeze({
      id: t.eventId,
      sender: Object.freeze({ ...this.describe(t.sender) }),
      own: t.sender === this.self.userId,
      sentAt: t.sentAt,
      durationMs: t.durationMs,
      state: this.transmissionState(t),
    });
  }

  private transmissionState(t: LoggedTransmission): TransmissionState {
    const state = this.playback.stateOf({ roomId: this.roomId, key: t.key });
    if (state === 'heard') return 'played';
    if (state === 'none') return t.ownDevice ? 'played' : 'unplayed';
    return state;
  }

  /** The other people with a device opted in now, once each, in roster order. */
  private tunedInPeople(now: number): PersonView[] {
    const ids = new Set<string>();
    for (const device of this.roster.receivers(now)) {
      if (device.userId !== this.self.userId) ids.add(device.userId);
    }
    return [...ids].map((userId) => Object.freeze({ ...this.describe(userId) }));
  }

  private refreshView(): void {
    if (!this.floor) return;
    const next = this.buildView(this.floor.snapshot);
    const prev = this.current;
    if (
      prev.optedIn === next.optedIn &&
      prev.optInExpiresAt === next.optInExpiresAt &&
      prev.floor === next.floor &&
      prev.talker?.userId === next.talker?.userId &&
      prev.floorEndsAt === next.floorEndsAt &&
      prev.queuedRecordings === next.queuedRecordings &&
      idsOf(prev.tunedIn) === idsOf(next.tunedIn) &&
      statesOf(prev.transmissions) === statesOf(next.transmissions)
    ) {
      return;
    }
    this.current = next;
    this.dispatchEvent(new Event('change'));
  }

  private fail(error: KitError): void {
    this.lastError = Object.freeze(error);
    this.dispatchEvent(new Event('change'));
  }

  private reject(type: string, sender: string, reason: string): void {
    this.rejectedLog.push({ type, sender, reason });
    if (this.rejectedLog.length > MAX_REJECTIONS) this.rejectedLog.shift();
  }
}

function statesOf(list: readonly TransmissionView[] | undefined): string {
  return (list ?? []).map((t) => `${t.id} ${t.state}`).join('\n');
}

function idsOf(people: readonly PersonView[] | undefined): string {
  return (people ?? []).map((p) => p.userId).join('\n');
}
