/**
 * famedly's SFU key events (matrix-dart-sdk lib/src/voip/backend/livekit_backend.dart):
 *
 *   keys:    { keys: [{ index, key }], call_id, conf_id, device_id, room_id }
 *   request: { conf_id, device_id, room_id }
 *
 * famedly puts the sender's device in `device_id` and the call in `conf_id` (and `call_id`); keys are
 * padded base64 of 32 bytes from famedly itself, 16 from the kit.
 *
 * Owns: parsing those contents (from an untrusted sender) and building them.
 * Never: throws, decides what to do with a request, or sends anything.
 */
import { encodeKey, FAMEDLY_KEY_LENGTHS, parseKeyEntry } from './key-material.js';
import { defaultMemberId, type KeyRequestMessage, type KeysMessage, type MediaKey } from './messages.js';
import { accept, isNonEmptyString, isRecord, isRoomId, isUserId, reject, type Parsed } from './parsed.js';

/** famedly's key ring holds 16 keys by default; more than this in one event is not a real sender. */
const MAX_KEYS_PER_EVENT = 256;

interface Addressing {
  readonly deviceId: string;
  readonly roomId: string;
  readonly callId: string;
}

function parseAddressing(content: Record<string, unknown>): Parsed<Addressing> {
  const { device_id: deviceId, room_id: roomId, conf_id: confId, call_id: callId } = content;
  if (!isNonEmptyString(deviceId)) return reject('device_id must be a non-empty string');
  if (!isRoomId(roomId)) return reject('room_id must be a Matrix room id');
  const call = confId ?? callId;
  if (typeof call !== 'string' || call.length > 255) return reject('conf_id must be a string');
  if (confId !== undefined && callId !== undefined && confId !== callId) {
    return reject('conf_id and call_id name different calls');
  }
  return accept({ deviceId, roomId, callId: call });
}

/** Parses the content of famedly's encryption keys event from `sender`. */
export function parseFamedlyKeys(sender: string, content: unknown): Parsed<KeysMessage> {
  if (!isUserId(sender)) return reject('sender must be a Matrix user id');
  if (!isRecord(content)) return reject('content must be an object');
  const addressing = parseAddressing(content);
  if (!addressing.ok) return addressing;

  const rawKeys = content['keys'];
  if (!Array.isArray(rawKeys) || rawKeys.length === 0) return reject('keys must be a non-empty array');
  if (rawKeys.length > MAX_KEYS_PER_EVENT)
    return reject(`keys holds more than ${MAX_KEYS_PER_EVENT} entries`);
  const keys: MediaKey[] = [];
  for (const [position, raw] of rawKeys.entries()) {
    const entry = parseKeyEntry(raw, FAMEDLY_KEY_LENGTHS);
    if (!entry.ok) return reject(`keys[${position}]: ${entry.reason}`);
    keys.push(entry.value);
  }

  const { deviceId, roomId, callId } = addressing.value;
  return accept({
    kind: 'keys',
    format: 'famedly',
    userId: sender,
    deviceId,
    memberId: defaultMemberId(sender, deviceId),
    roomId,
    session: { application: 'm.call', callId, scope: 'm.room' },
    keys,
  });
}

/** Parses the content of famedly's key request event from `sender`. */
export function parseFamedlyKeyRequest(sender: string, content: unknown): Parsed<KeyRequestMessage> {
  if (!isUserId(sender)) return reject('sender must be a Matrix user id');
  if (!isRecord(content)) return reject('content must be an object');
  const addressing = parseAddressing(content);
  if (!addressing.ok) return addressing;
  return accept({ kind: 'request', format: 'famedly', userId: sender, ...addressing.value });
}

export interface FamedlyAddressingInput {
  readonly deviceId: string;
  readonly roomId: string;
  readonly callId: string;
}

/** Builds famedly's keys content (the kit sends one key at a time). */
export function buildFamedlyKeys(
  input: FamedlyAddressingInput & { readonly keys: readonly MediaKey[] },
): object {
  return {
    keys: input.keys.map((k) => ({ index: k.index, key: encodeKey(k.key) })),
    call_id: input.callId,
    conf_id: input.callId,
    device_id: input.deviceId,
    room_id: input.roomId,
  };
}

/** Builds famedly's request content. */
export function buildFamedlyKeyRequest(input: FamedlyAddressingInput): object {
  return { conf_id: input.callId, device_id: input.deviceId, room_id: input.roomId };
}
