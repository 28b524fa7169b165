/**
 * `io.element.call.encryption_keys` in Element Call's to-device format (matrix-js-sdk
 * ToDeviceKeyTransport, EncryptionKeysToDeviceEventContent):
 *
 *   { keys: { index, key }, member: { id, claimed_device_id }, room_id,
 *     session: { application, call_id, scope }, sent_ts }
 *
 * One key per event; the key is padded standard base64 of 16 bytes.
 *
 * Owns: parsing that content (from an untrusted sender) and building it.
 * Never: throws, checks that the sender is a call member (the key ring decides what to do with keys
 * from strangers), or sends anything.
 */
import { parseKeyEntry, ELEMENT_KEY_LENGTH, encodeKey } from './key-material.js';
import {
  defaultMemberId,
  ROOM_CALL_SESSION,
  type KeySession,
  type KeysMessage,
  type MediaKey,
} from './messages.js';
import { accept, isNonEmptyString, isRecord, isRoomId, isUserId, reject, type Parsed } from './parsed.js';

function parseSession(value: unknown): Parsed<KeySession> {
  // matrix-js-sdk does not read `session` yet ("TODO check for session related fields"), and some
  // senders of the first to-device format left it out: absent means the room's call.
  if (value === undefined) return accept(ROOM_CALL_SESSION);
  if (!isRecord(value)) return reject('session must be an object');
  const { application, call_id: callId, scope } = value;
  if (!isNonEmptyString(application)) return reject('session.application must be a non-empty string');
  if (typeof callId !== 'string' || callId.length > 255) return reject('session.call_id must be a string');
  if (!isNonEmptyString(scope)) return reject('session.scope must be a non-empty string');
  return accept({ application, callId, scope });
}

/** Parses the content of an `io.element.call.encryption_keys` to-device event from `sender`. */
export function parseElementKeys(sender: string, content: unknown): Parsed<KeysMessage> {
  if (!isUserId(sender)) return reject('sender must be a Matrix user id');
  if (!isRecord(content)) return reject('content must be an object');
  const entry = parseKeyEntry(content['keys'], [ELEMENT_KEY_LENGTH]);
  if (!entry.ok) return reject(`keys: ${entry.reason}`);

  const roomId = content['room_id'];
  if (!isRoomId(roomId)) return reject('room_id must be a Matrix room id');

  const member = content['member'];
  if (!isRecord(member)) return reject('member must be an object');
  const deviceId = member['claimed_device_id'];
  if (!isNonEmptyString(deviceId)) return reject('member.claimed_device_id must be a non-empty string');
  const memberId = member['id'];
  if (memberId !== undefined && !isNonEmptyString(memberId, 1024)) {
    return reject('member.id must be a non-empty string');
  }

  const session = parseSession(content['session']);
  if (!session.ok) return session;

  const sentTs = content['sent_ts'];
  if (sentTs !== undefined && !(typeof sentTs === 'number' && Number.isSafeInteger(sentTs) && sentTs >= 0)) {
    return reject('sent_ts must be a non-negative integer');
  }

  const message: KeysMessage = {
    kind: 'keys',
    format: 'element',
    userId: sender,
    deviceId,
    memberId: memberId ?? defaultMemberId(sender, deviceId),
    roomId,
    session: session.value,
    keys: [entry.value],
    ...(sentTs === undefined ? {} : { sentTs }),
  };
  return accept(message);
}

export interface ElementKeysInput {
  readonly key: MediaKey;
  readonly roomId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly session?: KeySession;
  readonly sentTs: number;
}

/** Builds the content Element Call sends for one key. */
export function buildElementKeys(input: ElementKeysInput): object {
  const session = input.session ?? ROOM_CALL_SESSION;
  return {
    keys: { index: input.key.index, key: encodeKey(input.key.key) },
    member: { id: input.memberId, claimed_device_id: input.deviceId },
    room_id: input.roomId,
    session: { application: session.application, call_id: session.callId, scope: session.scope },
    sent_ts: input.sentTs,
  };
}
