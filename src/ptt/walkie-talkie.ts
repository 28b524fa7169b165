/**
 * WalkieTalkie: the walkie-talkie engine of one room (docs/msc4002-walkie-talkie-protocol.md). A controller
 * merges `walkieTalkieNeeds()` into what it asks the host for, calls `start()`, shows `view` (a PttView,
 * replaced on every `change` event) and calls `press()`, `release()` and `setOptIn()`.
 *
 * Owns: wiring the floor arbiter (FloorControl, on its timer by FloorDriver) to the paths (room events
 * always, a LiveAudioPath when a call backend gives one) and the trust checks between the parsers and the
 * floor. Its parts: the opt-ins (OptInKeeper), this device's own transmissions (OwnTransmission), the
 * talker's live voice in (TalkerVoice), the received voice messages (VoiceMessageList), the start-up reads
 * (walkie-history.ts) and the view (walkie-view.ts).
 * Never: decides the floor itself (FloorControl does), asks the host for capabilities, touches the DOM, or
 * opens the microphone before this device claims the floor (unless `prewarm` is on). A hostile or malformed
 * event is dropped with a reason (`rejected`), never thrown: claims of devices without an opt-in to send,
 * turns past the window and revocations the floor does not confirm included (docs/security.md).
 */
import type { LocalMediaSource } from '../call/peer-call-contract.js';
import { kitErrorFromThrown, transportFailure } from '../kit-errors.js';
import type { KitError, PersonView, PttView } from '../snapshot.js';
import { FLOOR_RELEASE, FLOOR_REQUEST, PTT_OPT_IN } from '../signalling/ptt/event-types.js';
import {
  encodeFloorFrame,
  parseFloorFrame,
  parseFloorRoomEvent,
  buildFloorEvent,
  type FloorMessage,
} from '../signalling/ptt/floor-events.js';
import type { MatrixTransport, Need, RawRoomEvent, Unsubscribe } from '../transport/transport.js';
import { sameDevice } from './claim-order.js';
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
import { OptInKeeper, type OptInOptions } from './opt-in-keeper.js';
import { OwnTransmission } from './own-transmission.js';
import { sharedPlaybackArbiter, type PlaybackArbiter } from './playback-queue.js';
import { AudioElementSink } from './audio-element-sink.js';
import type { Download } from './received-voice.js';
import { TalkerVoice } from './talker-voice.js';
import { VoiceMessageList } from './voice-message-list.js';
import { readFloorHistory, readVoiceHistory, replayFloorHistory } from './walkie-history.js';
import { ROOM_ENCRYPTION, ROOM_MESSAGE, walkieTalkieNeeds } from './walkie-needs.js';
import { buildWalkieView, viewChanged } from './walkie-view.js';
import { systemClock } from '../time/system-clock.js';

export type { OptInOptions } from './opt-in-keeper.js';

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

const asKitError = (error: unknown, fallback: string): KitError =>
  kitErrorFromThrown(error) ?? transportFailure(fallback, error);

export class WalkieTalkie extends EventTarget {
  readonly transport: MatrixTransport;
  readonly self: DeviceRef;
  readonly roomId: string;
  private readonly clock: PttClock;
  private readonly describe: (userId: string) => PersonView;
  private readonly livePath?: LiveAudioPath;
  private readonly playback: PlaybackArbiter;
  private readonly historyLimit: number;
  private readonly floor: FloorControl;
  private readonly driver: FloorDriver;
  private readonly optIns: OptInKeeper;
  private readonly own: OwnTransmission;
  private readonly voices: TalkerVoice;
  private readonly messages: VoiceMessageList;
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly rejectedLog: Rejection[] = [];
  private started = false;
  private closed = false;
  private encrypted = false;
  private enabled = false;
  private lastError?: KitError;
  private current: PttView;

