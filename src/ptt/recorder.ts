/**
 * Records one transmission: a MediaStream's audio through MediaRecorder as Opus, in Ogg where the browser
 * can, else in WebM. Returns the Blob and how long the recording ran.
 *
 * Owns: choosing the container, starting and stopping one MediaRecorder, timing it.
 * Never: opens or closes the microphone (the caller owns the stream and its tracks), uploads, or touches
 * the DOM.
 */

export const RECORDING_TYPES = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus'] as const;

export interface Recording {
  readonly blob: Blob;
  /** The container and codec the blob holds. */
  readonly mimeType: string;
  /** Wall-clock time from start to stop. */
  readonly durationMs: number;
}

/** The first type the browser records, or undefined when it records neither. */
export function pickRecordingType(
  isSupported: (type: string) => boolean = (type) =>
    typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(type),
): string | undefined {
  return RECORDING_TYPES.find((type) => isSupported(type));
}

export interface RecordingHandle {
  /** Ends the recording and resolves with it once the recorder has flushed. */
  stop(): Promise<Recording>;
  /** Ends it and throws the data away (a transmission that lost the floor). */
  cancel(): void;
}

export interface RecorderOptions {
  /** Opus bit rate; voice is clear at 24-32 kbit/s. */
  readonly audioBitsPerSecond?: number;
  /** Monotonic clock in ms, for tests. */
  readonly now?: () => number;
}

/** Starts recording the stream's audio at once. Throws only if the browser cannot record Opus at all. */
export function startRecording(stream: MediaStream, options: RecorderOptions = {}): RecordingHandle {
  const mimeType = pickRecordingType();
  if (!mimeType) throw new Error('This browser cannot record Opus audio (neither Ogg nor WebM).');
  const now = options.now ?? (() => performance.now());
  const audioOnly = new MediaStream(stream.getAudioTracks());
  const recorder = new MediaRecorder(audioOnly, {
    mimeType,
    audioBitsPerSecond: options.audioBitsPerSecond ?? 32_000,
  });
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  const startedAt = now();
  recorder.start();
  let ended = false;
  return {
    stop() {
      if (ended) return Promise.reject(new Error('The recording has already ended.'));
      ended = true;
      const durationMs = Math.max(0, now() - startedAt);
      return new Promise<Recording>((resolve, reject) => {
        recorder.addEventListener('stop', () => {
          const type = chunks[0]?.type || mimeType;
          resolve({ blob: new Blob(chunks, { type }), mimeType: type, durationMs });
        });
        recorder.addEventListener('error', (event) =>
          reject(new Error(`Recording failed: ${String(event)}`)),
        );
        recorder.stop();
      });
    },
    cancel() {
      if (ended) return;
      ended = true;
      chunks.length = 0;
      recorder.stop();
    },
  };
}
