/**
 * What a walkie-talkie needs from the host, for the controller to merge with its other needs before it calls
 * `transport.start(needs)`.
 *
 * Owns: the list, which of its entries the engine can do without, and the error when the others are
 * refused. Never: asks the host itself.
 */
import { FLOOR_RELEASE, FLOOR_REQUEST, PTT_OPT_IN } from '../signalling/ptt/event-types.js';
import { optInStateKey } from '../signalling/ptt/opt-in.js';
import type { KitError } from '../snapshot.js';
import { describeNeed, type Need } from '../transport/transport.js';

export const ROOM_MESSAGE = 'm.room.message';
export const ROOM_ENCRYPTION = 'm.room.encryption';

/** Floor events travel as room events (durable path); heartbeats never do. */
const DURABLE_FLOOR_TYPES = [FLOOR_REQUEST, FLOOR_RELEASE, ROOM_MESSAGE] as const;

export function walkieTalkieNeeds(self?: { readonly userId: string; readonly deviceId: string }): Need[] {
  return [
    ...DURABLE_FLOOR_TYPES.map((type): Need => ({ kind: 'send-event', type })),
    ...DURABLE_FLOOR_TYPES.map((type): Need => ({ kind: 'receive-event', type })),
    self
      ? { kind: 'send-state', type: PTT_OPT_IN, stateKey: optInStateKey(self.userId, self.deviceId) }
      : { kind: 'send-state', type: PTT_OPT_IN },
    { kind: 'receive-state', type: PTT_OPT_IN },
    { kind: 'receive-state', type: ROOM_ENCRYPTION },
    { kind: 'read-timeline' },
    { kind: 'upload-file' },
    { kind: 'download-file' },
    { kind: 'delayed-events' },
  ];
}

/**
 * Needs whose refusal only weakens the walkie-talkie: without delayed events a timed opt-in is not cleared in
 * the room when the device never comes back (readers still treat it as expired); without the timeline a
 * device starts without the recent floor history.
 */
export function isOptionalWalkieTalkieNeed(need: Need): boolean {
  return need.kind === 'delayed-events' || need.kind === 'read-timeline';
}

/** The plain-words error when the host refused what the walkie-talkie cannot do without. */
export function walkieTalkieDeniedError(refused: readonly Need[]): KitError {
  return Object.freeze({
    code: 'capability-denied' as const,
    message:
      `Your Matrix client did not allow ${refused.map(describeNeed).join(', ')}, which the walkie-talkie ` +
      'needs to pass the floor and keep each transmission as a voice message. Calls still work. To use the ' +
      'walkie-talkie, allow the widget’s permissions in your client, then reload it.',
  });
}
