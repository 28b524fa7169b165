/**
 * Event type names of the media E2EE key events, as each ecosystem spells them.
 *
 * Owns: the names. Never: parses or builds contents.
 */

/** Element Call / matrix-js-sdk (ToDeviceKeyTransport): one key per encrypted to-device event. */
export const ELEMENT_ENCRYPTION_KEYS = 'io.element.call.encryption_keys';

/**
 * famedly's SDK (lib/src/voip, EventTypes.GroupCallMemberEncryptionKeys): what its code sends and
 * listens for today.
 */
export const FAMEDLY_ENCRYPTION_KEYS = 'com.famedly.call.member.encryption_keys';
export const FAMEDLY_ENCRYPTION_KEYS_REQUEST = 'com.famedly.call.member.encryption_keys_request';

/**
 * The names famedly's calls README documents. Their code uses the names above; these are read too,
 * in case a client followed the README.
 */
export const FAMEDLY_ENCRYPTION_KEYS_README = 'com.famedly.call.encryption_keys';
export const FAMEDLY_ENCRYPTION_KEYS_REQUEST_README = 'com.famedly.call.encryption_keys.request';

export const FAMEDLY_KEY_TYPES: readonly string[] = [FAMEDLY_ENCRYPTION_KEYS, FAMEDLY_ENCRYPTION_KEYS_README];
export const FAMEDLY_REQUEST_TYPES: readonly string[] = [
  FAMEDLY_ENCRYPTION_KEYS_REQUEST,
  FAMEDLY_ENCRYPTION_KEYS_REQUEST_README,
];

/** Every type the key exchange listens for. */
export const ALL_KEY_EVENT_TYPES: readonly string[] = [
  ELEMENT_ENCRYPTION_KEYS,
  ...FAMEDLY_KEY_TYPES,
  ...FAMEDLY_REQUEST_TYPES,
];
