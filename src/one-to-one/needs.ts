/**
 * What 1:1 calls need from Matrix, why, and the error a user sees when the host refuses some of it.
 *
 * Owns: the list of needs the CallController asks for and the plain-words reason for each.
 * Never: talks to the transport or keeps state.
 */
import { describeNeed, type Need } from '../transport/transport.js';
import { ALL_CALL_EVENT_TYPES, CALL_EVENT_TYPES } from '../signalling/voip/types.js';
import type { KitError } from '../snapshot.js';

export const MEMBER_EVENT = 'm.room.member';
export const JOIN_RULES_EVENT = 'm.room.join_rules';

/**
 * Everything a 1:1 call uses, and nothing else: send the stable m.call.* types, receive them and the
 * unstable metadata name matrix-js-sdk sends, read members and join rules, TURN, the recent timeline.
 */
export function oneToOneCallNeeds(): Need[] {
  return [
    ...Object.values(CALL_EVENT_TYPES).map((type): Need => ({ kind: 'send-event', type })),
    ...ALL_CALL_EVENT_TYPES.map((type): Need => ({ kind: 'receive-event', type })),
    { kind: 'receive-state', type: MEMBER_EVENT },
    { kind: 'receive-state', type: JOIN_RULES_EVENT },
    { kind: 'turn-servers' },
    { kind: 'read-timeline' },
  ];
}

/** Why a 1:1 call needs it, finishing the sentence "... is needed ...". */
export function whyNeeded(need: Need): string {
  switch (need.kind) {
    case 'send-event':
      return 'to place, answer and hang up calls';
    case 'receive-event':
      return 'to hear about incoming calls and the other side’s answers';
    case 'receive-state':
      return need.type === JOIN_RULES_EVENT
        ? 'to keep calls out of public rooms'
        : 'to know who is in the room (a call needs exactly two people)';
    case 'turn-servers':
      return 'to connect calls through firewalls';
    case 'read-timeline':
      return 'to ring for a call that started before the widget loaded';
    default:
      return 'for calls';
  }
}

/** The error for refused needs: which capability, and why the call needs it. */
export function capabilityDeniedError(refused: readonly Need[]): KitError {
  const list = refused.map((need) => `${describeNeed(need)} (${whyNeeded(need)})`);
  const first = refused[0];
  const headline = first
    ? `Your Matrix client did not allow ${describeNeed(first)}, which is needed ${whyNeeded(first)}.`
    : 'Your Matrix client did not allow what calls need.';
  return Object.freeze({
    code: 'capability-denied' as const,
    message: `${headline} Allow the widget’s permissions in your client, then reload it.`,
    detail: `Refused: ${list.join('; ')}.`,
  });
}
