/**
 * This device's own transmissions: when the floor makes it the claimant, it records (Transmission), goes
 * live on the fast path to the opted-in receivers once it talks, and posts the recording as a voice
 * message (encrypted in an encrypted room) when the claim ends well: done or max_time, or after it went
 * live unless it lost a race within the race time of its press (that audio is cut, not kept).
 *
 * Owns: the microphone (opened when this device claims, or kept warm with `prewarm`), the recording, the
 * live send and the voice message posts. Never: decides the floor (it follows the snapshots it is given),
 * sends floor events, or opens the microphone before a claim unless `prewarm` is on.
 */
import type { LocalMediaSource } from '../call/peer-call-contract.js';
import type { KitError } from '../snapshot.js';
import type { FloorClaim, FloorMessage } from '../signalling/ptt/floor-events.js';
import type { MatrixTransport } from '../transport/transport.js';
import { claimKey } from './claim-order.js';
import type { DeviceRef, FloorControl, FloorSnapshot } from './floor-control.js';
import type { LiveAudioPath } from './live-audio-path.js';
import type { PlaybackArbiter } from './playback-queue.js';
import type { Recording } from './recorder.js';
import { Transmission, type MicrophoneLease } from './transmission.js';
import { prepareVoiceMessage } from './voice-message.js';
import { ROOM_MESSAGE } from './walkie-needs.js';
import { kitErrorFromThrown, transportFailure } from '../kit-errors.js';

export interface OwnTransmissionOptions {
  readonly roomId: string;
  readonly transport: Pick<MatrixTransport, 'uploadFile' | 'sendRoomEvent'>;
  readonly media: Pick<LocalMediaSource, 'getUserMedia'>;
  readonly floor: Pick<FloorControl, 'snapshot' | 'timings'>;
  readonly playback: PlaybackArbiter;
  readonly livePath: LiveAudioPath | undefined;
  readonly prewarm: boolean;
  readonly now: () => number;
  /** The valid opted-in receivers now: the only ones live audio goes to. */
  readonly listeners: () => DeviceRef[];
  readonly encrypted: () => boolean;
  readonly closed: () => boolean;
  /** Gives the floor back (the microphone could not open). */
  readonly giveUp: () => void;
  readonly fail: (error: KitError) => void;
}

const asKitError = (error: unknown, fallback: string): KitError =>
  kitErrorFromThrown(error) ?? transportFailure(fallback, error);

export class OwnTransmission {
  private transmission?: Transmission;
  /** The own claim that this device ended itself with done or max_time: its recording is posted. */
  private finishedClaim?: string;
  /** The own claim that went live (`talking`): its recording is posted however it ends, unless closed. */
  private liveClaim?: string;
  private live = false;
  private liveTargets = '';
  private prewarmed?: Promise<MediaStream | undefined>;
  private readonly posts = new Set<Promise<void>>();

  constructor(private readonly options: OwnTransmissionOptions) {}

  /** Resolves when every voice message started so far has been posted (or failed). */
  async settled(): Promise<void> {
    while (this.posts.size > 0) await Promise.allSettled([...this.posts]);
  }

  /** Follows a floor change: starts, ends or takes live this device's transmission. */
  follow(snapshot: FloorSnapshot): void {
    const mine = snapshot.floor === 'requesting' || snapshot.floor === 'talking';
    const own = snapshot.ownClaim;
    if (mine && own && (!this.transmission || claimKey(this.transmission.claim) !== claimKey(own))) {
      this.end();
      this.begin(own);
    } else if (!mine && this.transmission) {
      this.end();
    }
    if (mine && snapshot.floor === 'talking' && this.transmission) {
      this.liveClaim = claimKey(this.transmission.claim);
      this.goLive();
    }
  }

  /** A floor message this device sends: ending its own claim normally means its recording is posted. */
  noteSent(message: FloorMessage): void {
    if (message.kind !== 'release') return;
    const { release } = message;
    if (release.reason !== 'done' && release.reason !== 'max_time') return;
    // The claim key names the device: another device's release never matches.
    if (this.transmission && claimKey(this.transmission.claim) === claimKey(release)) {
      this.finishedClaim = claimKey(release);
    }
  }

