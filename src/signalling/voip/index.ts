/**
 * The 1:1 call signalling of the spec's VoIP module: typed m.call.* events, their parser and their
 * builder.
 *
 * Owns: the public surface of src/signalling/voip/. Never: call state or sending.
 */
export * from './types.js';
export {
  parseCallEvent,
  parseReceivedCallEvent,
  callEventKind,
  readHangupReason,
} from './parse-call-event.js';
export { CALL_EVENT_LIMITS, LEG_FIELDS } from './parse-call-fields.js';
export {
  callEventContent,
  callEventType,
  isEndOfCandidates,
  END_OF_CANDIDATES_MARKER,
  type CallEventWire,
} from './build-call-event.js';
export type { Parsed } from '../encryption-keys/parsed.js';