  constructor(options: WalkieTalkieOptions) {
    super();
    this.transport = options.transport;
    this.self = { userId: options.transport.userId, deviceId: options.transport.deviceId };
    this.roomId = options.transport.roomId;
    this.clock = options.clock ?? realClock;
    this.describe = options.describe ?? ((userId) => ({ userId, displayName: userId }));
    if (options.livePath) this.livePath = options.livePath;
    this.playback = options.playback ?? sharedPlaybackArbiter(new AudioElementSink());
    const transportDownload = (options.transport as { downloadFile?: Download }).downloadFile;
    const download =
      options.download ??
      (transportDownload ? (uri: string) => transportDownload.call(options.transport, uri) : undefined);
    this.historyLimit = options.historyLimit ?? 50;
    const now = () => this.clock.now();
    const fail = (error: KitError) => this.fail(error);
    const reject = (type: string, sender: string, reason: string) => this.reject(type, sender, reason);
    this.floor = new FloorControl({
      self: this.self,
      now,
      enabled: false,
      ...(options.timings ? { timings: options.timings } : {}),
    });
    this.optIns = new OptInKeeper({
      transport: this.transport,
      self: this.self,
      clock: this.clock,
      fail,
      reject,
    });
    this.messages = new VoiceMessageList({
      self: this.self,
      roomId: this.roomId,
      roster: this.optIns.roster,
      playback: this.playback,
      download,
      now,
      reject,
    });
    this.voices = new TalkerVoice(this.self, this.roomId, this.playback);
    this.own = new OwnTransmission({
      roomId: this.roomId,
      transport: this.transport,
      media: options.media ?? browserMicrophone(),
      floor: this.floor,
      playback: this.playback,
      livePath: this.livePath,
      prewarm: options.prewarm ?? false,
      now,
      listeners: () => this.listeners,
      encrypted: () => this.encrypted,
      closed: () => this.closed,
      giveUp: () => this.driver.release(),
      fail,
    });
    this.current = this.buildView();
    this.driver = new FloorDriver({
      floor: this.floor,
      send: (out) => this.send(out),
      onChange: (snapshot) => this.onFloorChange(snapshot),
      now,
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
    return this.optIns.roster.receivers(this.clock.now()).filter((d) => !sameDevice(d, this.self));
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
  settled(): Promise<void> {
    return this.own.settled();
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
    const history = readFloorHistory(this.transport, this.historyLimit);
    const voiceHistory = readVoiceHistory(this.transport, this.historyLimit);
    await Promise.all([this.optIns.load(), this.loadEncryption()]);
    // After the opt-ins: a claim counts only from a device that may send.
    replayFloorHistory(await history, {
      now: this.clock.now(),
      timings: this.floor.timings,
      settle: (message, heardAt) => this.driver.receive(message, 'durable', heardAt),
      judge: (message, type, sender, heardAt) => this.receiveFloor(message, 'durable', type, sender, heardAt),
      reject: (type, sender, reason) => this.reject(type, sender, reason),
    });
    for (const event of await voiceHistory) this.messages.take(event, true); // listed, not played by itself
    this.refreshView();
    this.refreshOptIn();
  }

  /**
   * Plays one transmission of the list now (a paused one goes on where it was), whatever else plays; a
   * recording it interrupts that was not heard yet plays after it. False when no such transmission is listed.
   */
  play(id: string): boolean {
    if (this.closed) return false;
    const listed = this.messages.find(id);
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
    await this.optIns.write(on, options);
    this.refreshOptIn();
  }

  /** Stops everything; a held floor is given back first. */
  close(): void {
    if (this.closed) return;
    this.driver.release();
    this.closed = true;
    this.driver.close();
    this.own.close();
    this.playback.stopRoom(this.roomId);
    this.voices.clear();
    this.optIns.close();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  private async loadEncryption(): Promise<void> {
    try {
      const events = await this.transport.readState(ROOM_ENCRYPTION, '');
      if (events.length > 0) this.encrypted = true;
    } catch (error) {
      this.fail(asKitError(error, 'The walkie-talkie cannot tell whether the room is encrypted.'));
    }
  }

  // ---- incoming ------------------------------------------------------------------------------

  private onRoomEvent(event: RawRoomEvent): void {
    if (this.closed) return;
    if (event.type === PTT_OPT_IN && event.state_key !== undefined) {
      this.optIns.apply(event);
      this.refreshOptIn();
    } else if (event.type === ROOM_ENCRYPTION && event.state_key === '') {
      this.encrypted = true;
    } else if (event.type === FLOOR_REQUEST || event.type === FLOOR_RELEASE) {
      const parsed = parseFloorRoomEvent(event);
      if (parsed.ok) this.receiveFloor(parsed.value, 'durable', event.type, event.sender);
      else this.reject(event.type, event.sender, parsed.reason);
    } else if (event.type === ROOM_MESSAGE && event.state_key === undefined) {
      if (this.messages.take(event)) this.refreshView();
    }
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
    if (message.kind !== 'release' && !this.optIns.roster.canSend(message.claim, this.clock.now())) {
      this.reject(type, sender, 'the claimant has no valid opt-in to send: only opted-in devices may claim');
      return;
    }
    const refused = this.floor.refusal(message);
    if (refused) this.reject(type, sender, refused);
    this.driver.receive(message, path, heardAt);
  }

  private onLiveAudio(from: DeviceRef, stream: MediaStream | undefined): void {
    if (this.closed) return;
    this.voices.setVoice(from, stream);
    this.voices.sync(this.floor.snapshot, this.receiving());
  }

  // ---- outgoing ------------------------------------------------------------------------------

  private send(out: Outgoing): void {
    const { message, paths } = out;
    this.own.noteSent(message);
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

  private onFloorChange(snapshot: FloorSnapshot): void {
    if (!this.own) return; // the driver reports once from its constructor
    this.own.follow(snapshot);
    this.voices.sync(snapshot, this.receiving());
    this.refreshView();
  }

  // ---- opt-in --------------------------------------------------------------------------------

  private receiving(): boolean {
    return this.optIns.roster.canReceive(this.self, this.clock.now());
  }

  /** Re-reads this device's opt-in and everyone's expiry; runs on every opt-in change and at each expiry. */
  private refreshOptIn(): void {
    if (this.closed || !this.started) return;
    const enabled = this.optIns.roster.canSend(this.self, this.clock.now());
    if (enabled !== this.enabled) {
      this.enabled = enabled;
      this.driver.setEnabled(enabled);
    }
    if (!this.receiving()) {
      // A receiving device whose own opt-in ended stops playing at once.
      this.playback.stopRoom(this.roomId);
      this.voices.forgetPlaying();
    }
    this.own.keepWarm(enabled);
    this.livePath?.setAudience?.(this.listeners);
    this.own.retarget();
    this.optIns.wakeAtNextExpiry(() => this.refreshOptIn());
    this.refreshView();
  }

  // ---- view ----------------------------------------------------------------------------------

  private buildView(): PttView {
    return buildWalkieView(this.floor.snapshot, this.clock.now(), {
      self: this.self,
      roomId: this.roomId,
      roster: this.optIns.roster,
      playback: this.playback,
      transmissions: this.messages.all,
      maxTransmitMs: this.floor.timings.maxTransmitMs,
      describe: this.describe,
    });
  }

  private refreshView(): void {
    if (!this.driver) return;
    const next = this.buildView();
    if (!viewChanged(this.current, next)) return;
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
