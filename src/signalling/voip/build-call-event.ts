/**
 * Wire JSON for the kit's outgoing m.call.* events (the spec's VoIP module, version "1"), written
 * so that matrix-js-sdk (Element Web) and famedly's SDK read them too:
 * - `version: "1"` and party_id (a version 0 event, which only tests emulating old clients build,
 *   keeps version 0 and has no party_id);
 * - the metadata event under its stable type m.call.sdp_stream_metadata_changed (matrix-js-sdk
 *   handles both names), and stream metadata under both `sdp_stream_metadata` and MSC3077's
 *   unstable key, the only one matrix-js-sdk reads;
 * - a to-device leg's fields flattened into the content next to call_id, as matrix-js-sdk and
 *   famedly write them (conf_id only when the leg has one);
 * - end-of-candidates as a candidate whose `candidate` is '' (matrix-js-sdk's `{ candidate: "" }`).
 *
 * Owns: CallEvent -> { type, content }. Every content is a fresh object sharing nothing with the
 * event. Never: sends, stamps ids or seq (src/call/outgoing-events.ts does), or validates (a
 * CallEvent is already well-formed).
 */
import {
  CALL_EVENT_TYPES,
  SDP_STREAM_METADATA_KEY,
  UNSTABLE_SDP_STREAM_METADATA_KEY,
  type CallCandidate,
  type CallCapabilities,
  type CallEvent,
  type SdpStreamMetadata,
  type SessionDescription,
  type ToDeviceLeg,
} from './types.js';

export interface CallEventWire {
  readonly type: string;
  readonly content: Record<string, unknown>;
}

/** The end-of-candidates marker, as the last entry of the last m.call.candidates event. */
export const END_OF_CANDIDATES_MARKER: CallCandidate = Object.freeze({ candidate: '' });

export function isEndOfCandidates(candidate: CallCandidate): boolean {
  return candidate.candidate === '';
}

/** The event type a CallEvent is sent as. */
export function callEventType(event: CallEvent): string {
  switch (event.kind) {
    case 'invite':
      return CALL_EVENT_TYPES.invite;
    case 'candidates':
      return CALL_EVENT_TYPES.candidates;
    case 'answer':
      return CALL_EVENT_TYPES.answer;
    case 'select_answer':
      return CALL_EVENT_TYPES.selectAnswer;
    case 'reject':
      return CALL_EVENT_TYPES.reject;
    case 'negotiate':
      return CALL_EVENT_TYPES.negotiate;
    case 'hangup':
      return CALL_EVENT_TYPES.hangup;
    case 'metadata_changed':
      return CALL_EVENT_TYPES.metadataChanged;
  }
}

function description(d: SessionDescription): Record<string, unknown> {
  return { type: d.type, sdp: d.sdp };
}

function candidateJson(c: CallCandidate): Record<string, unknown> {
  return {
    candidate: c.candidate,
    ...(c.sdpMid === undefined ? {} : { sdpMid: c.sdpMid }),
    ...(c.sdpMLineIndex === undefined ? {} : { sdpMLineIndex: c.sdpMLineIndex }),
    ...(c.usernameFragment === undefined ? {} : { usernameFragment: c.usernameFragment }),
  };
}

function metadataJson(metadata: SdpStreamMetadata): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).map(([id, e]) => [
      id,
      { purpose: e.purpose, audio_muted: e.audio_muted, video_muted: e.video_muted },
    ]),
  );
}

function metadataFields(metadata: SdpStreamMetadata | undefined): Record<string, unknown> {
  if (metadata === undefined) return {};
  return {
    [SDP_STREAM_METADATA_KEY]: metadataJson(metadata),
    [UNSTABLE_SDP_STREAM_METADATA_KEY]: metadataJson(metadata),
  };
}

function capabilitiesField(capabilities: CallCapabilities | undefined): Record<string, unknown> {
  return capabilities === undefined ? {} : { capabilities: { ...capabilities } };
}

function legFields(leg: ToDeviceLeg | undefined): Record<string, unknown> {
  if (leg === undefined) return {};
  return {
    device_id: leg.device_id,
    sender_session_id: leg.sender_session_id,
    dest_session_id: leg.dest_session_id,
    seq: leg.seq,
    room_id: leg.room_id,
    ...(leg.conf_id === undefined ? {} : { conf_id: leg.conf_id }),
  };
}

function bodyFields(event: CallEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'invite':
      return {
        offer: description(event.offer),
        lifetime: event.lifetime,
        ...(event.invitee === undefined ? {} : { invitee: event.invitee }),
        ...metadataFields(event.sdp_stream_metadata),
        ...capabilitiesField(event.capabilities),
      };
    case 'candidates':
      return { candidates: event.candidates.map(candidateJson) };
    case 'answer':
      return {
        answer: description(event.answer),
        ...metadataFields(event.sdp_stream_metadata),
        ...capabilitiesField(event.capabilities),
      };
    case 'select_answer':
      return { selected_party_id: event.selected_party_id };
    case 'reject':
      return {};
    case 'negotiate':
      return {
        description: description(event.description),
        ...(event.lifetime === undefined ? {} : { lifetime: event.lifetime }),
        ...metadataFields(event.sdp_stream_metadata),
        ...capabilitiesField(event.capabilities),
      };
    case 'hangup':
      return { reason: event.reason };
    case 'metadata_changed':
      return metadataFields(event.sdp_stream_metadata);
  }
}

/** The type and content to send for `event`: a room event's content, or one to-device message. */
export function callEventContent(event: CallEvent): CallEventWire {
  const content: Record<string, unknown> = {
    call_id: event.call_id,
    version: event.version === 0 ? 0 : '1',
    ...(event.version === 0 || event.party_id === undefined ? {} : { party_id: event.party_id }),
    ...legFields(event.leg),
    ...bodyFields(event),
  };
  return { type: callEventType(event), content };
}
