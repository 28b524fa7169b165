/**
 * What the media key exchange (key-exchange.ts) needs from the host, in a module of its own so the
 * needs can be asked without loading the key exchange and its key ring.
 *
 * Owns: the list of needs. Never: sends, receives or parses key events.
 */
import {
  ALL_KEY_EVENT_TYPES,
  ELEMENT_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS_REQUEST,
} from '../../signalling/encryption-keys/event-types.js';
import type { Need } from '../../transport/transport.js';

/** What the key exchange needs from the host. */
export const KEY_EXCHANGE_NEEDS: readonly Need[] = [
  { kind: 'send-to-device', type: ELEMENT_ENCRYPTION_KEYS },
  { kind: 'send-to-device', type: FAMEDLY_ENCRYPTION_KEYS },
  { kind: 'send-to-device', type: FAMEDLY_ENCRYPTION_KEYS_REQUEST },
  ...ALL_KEY_EVENT_TYPES.map((type): Need => ({ kind: 'receive-to-device', type })),
];
