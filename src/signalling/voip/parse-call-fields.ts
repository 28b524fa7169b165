/**
 * Readers for the pieces m.call.* contents share: version, ids, session descriptions, ICE
 * candidates, stream metadata, capabilities and the fields of a to-device leg.
 *
 * Owns: the size limits of call contents and what counts as a well-formed piece. Each reader
 * returns a fresh value holding only the fields it knows (unknown fields stay behind) or a reason
 * naming the field.
 * Never: throws, knows event types (parse-call-event.ts does), or judges call state.
 */
import { accept, isRecord, isRoomId, reject, type Parsed } from '../encryption-keys/parsed.js';
import type {
  CallCandidate,
  CallCapabilities,
  SdpStreamMetadata,
  SdpStreamMetadataEntry,
  SessionDescription,
  ToDeviceLeg,
} from './types.js';

export const CALL_EVENT_LIMITS = Object.freeze({
  /** Characters of one SDP (200 KB; a video call with simulcast is about 10 KB). */
  sdpChars: 200 * 1024,
  /** Candidates in one m.call.candidates event. */
  candidates: 500,
  /** call_id, party_id, device and session ids, stream ids, sdpMid, usernameFragment. */
  idChars: 255,
  /** One candidate line (real ones are under 200 characters). */
  candidateChars: 4096,
  /** Streams described in one sdp_stream_metadata. */
  streams: 64,
  /** Largest sdpMLineIndex: an SDP with more m-lines than this is not a 1:1 call. */
  mLineIndex: 65535,
});

/** Optional fields: JSON null and absence mean the same (some clients write null). */
export function absent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= CALL_EVENT_LIMITS.idChars;
}

export function readId(value: unknown, field: string): Parsed<string> {
  return isId(value)
    ? accept(value)
    : reject(`${field} must be a non-empty string of at most ${CALL_EVENT_LIMITS.idChars} characters`);
}

/**
 * 0 and "0" are the legacy version. The spec's version is the string "1", and it allows other
 * strings for experimental versions; matrix-js-sdk types it as string | number. Every other string
 * and every positive integer is read as "1", the newest version the kit speaks.
 */
export function readVersion(value: unknown): Parsed<'1' | 0> {
  if (value === 0 || value === '0') return accept(0);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return accept('1');
  if (isId(value)) return accept('1');
  return reject('version must be 0 or a version string such as "1"');
}

/** A lifetime or delay in milliseconds. */
export function readDuration(value: unknown, field: string): Parsed<number> {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? accept(value)
    : reject(`${field} must be a non-negative number of milliseconds`);
}

export function readDescription<T extends SessionDescription['type']>(
  value: unknown,
  field: string,
  types: readonly T[],
): Parsed<{ readonly type: T; readonly sdp: string }> {
  if (!isRecord(value)) return reject(`${field} must be an object`);
  const type = value['type'];
  if (!types.some((t) => t === type))
    return reject(`${field}.type must be ${types.map((t) => `"${t}"`).join(' or ')}`);
  const sdp = value['sdp'];
  if (typeof sdp !== 'string') return reject(`${field}.sdp must be a string`);
  if (sdp.length === 0) return reject(`${field}.sdp must not be empty`);
  if (sdp.length > CALL_EVENT_LIMITS.sdpChars) {
    return reject(`${field}.sdp is longer than ${CALL_EVENT_LIMITS.sdpChars} characters`);
  }
  return accept({ type: type as T, sdp });
}

function readCandidate(value: unknown, field: string): Parsed<CallCandidate> {
  if (!isRecord(value)) return reject(`${field} must be an object`);
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (typeof candidate !== 'string') return reject(`${field}.candidate must be a string`);
  if (candidate.length > CALL_EVENT_LIMITS.candidateChars) {
    return reject(`${field}.candidate is longer than ${CALL_EVENT_LIMITS.candidateChars} characters`);
  }
  if (!absent(sdpMid) && !(typeof sdpMid === 'string' && sdpMid.length <= CALL_EVENT_LIMITS.idChars)) {
    return reject(`${field}.sdpMid must be a string of at most ${CALL_EVENT_LIMITS.idChars} characters`);
  }
  if (
    !absent(sdpMLineIndex) &&
    !(
      typeof sdpMLineIndex === 'number' &&
      Number.isSafeInteger(sdpMLineIndex) &&
      sdpMLineIndex >= 0 &&
      sdpMLineIndex <= CALL_EVENT_LIMITS.mLineIndex
    )
  ) {
    return reject(`${field}.sdpMLineIndex must be an integer from 0 to ${CALL_EVENT_LIMITS.mLineIndex}`);
  }
  if (
    !absent(usernameFragment) &&
    !(typeof usernameFragment === 'string' && usernameFragment.length <= CALL_EVENT_LIMITS.idChars)
  ) {
    return reject(
      `${field}.usernameFragment must be a string of at most ${CALL_EVENT_LIMITS.idChars} characters`,
    );
  }
  // A real candidate needs a place to go; addIceCandidate throws without one. The end-of-candidates
  // marker ('' as matrix-js-sdk sends it) needs none.
  if (candidate !== '' && absent(sdpMid) && absent(sdpMLineIndex)) {
    return reject(`${field} needs sdpMid or sdpMLineIndex`);
  }
  return accept({
    candidate,
    ...(absent(sdpMid) ? {} : { sdpMid }),
    ...(absent(sdpMLineIndex) ? {} : { sdpMLineIndex }),
    ...(absent(usernameFragment) ? {} : { usernameFragment }),
  });
}

