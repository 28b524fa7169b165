/**
 * What the mesh backend needs from the host, for MatrixTransport.start(): the membership's state
 * (read both formats, write this device's own key, delayed leave), the m.call.* events over
 * to-device both ways, TURN servers, and the room's encryption state (room-encryption.ts).
 *
 * Owns: the list. Never: asks the host itself (the controller merges it with its other needs).
 */
import { ALL_CALL_EVENT_TYPES, CALL_EVENT_TYPES } from '../../signalling/voip/types.js';
import type { MatrixTransport, Need } from '../../transport/transport.js';
import { membershipNeeds, type WrittenMembershipFormat } from '../membership-needs.js';
import { ROOM_ENCRYPTION_NEED } from '../room-encryption.js';

export interface MeshNeedsOptions {
  readonly format?: WrittenMembershipFormat;
  readonly ownedStateKeys?: boolean;
  readonly delayedLeave?: boolean;
}

/** Each need with the reason the kit gives for it, for a capability prompt or an error message. */
export interface ExplainedNeed {
  readonly need: Need;
  readonly why: string;
}

export function meshNeedsExplained(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
  options: MeshNeedsOptions = {},
): ExplainedNeed[] {
  const membership = membershipNeeds(transport, options).map((need): ExplainedNeed => {
    switch (need.kind) {
      case 'receive-state':
        return { need, why: 'to see who is in the group call' };
      case 'send-state':
        return { need, why: 'to join and leave the group call' };
      default:
        return { need, why: 'so the call drops a closed tab by itself' };
    }
  });
  const sent = Object.values(CALL_EVENT_TYPES).map((type): ExplainedNeed => ({
    need: { kind: 'send-to-device', type },
    why: 'to connect to each person in the group call',
  }));
  const received = ALL_CALL_EVENT_TYPES.map((type): ExplainedNeed => ({
    need: { kind: 'receive-to-device', type },
    why: 'to connect to each person in the group call',
  }));
  return [
    ...membership,
    ...sent,
    ...received,
    { need: { kind: 'turn-servers' }, why: 'to connect through firewalls' },
    { need: ROOM_ENCRYPTION_NEED, why: 'to refuse call signalling that was not end-to-end encrypted' },
  ];
}

/** The needs of a mesh group call. */
export function meshNeeds(
  transport: Pick<MatrixTransport, 'userId' | 'deviceId'>,
  options: MeshNeedsOptions = {},
): Need[] {
  return meshNeedsExplained(transport, options).map((n) => n.need);
}
