/**
 * Turns a finished recording into the content of the voice message a transmission leaves in the room:
 * decodes it for its duration and waveform, encrypts it in an encrypted room, uploads it, and builds the
 * m.room.message content (docs/msc4002-walkie-talkie-protocol.md, section 4).
 *
 * Owns: that sequence. Never: sends the event (the caller does, through its transport), keeps the
 * plaintext key anywhere but in the returned content, or uploads plaintext for an encrypted room.
 */
import {
  buildVoiceMessageContent,
  type TransmissionLink,
  type VoiceMedia,
} from '../signalling/ptt/voice-message-event.js';
import { encryptAttachment } from './attachment-crypto.js';
import { computeWaveform } from './waveform.js';

export interface AudioAnalysis {
  readonly durationMs: number;
  readonly waveform: number[];
}

/** Decodes an audio file (Web Audio, no DOM) and measures it. Rejects when the browser cannot decode it. */
export async function analyseAudio(data: ArrayBuffer, waveformPoints = 100): Promise<AudioAnalysis> {
  const context = new OfflineAudioContext(1, 1, 48_000);
  const audio = await context.decodeAudioData(data.slice(0));
  const mono = new Float32Array(audio.length);
  for (let c = 0; c < audio.numberOfChannels; c++) {
    const channel = audio.getChannelData(c);
    for (let i = 0; i < mono.length; i++)
      mono[i] = (mono[i] ?? 0) + (channel[i] ?? 0) / audio.numberOfChannels;
  }
  return { durationMs: Math.round(audio.duration * 1000), waveform: computeWaveform(mono, waveformPoints) };
}

export interface VoiceMessageRequest {
  readonly recording: Blob;
  /** The container and codec of the recording, e.g. "audio/ogg;codecs=opus". */
  readonly mimeType: string;
  /** The recorder's own measure; used when decoding fails or reports nothing. */
  readonly durationMs: number;
  /** True in a room with m.room.encryption: the file is encrypted before upload. */
  readonly encrypted: boolean;
  /** Uploads a blob (MatrixTransport.uploadFile) and resolves with its mxc:// URI. */
  readonly upload: (file: Blob) => Promise<{ content_uri: string }>;
  readonly transmission?: TransmissionLink;
}

/** Builds the m.room.message content for a recording, uploading the (encrypted) file on the way. */
export async function prepareVoiceMessage(request: VoiceMessageRequest): Promise<Record<string, unknown>> {
  const bytes = await request.recording.arrayBuffer();
  let analysis: AudioAnalysis;
  try {
    analysis = await analyseAudio(bytes);
  } catch {
    analysis = { durationMs: request.durationMs, waveform: computeWaveform(new Float32Array(0)) };
  }
  const durationMs = analysis.durationMs > 0 ? analysis.durationMs : Math.round(request.durationMs);
  const mimetype = request.mimeType.split(';')[0]!.trim() || 'audio/ogg';
  let media: VoiceMedia;
  if (request.encrypted) {
    const { ciphertext, secrets } = await encryptAttachment(bytes);
    const { content_uri: url } = await request.upload(
      new Blob([ciphertext], { type: 'application/octet-stream' }),
    );
    media = { file: { url, ...secrets } };
  } else {
    const { content_uri: url } = await request.upload(new Blob([bytes], { type: mimetype }));
    media = { url };
  }
  return buildVoiceMessageContent({
    media,
    mimetype,
    size: bytes.byteLength,
    durationMs,
    waveform: analysis.waveform,
    ...(request.transmission ? { transmission: request.transmission } : {}),
  });
}