export function readCandidates(value: unknown): Parsed<readonly CallCandidate[]> {
  if (!Array.isArray(value)) return reject('candidates must be an array');
  if (value.length > CALL_EVENT_LIMITS.candidates) {
    return reject(`candidates holds more than ${CALL_EVENT_LIMITS.candidates} entries`);
  }
  const candidates: CallCandidate[] = [];
  for (let i = 0; i < value.length; i++) {
    const candidate = readCandidate(value[i], `candidates[${i}]`);
    if (!candidate.ok) return candidate;
    candidates.push(candidate.value);
  }
  return accept(candidates);
}

function readMuted(value: unknown, field: string): Parsed<boolean> {
  // Clients from before MSC3291 sent only the purpose: absent means not muted.
  if (value === undefined) return accept(false);
  return typeof value === 'boolean' ? accept(value) : reject(`${field} must be a boolean`);
}

/**
 * Entries with a purpose the kit does not know are dropped (a later spec may add purposes);
 * entries of the wrong shape reject the whole metadata.
 */
export function readStreamMetadata(value: unknown, field: string): Parsed<SdpStreamMetadata> {
  if (!isRecord(value)) return reject(`${field} must be an object`);
  const ids = Object.keys(value);
  if (ids.length > CALL_EVENT_LIMITS.streams) {
    return reject(`${field} describes more than ${CALL_EVENT_LIMITS.streams} streams`);
  }
  const entries: [string, SdpStreamMetadataEntry][] = [];
  for (const id of ids) {
    if (!isId(id))
      return reject(`${field} has a stream id longer than ${CALL_EVENT_LIMITS.idChars} characters`);
    const entry = value[id];
    const at = `${field}[${JSON.stringify(id.slice(0, 40))}]`;
    if (!isRecord(entry)) return reject(`${at} must be an object`);
    const purpose = entry['purpose'];
    if (typeof purpose !== 'string') return reject(`${at}.purpose must be a string`);
    const audio = readMuted(entry['audio_muted'], `${at}.audio_muted`);
    if (!audio.ok) return audio;
    const video = readMuted(entry['video_muted'], `${at}.video_muted`);
    if (!video.ok) return video;
    if (purpose !== 'm.usermedia' && purpose !== 'm.screenshare') continue;
    entries.push([id, { purpose, audio_muted: audio.value, video_muted: video.value }]);
  }
  // fromEntries defines own properties, so a stream id of "__proto__" stays a plain key.
  return accept(Object.fromEntries(entries));
}

const CAPABILITY_KEYS = ['m.call.transferee', 'm.call.dtmf'] as const;

export function readCapabilities(value: unknown): Parsed<CallCapabilities> {
  if (!isRecord(value)) return reject('capabilities must be an object');
  const capabilities: { -readonly [K in keyof CallCapabilities]: boolean } = {};
  for (const key of CAPABILITY_KEYS) {
    const flag = value[key];
    if (absent(flag)) continue;
    if (typeof flag !== 'boolean') return reject(`capabilities["${key}"] must be a boolean`);
    capabilities[key] = flag;
  }
  return accept(capabilities);
}

/** The fields that make a to-device leg; conf_id is optional. */
export const LEG_FIELDS = ['device_id', 'sender_session_id', 'dest_session_id', 'seq', 'room_id'] as const;

/**
 * A leg needs all of LEG_FIELDS. None of them: not a leg (undefined). Some but not all: rejected,
 * naming the missing ones; a half-addressed leg cannot be routed or ordered. (matrix-js-sdk's legacy
 * mesh leaves room_id out and names the room by conf_id; famedly's SDK writes room_id, and the
 * kit's mesh follows famedly.)
 */
export function readLeg(content: Record<string, unknown>): Parsed<ToDeviceLeg | undefined> {
  const missing = LEG_FIELDS.filter((field) => absent(content[field]));
  if (missing.length === LEG_FIELDS.length) return accept(undefined);
  if (missing.length > 0) {
    return reject(`a to-device leg needs ${LEG_FIELDS.join(', ')}; missing ${missing.join(', ')}`);
  }
  const deviceId = readId(content['device_id'], 'device_id');
  if (!deviceId.ok) return deviceId;
  const senderSession = readId(content['sender_session_id'], 'sender_session_id');
  if (!senderSession.ok) return senderSession;
  const destSession = readId(content['dest_session_id'], 'dest_session_id');
  if (!destSession.ok) return destSession;
  const seq = content['seq'];
  if (!(typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0)) {
    return reject('seq must be a non-negative integer');
  }
  const roomId = content['room_id'];
  if (!isRoomId(roomId)) return reject('room_id must be a Matrix room id');
  const confId = content['conf_id'];
  if (!absent(confId) && !isId(confId)) {
    return reject(`conf_id must be a non-empty string of at most ${CALL_EVENT_LIMITS.idChars} characters`);
  }
  return accept({
    device_id: deviceId.value,
    sender_session_id: senderSession.value,
    dest_session_id: destSession.value,
    seq,
    room_id: roomId,
    ...(absent(confId) ? {} : { conf_id: confId }),
  });
}
