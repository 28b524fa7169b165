/**
 * The voice message a transmission leaves in the room (m.room.message, msgtype m.audio, MSC3245 voice,
 * MSC1767 audio with duration and MSC3246 waveform), plain (`url`) or encrypted (`file`):
 * build its content and parse one back. Protocol: docs/msc4002-walkie-talkie-protocol.md, section 4.
 *
 * Owns: the content layout that other clients (Element, bridges) show as a normal voice message, and the
 * `org.matrix.msc4002.transmission` link to the claim.
 * Never: throws, records, encrypts or uploads (src/ptt/ does those).
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { parseEncryptedFile, isMxcUri, type EncryptedFile } from './encrypted-file.js';
import { TRANSMISSION_KEY } from './event-types.js';
import { accept, isCount, isNonEmptyString, isRecord, reject, type Parsed } from './parsed.js';

/** MSC3246: 30 to 120 integers, each 0..1024 inclusive. */
export const WAVEFORM_MIN_POINTS = 30;
export const WAVEFORM_MAX_POINTS = 120;
export const WAVEFORM_MAX_VALUE = 1024;

export interface TransmissionLink {
  readonly turn: number;
  readonly deviceId: string;
  /** The claim's press time. */
  readonly ts: number;
}

export type VoiceMedia = { readonly url: string } | { readonly file: EncryptedFile };

export interface VoiceMessage {
  readonly media: VoiceMedia;
  readonly mimetype: string;
  readonly size: number;
  readonly durationMs: number;
  readonly waveform: readonly number[];
  readonly transmission?: TransmissionLink;
  readonly body: string;
}

export interface VoiceMessageInput {
  readonly media: VoiceMedia;
  readonly mimetype: string;
  readonly size: number;
  readonly durationMs: number;
  readonly waveform: readonly number[];
  readonly transmission?: TransmissionLink;
  /** Shown by clients that render only text. */
  readonly body?: string;
  /** File name offered on download; defaults to "Voice message" plus the extension of the type. */
  readonly fileName?: string;
}

function extensionOf(mimetype: string): string {
  if (mimetype.startsWith('audio/ogg')) return '.ogg';
  if (mimetype.startsWith('audio/webm')) return '.webm';
  if (mimetype.startsWith('audio/mp4')) return '.m4a';
  return '';
}

/** Clamps and rounds a waveform into MSC3246's range (the count is the caller's job). */
export function sanitiseWaveform(points: readonly number[]): number[] {
  return points.map((p) =>
    Number.isFinite(p) ? Math.min(WAVEFORM_MAX_VALUE, Math.max(0, Math.round(p))) : 0,
  );
}

/** The content of the m.room.message event for a recording. */
export function buildVoiceMessageContent(input: VoiceMessageInput): Record<string, unknown> {
  const body = input.body ?? 'Voice message';
  const name = input.fileName ?? `Voice message${extensionOf(input.mimetype)}`;
  const durationMs = Math.max(0, Math.round(input.durationMs));
  const waveform = sanitiseWaveform(input.waveform);
  const mediaFields: Record<string, unknown> =
    'url' in input.media ? { url: input.media.url } : { file: input.media.file };
  const fileBlock: Record<string, unknown> = { name, mimetype: input.mimetype, size: input.size };
  if ('url' in input.media) fileBlock['url'] = input.media.url;
  else Object.assign(fileBlock, { url: input.media.file.url, file: input.media.file });
  const content: Record<string, unknown> = {
    msgtype: 'm.audio',
    body,
    ...mediaFields,
    info: { mimetype: input.mimetype, size: input.size, duration: durationMs },
    'org.matrix.msc1767.text': body,
    'org.matrix.msc1767.file': fileBlock,
    'org.matrix.msc1767.audio': { duration: durationMs, waveform },
    'org.matrix.msc3245.voice': {},
  };
  if (input.transmission) {
    content[TRANSMISSION_KEY] = {
      turn: input.transmission.turn,
      device_id: input.transmission.deviceId,
      ts: input.transmission.ts,
    };
  }
  return content;
}

function parseTransmission(value: unknown): TransmissionLink | undefined {
  if (!isRecord(value)) return undefined;
  const { turn, device_id: deviceId, ts } = value;
  if (!isCount(turn) || turn < 1 || !isNonEmptyString(deviceId) || !isCount(ts)) return undefined;
  return { turn, deviceId, ts };
}

/** A voice message (m.audio with org.matrix.msc3245.voice); other messages are rejected with a reason. */
export function parseVoiceMessage(event: RawRoomEvent): Parsed<VoiceMessage> {
  if (event.type !== 'm.room.message') return reject('not an m.room.message');
  const c = event.content;
  if (!isRecord(c)) return reject('content must be an object');
  if (c['msgtype'] !== 'm.audio') return reject('not m.audio');
  if (!isRecord(c['org.matrix.msc3245.voice']) && !isRecord(c['m.voice']))
    return reject('not a voice message');
  let media: VoiceMedia;
  if (c['file'] !== undefined) {
    const file = parseEncryptedFile(c['file']);
    if (!file.ok) return reject(file.reason);
    media = { file: file.value };
  } else if (isMxcUri(c['url'])) {
    media = { url: c['url'] };
  } else {
    return reject('no url and no file');
  }
  const info = isRecord(c['info']) ? c['info'] : {};
  const audio = isRecord(c['org.matrix.msc1767.audio']) ? c['org.matrix.msc1767.audio'] : {};
  const mimetype = typeof info['mimetype'] === 'string' ? info['mimetype'] : 'audio/ogg';
  const size = isCount(info['size']) ? info['size'] : 0;
  const duration = isCount(audio['duration'])
    ? audio['duration']
    : isCount(info['duration'])
      ? info['duration']
      : 0;
  const rawWave = Array.isArray(audio['waveform']) ? audio['waveform'].slice(0, WAVEFORM_MAX_POINTS) : [];
  const waveform = sanitiseWaveform(rawWave.map((p) => (typeof p === 'number' ? p : 0)));
  const body = typeof c['body'] === 'string' ? c['body'] : 'Voice message';
  const transmission = parseTransmission(c[TRANSMISSION_KEY]);
  const value: VoiceMessage = { media, mimetype, size, durationMs: duration, waveform, body };
  return accept(transmission ? { ...value, transmission } : value);
}