  /** Sends to the valid opted-in receivers; called again when that set changes. */
  retarget(track?: MediaStreamTrack): void {
    const path = this.options.livePath;
    if (!path || !this.live) return;
    const to = this.options.listeners();
    const signature = to
      .map((d) => `${d.userId} ${d.deviceId}`)
      .sort()
      .join(',');
    if (!track && signature === this.liveTargets) return;
    this.liveTargets = signature;
    const transmission = this.transmission;
    if (track) path.startSending(track, to);
    else void transmission?.track.then((t) => t && this.live && path.startSending(t, to));
  }

  /** With `prewarm`: the microphone stays open while this device may send, and closes when it may not. */
  keepWarm(maySend: boolean): void {
    if (!this.options.prewarm) return;
    if (maySend) void this.prewarmMicrophone();
    else if (this.prewarmed) this.releasePrewarmed();
  }

  close(): void {
    this.transmission?.discard();
    this.transmission = undefined;
    this.stopLive();
    this.options.playback.setTalking(this.options.roomId, false);
    this.releasePrewarmed();
  }

  private begin(claim: FloorClaim): void {
    this.options.playback.setTalking(this.options.roomId, true);
    this.finishedClaim = undefined;
    this.transmission = new Transmission({
      claim,
      openMicrophone: () => this.openMicrophone(),
      onMicrophoneError: (error) => {
        this.options.fail(asKitError(error, 'The microphone could not be opened.'));
        this.options.giveUp();
      },
    });
  }

  private end(): void {
    const transmission = this.transmission;
    if (!transmission) return;
    this.transmission = undefined;
    this.stopLive();
    this.options.playback.setTalking(this.options.roomId, false);
    const key = claimKey(transmission.claim);
    // A claim that lost its own turn (to a lesser claim of that turn) within the race time of its press lost
    // a race: its audio is cut, not kept. One beaten by a higher turn, or later, is posted.
    const { floor } = this.options;
    const cut =
      floor.snapshot.turn === transmission.claim.turn &&
      this.options.now() - transmission.claim.ts < floor.timings.raceMs;
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
      .then((recording) => (recording ? this.post(recording, claim) : undefined))
      .catch((error: unknown) => {
        if (!this.options.closed())
          this.options.fail(asKitError(error, 'The voice message could not be sent.'));
      })
      .finally(() => this.posts.delete(task));
    this.posts.add(task);
  }

  private async post(recording: Recording, claim: FloorClaim): Promise<void> {
    if (recording.blob.size === 0) return;
    const { transport } = this.options;
    const content = await prepareVoiceMessage({
      recording: recording.blob,
      mimeType: recording.mimeType,
      durationMs: recording.durationMs,
      encrypted: this.options.encrypted(),
      upload: (file) => transport.uploadFile(file),
      transmission: { turn: claim.turn, deviceId: claim.deviceId, ts: claim.ts },
    });
    await transport.sendRoomEvent(ROOM_MESSAGE, content);
  }

  private goLive(): void {
    const transmission = this.transmission;
    if (!transmission || !this.options.livePath) return;
    this.live = true;
    void transmission.track.then((track) => {
      if (!track || this.transmission !== transmission || !this.live) return;
      this.retarget(track);
    });
  }

  private stopLive(): void {
    if (!this.live) return;
    this.live = false;
    this.liveTargets = '';
    this.options.livePath?.stopSending();
  }

  private async openMicrophone(): Promise<MicrophoneLease> {
    if (this.options.prewarm) {
      const stream = await this.prewarmMicrophone();
      if (stream && stream.getAudioTracks().some((t) => t.readyState === 'live')) {
        return { stream, release: () => undefined };
      }
      this.prewarmed = undefined;
    }
    const stream = await this.options.media.getUserMedia('voice');
    return { stream, release: () => stream.getTracks().forEach((t) => t.stop()) };
  }

  private prewarmMicrophone(): Promise<MediaStream | undefined> {
    this.prewarmed ??= this.options.media.getUserMedia('voice').catch((error: unknown) => {
      this.prewarmed = undefined;
      this.options.fail(asKitError(error, 'The microphone could not be opened.'));
      return undefined;
    });
    return this.prewarmed;
  }

  private releasePrewarmed(): void {
    void this.prewarmed?.then((stream) => stream?.getTracks().forEach((t) => t.stop()));
    this.prewarmed = undefined;
  }
}
