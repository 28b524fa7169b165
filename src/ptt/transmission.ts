/**
 * Transmission: the microphone and the recording of one floor claim, from the claim to its end.
 *
 * Owns: opening the microphone (or taking the pre-warmed one), starting the recorder once it is open, and
 * ending both: `finish()` hands back the recording, `discard()` throws it away (a claim that lost).
 * Never: decides who holds the floor, sends or uploads anything, or leaves a microphone it opened running
 * after it ended: a microphone that opens only after `finish()` or `discard()` (the user let go, or left,
 * while the browser's permission prompt was open) is given back at once and records nothing.
 */
import type { FloorClaim } from '../signalling/ptt/floor-events.js';
import { startRecording, type Recording, type RecordingHandle } from './recorder.js';

export interface MicrophoneLease {
  readonly stream: MediaStream;
  /** Gives the microphone back: stops it, or keeps it open when pre-warmed. */
  release(): void;
}

export interface TransmissionOptions {
  readonly claim: FloorClaim;
  readonly openMicrophone: () => Promise<MicrophoneLease>;
  /** Told when the microphone could not be opened. */
  readonly onMicrophoneError: (error: unknown) => void;
}

export class Transmission {
  readonly claim: FloorClaim;
  /** Resolves with the microphone's audio track once it is open, or undefined if it never opened. */
  readonly track: Promise<MediaStreamTrack | undefined>;
  private lease?: MicrophoneLease;
  private recording?: RecordingHandle;
  private ended = false;
  /** `finish()` was called: a microphone that opens from now on is not used. */
  private finishing = false;

  constructor(options: TransmissionOptions) {
    this.claim = options.claim;
    this.track = options.openMicrophone().then(
      (lease) => {
        if (this.ended || this.finishing) {
          lease.release();
          return undefined;
        }
        this.lease = lease;
        try {
          this.recording = startRecording(lease.stream);
        } catch (error) {
          options.onMicrophoneError(error);
        }
        return lease.stream.getAudioTracks()[0];
      },
      (error: unknown) => {
        if (!this.ended) options.onMicrophoneError(error);
        return undefined;
      },
    );
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Ends the transmission and resolves with its recording (undefined when nothing was recorded). */
  async finish(): Promise<Recording | undefined> {
    if (this.ended || this.finishing) return undefined;
    this.finishing = true;
    await this.track;
    this.ended = true;
    const recording = this.recording;
    this.recording = undefined;
    try {
      return recording ? await recording.stop() : undefined;
    } finally {
      this.lease?.release();
      this.lease = undefined;
    }
  }

  /** Ends the transmission and throws the recording away. */
  discard(): void {
    if (this.ended) return;
    this.ended = true;
    this.recording?.cancel();
    this.recording = undefined;
    this.lease?.release();
    this.lease = undefined;
  }
}
