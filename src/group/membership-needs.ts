/**
 * What writing and following MatrixRTC memberships needs from the host (MembershipManager's needs),
 * in a module of its own so the needs can be asked without loading the manager.
 *
 * Owns: the list of needs for a membership format. Never: reads or writes memberships.
 */
import {
  ELEMENT_MEMBER_EVENT,
  FAMEDLY_MEMBER_EVENT,
  MEMBER_EVENT_TYPES,
} from '../signalling/membership/event-types.js';
import { elementStateKey, famedlyStateKey } from '../signalling/membership/state-keys.js';
import type { MatrixTransport, Need } from '../transport/transport.js';

/** The format the kit writes. Both are always read. */
export type WrittenMembershipFormat = 'element' | 'famedly';

/** What the manager needs from the host, for MatrixTransport.start(). */
export function membershipNeeds(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
  options: {
    readonly format?: WrittenMembershipFormat;
    readonly ownedStateKeys?: boolean;
    readonly delayedLeave?: boolean;
  },
): Need[] {
  const format = options.format ?? 'element';
  const type = format === 'element' ? ELEMENT_MEMBER_EVENT : FAMEDLY_MEMBER_EVENT;
  const stateKey =
    format === 'element'
      ? elementStateKey(transport.userId, transport.deviceId, {
          ownedStateKeys: options.ownedStateKeys ?? false,
        })
      : famedlyStateKey(transport.userId, transport.deviceId, {
          ownedStateKeys: options.ownedStateKeys ?? false,
        });
  return [
    ...MEMBER_EVENT_TYPES.map((t): Need => ({ kind: 'receive-state', type: t })),
    // Memberships count only while their user is joined to the room (docs/security.md).
    { kind: 'receive-state', type: 'm.room.member' },
    { kind: 'send-state', type, stateKey },
    ...((options.delayedLeave ?? true) ? [{ kind: 'delayed-events' } as const] : []),
  ];
}
