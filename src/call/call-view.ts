/**
 * Builds the frozen CallView a UI renders from the call's current facts.
 *
 * Owns: the mapping from call facts to CallView, including "missed". Never: holds state or fires events.
 */
import type { CallView, HangupReason, PersonView } from '../snapshot.js';

/**
 * What the view is built from: the view's own fields, less what the builder works out ("missed"),
 * plus whether someone on this device answered (incoming) or placed the call here (outgoing).
 */
export interface CallFacts extends Omit<CallView, 'missed'> {
  readonly answeredHere: boolean;
}

/** Ends that mean someone dealt with the call, so it is not reported as missed. */
const HANDLED_ENDS: ReadonlySet<HangupReason> = new Set<HangupReason>([
  'rejected',
  'answered_elsewhere',
  'rejected_elsewhere',
  'dismissed',
  'replaced',
]);

export function isMissed(facts: CallFacts): boolean {
  if (facts.direction !== 'incoming' || facts.state !== 'ended' || facts.answeredHere) return false;
  if (facts.hangupReason && HANDLED_ENDS.has(facts.hangupReason)) return false;
  return facts.hangupParty === 'remote' || facts.hangupReason === 'invite_timeout';
}

export function buildCallView(facts: CallFacts): CallView {
  const peer: PersonView = Object.freeze({ ...facts.peer });
  return Object.freeze({
    id: facts.id,
    kind: facts.kind,
    state: facts.state,
    direction: facts.direction,
    peer,
    localStreams: Object.freeze([...facts.localStreams]),
    remoteStreams: Object.freeze([...facts.remoteStreams]),
    micMuted: facts.micMuted,
    cameraMuted: facts.cameraMuted,
    onHold: facts.onHold,
    remoteOnHold: facts.remoteOnHold,
    screenSharing: facts.screenSharing,
    connection: facts.connection,
    waiting: facts.waiting,
    ...(facts.connectedAt !== undefined ? { connectedAt: facts.connectedAt } : {}),
    ...(facts.endedAt !== undefined ? { endedAt: facts.endedAt } : {}),
    ...(facts.hangupReason !== undefined ? { hangupReason: facts.hangupReason } : {}),
    ...(facts.hangupParty !== undefined ? { hangupParty: facts.hangupParty } : {}),
    missed: isMissed(facts),
  });
}
