/**
 * Media key material on the wire: standard base64 of the raw key bytes, and the key index.
 *
 * Owns: the checks every key event shares (index 0..255, key length) and the byte <-> text step.
 * Never: throws, generates keys (that is src/group/livekit/key-ring.ts) or logs key bytes.
 */
import { fromBase64, toBase64 } from '../../encoding/base64.js';
import { accept, reject, type Parsed } from './parsed.js';

/** Element Call (RTCEncryptionManager) makes 16 random bytes per key. */
export const ELEMENT_KEY_LENGTH = 16;
/**
 * famedly's SDK makes 32 random bytes per key (LiveKitBackend._makeNewSenderKey). LiveKit derives
 * its frame keys with HKDF from whatever it is given, so both lengths work; famedly keys are accepted
 * at either length so the kit can hear famedly clients.
 */
export const FAMEDLY_KEY_LENGTHS: readonly number[] = [16, 32];

/** LiveKit key ring slots; the kit and Element Call count indexes modulo 256. */
export const KEY_INDEX_LIMIT = 256;

export function isKeyIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < KEY_INDEX_LIMIT;
}

/** Padded standard base64, as matrix-js-sdk's encodeBase64 and Dart's base64Encode write it. */
export function encodeKey(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/** Accepts standard or url-safe alphabets, padded or not. */
export const decodeBase64 = fromBase64;

/** A key entry `{ index, key }`; `lengths` lists the byte lengths the format allows. */
export function parseKeyEntry(
  value: unknown,
  lengths: readonly number[],
): Parsed<{ readonly index: number; readonly key: Uint8Array }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('a key entry must be an object');
  }
  const { index, key } = value as Record<string, unknown>;
  if (!isKeyIndex(index)) return reject('key index must be an integer from 0 to 255');
  if (typeof key !== 'string' || key.length === 0 || key.length > 128) {
    return reject('key must be a non-empty base64 string');
  }
  const bytes = decodeBase64(key);
  if (bytes === undefined) return reject('key is not valid base64');
  if (!lengths.includes(bytes.length)) {
    return reject(`key must be ${lengths.join(' or ')} bytes, got ${bytes.length}`);
  }
  return accept({ index, key: bytes });
}
