/**
 * Media E2EE key events over to-device, in Element Call's and famedly's formats: one entry point
 * that turns a received to-device event into a typed key message or a reason to drop it.
 *
 * Owns: dispatch by event type and the checks every format shares (encrypted, this room).
 * Never: throws, keeps keys, or sends anything (that is src/group/livekit/key-exchange.ts).
 */
import type { RawToDeviceEvent } from '../../transport/transport.js';
import { parseElementKeys } from './element-keys.js';
import { ELEMENT_ENCRYPTION_KEYS, FAMEDLY_KEY_TYPES, FAMEDLY_REQUEST_TYPES } from './event-types.js';
import { parseFamedlyKeyRequest, parseFamedlyKeys } from './famedly-keys.js';
import type { KeyMessage } from './messages.js';
import { reject, type Parsed } from './parsed.js';

export * from './event-types.js';
export * from './messages.js';
export { parseElementKeys, buildElementKeys, type ElementKeysInput } from './element-keys.js';
export {
  parseFamedlyKeys,
  parseFamedlyKeyRequest,
  buildFamedlyKeys,
  buildFamedlyKeyRequest,
  type FamedlyAddressingInput,
} from './famedly-keys.js';
export { encodeKey, decodeBase64, isKeyIndex, KEY_INDEX_LIMIT, ELEMENT_KEY_LENGTH } from './key-material.js';
export type { Parsed } from './parsed.js';

/** Parses a to-device event as a key event for `roomId`. Unencrypted key events are refused. */
export function parseKeyToDeviceEvent(event: RawToDeviceEvent, roomId: string): Parsed<KeyMessage> {
  let parsed: Parsed<KeyMessage>;
  if (event.type === ELEMENT_ENCRYPTION_KEYS) parsed = parseElementKeys(event.sender, event.content);
  else if (FAMEDLY_KEY_TYPES.includes(event.type)) parsed = parseFamedlyKeys(event.sender, event.content);
  else if (FAMEDLY_REQUEST_TYPES.includes(event.type)) {
    parsed = parseFamedlyKeyRequest(event.sender, event.content);
  } else return reject(`not a key event type: ${event.type}`);
  // Checked after the type so the reason names the real problem; media keys sent in the clear
  // are useless to anyone who cares about them, so they are never used.
  if (!event.encrypted) return reject('key events must arrive end-to-end encrypted');
  if (!parsed.ok) return parsed;
  if (parsed.value.roomId !== roomId) return reject('the event is for another room');
  return parsed;
}
