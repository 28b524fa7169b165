/**
 * What an SFU call needs from the host, for MatrixTransport.start(): the membership's state (read
 * both formats, write this device's own key, delayed leave), the room's encryption state (media E2EE
 * follows it), an OpenID token (the JWT service's sign-in), the host's RTC transports (MSC4515, asked
 * for but optional), and the media key events over to-device.
 *
 * Owns: the list. Never: asks the host itself (the controller merges it with its other needs).
 */
import type { MatrixTransport, Need } from '../../transport/transport.js';
import { membershipNeeds, type WrittenMembershipFormat } from '../membership-needs.js';
import { KEY_EXCHANGE_NEEDS } from './key-exchange-needs.js';

export const ROOM_ENCRYPTION_EVENT = 'm.room.encryption';

export interface LiveKitNeedsOptions {
  readonly format?: WrittenMembershipFormat;
  readonly ownedStateKeys?: boolean;
  readonly delayedLeave?: boolean;
  /** false: media is never encrypted, so no key events are needed. Default: follow the room. */
  readonly e2ee?: boolean | 'room';
}

export function livekitNeeds(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
  options: LiveKitNeedsOptions = {},
): Need[] {
  return [
    ...membershipNeeds(transport, options),
    { kind: 'receive-state', type: ROOM_ENCRYPTION_EVENT, stateKey: '' },
    { kind: 'openid' },
    // Optional: the host's RTC transports, the first source of trusted foci (focus.ts).
    { kind: 'rtc-transports' },
    ...(options.e2ee === false ? [] : KEY_EXCHANGE_NEEDS),
  ];
}
