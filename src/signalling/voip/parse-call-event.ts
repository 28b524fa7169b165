/**
 * Parsing of received m.call.* events (the spec's VoIP module, version "1") into typed CallEvents,
 * accepting what older and other clients send:
 * - version 0 (integer or "0"; any party_id on it is ignored, as matrix-js-sdk does), the numeric
 *   version 1, and newer or experimental version strings, read as "1";
 * - v1 events without party_id (kept without one), invites without invitee;
 * - hangups without a reason (read as 'user_hangup') or with a reason the spec does not list
 *   (matrix-js-sdk's answered_elsewhere, ... and wrong types: read as 'unknown_error'; its 'replaced'
 *   is kept, because the kit sends it too);
 * - stream metadata under `sdp_stream_metadata` or MSC3077's unstable key, and the metadata event
 *   under its stable or unstable (org.matrix.call.*) type;
 * - candidates with usernameFragment or nulls, end-of-candidates as candidate '';
 * - matrix-js-sdk's `capabilities`;
 * - the to-device leg fields (device_id, sender_session_id, dest_session_id, seq, room_id, conf_id),
 *   all or none of the five required ones: a partial leg is rejected with the names missing.
 * Unknown fields are left behind. Sizes are bounded (CALL_EVENT_LIMITS).
 *
 * Owns: turning (type, content) and a received envelope into a CallEvent / ReceivedCallEvent, or a
 * short reason naming the type and field.
 * Never: throws, logs, or decides whether the event matters to a call (sender, party, room size
 * are the call's business).
 */
import { isWireHangupReason } from '../../hangup-reasons.js';
import {
  accept,
  isNonEmptyString,
  isRecord,
  isUserId,
  reject,
  type Parsed,
} from '../encryption-keys/parsed.js';
import type { RawRoomEvent, RawToDeviceEvent } from '../../transport/transport.js';
import {
  absent,
  readCandidates,
  readCapabilities,
  readDescription,
  readDuration,
  readId,
  readLeg,
  readStreamMetadata,
  readVersion,
  LEG_FIELDS,
} from './parse-call-fields.js';
import {
  CALL_EVENT_TYPES,
  SDP_STREAM_METADATA_KEY,
  UNSTABLE_METADATA_CHANGED,
  UNSTABLE_SDP_STREAM_METADATA_KEY,
  type CallCapabilities,
  type CallEvent,
  type ReceivedCallEvent,
  type SdpStreamMetadata,
  type ToDeviceLeg,
  type WireHangupReason,
} from './types.js';

type Kind = CallEvent['kind'];

const KIND_BY_TYPE: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  [CALL_EVENT_TYPES.invite, 'invite'],
  [CALL_EVENT_TYPES.candidates, 'candidates'],
  [CALL_EVENT_TYPES.answer, 'answer'],
  [CALL_EVENT_TYPES.selectAnswer, 'select_answer'],
  [CALL_EVENT_TYPES.reject, 'reject'],
  [CALL_EVENT_TYPES.negotiate, 'negotiate'],
  [CALL_EVENT_TYPES.hangup, 'hangup'],
  [CALL_EVENT_TYPES.metadataChanged, 'metadata_changed'],
  [UNSTABLE_METADATA_CHANGED, 'metadata_changed'],
]);

/** The kind a call event type names, or undefined for other types (asserted identity, replaces, ...). */
export function callEventKind(type: string): Kind | undefined {
  return KIND_BY_TYPE.get(type);
}

export function readHangupReason(value: unknown): WireHangupReason {
  if (absent(value)) return 'user_hangup';
  return isWireHangupReason(value) ? value : 'unknown_error';
}

/** What to do with leg fields: read them if present, ignore them (room events), or demand them. */
type LegMode = 'read' | 'ignore' | 'require';

/** The parts every kind shares, spread into the kind's own fields. */
interface Envelope {
  readonly call_id: string;
  readonly version: '1' | 0;
  readonly party_id?: string;
  readonly leg?: ToDeviceLeg;
}

function readEnvelope(content: Record<string, unknown>, legMode: LegMode): Parsed<Envelope> {
  const callId = readId(content['call_id'], 'call_id');
  if (!callId.ok) return callId;
  const version = readVersion(content['version']);
  if (!version.ok) return version;
  let partyId: string | undefined;
  if (version.value !== 0 && !absent(content['party_id'])) {
    const party = readId(content['party_id'], 'party_id');
    if (!party.ok) return party;
    partyId = party.value;
  }
  let leg: ToDeviceLeg | undefined;
  if (legMode !== 'ignore') {
    const read = readLeg(content);
    if (!read.ok) return read;
    if (legMode === 'require' && read.value === undefined) {
      return reject(`a to-device call event needs ${LEG_FIELDS.join(', ')}`);
    }
    leg = read.value;
  }
  return accept({
    call_id: callId.value,
    version: version.value,
    ...(partyId === undefined ? {} : { party_id: partyId }),
    ...(leg === undefined ? {} : { leg }),
  });
}

/** Stable key first; the unstable key only when the stable one is absent. */
function readMetadataField(content: Record<string, unknown>): Parsed<SdpStreamMetadata | undefined> {
  const stable = content[SDP_STREAM_METADATA_KEY];
  if (!absent(stable)) return readStreamMetadata(stable, SDP_STREAM_METADATA_KEY);
  const unstable = content[UNSTABLE_SDP_STREAM_METADATA_KEY];
  if (!absent(unstable)) return readStreamMetadata(unstable, UNSTABLE_SDP_STREAM_METADATA_KEY);
  return accept(undefined);
}

/** Metadata and capabilities, the optional extras of invite, answer and negotiate. */
function readExtras(
  content: Record<string, unknown>,
): Parsed<{ sdp_stream_metadata?: SdpStreamMetadata; capabilities?: CallCapabilities }> {
  const metadata = readMetadataField(content);
  if (!metadata.ok) return metadata;
  let capabilities: CallCapabilities | undefined;
  if (!absent(content['capabilities'])) {
    const read = readCapabilities(content['capabilities']);
    if (!read.ok) return read;
    capabilities = read.value;
  }
  return accept({
    ...(metadata.value === undefined ? {} : { sdp_stream_metadata: metadata.value }),
    ...(capabilities === undefined ? {} : { capabilities }),
  });
}

function readBody(kind: Kind, content: Record<string, unknown>, envelope: Envelope): Parsed<CallEvent> {
  switch (kind) {
    case 'invite': {
      const offer = readDescription(content['offer'], 'offer', ['offer']);
      if (!offer.ok) return offer;
      const lifetime = readDuration(content['lifetime'], 'lifetime');
      if (!lifetime.ok) return lifetime;
      const invitee = content['invitee'];
      if (!absent(invitee) && !isUserId(invitee)) return reject('invitee must be a Matrix user id');
      const extras = readExtras(content);
      if (!extras.ok) return extras;
      return accept({
        kind,
        ...envelope,
        offer: offer.value,
        lifetime: lifetime.value,
        ...(absent(invitee) ? {} : { invitee }),
        ...extras.value,
      });
    }
    case 'candidates': {
      const candidates = readCandidates(content['candidates']);
      if (!candidates.ok) return candidates;
      return accept({ kind, ...envelope, candidates: candidates.value });
    }
    case 'answer': {
      const answer = readDescription(content['answer'], 'answer', ['answer']);
      if (!answer.ok) return answer;
      const extras = readExtras(content);
      if (!extras.ok) return extras;
      return accept({ kind, ...envelope, answer: answer.value, ...extras.value });
    }
    case 'select_answer': {
      const selected = readId(content['selected_party_id'], 'selected_party_id');
      if (!selected.ok) return selected;
      return accept({ kind, ...envelope, selected_party_id: selected.value });
    }
    case 'reject':
      return accept({ kind, ...envelope });
    case 'negotiate': {
      const description = readDescription(content['description'], 'description', ['offer', 'answer']);
      if (!description.ok) return description;
      let lifetime: number | undefined;
      if (!absent(content['lifetime'])) {
        const read = readDuration(content['lifetime'], 'lifetime');
        if (!read.ok) return read;
        lifetime = read.value;
      }
      const extras = readExtras(content);
      if (!extras.ok) return extras;
      return accept({
        kind,
        ...envelope,
        description: description.value,
        ...(lifetime === undefined ? {} : { lifetime }),
        ...extras.value,
      });
    }
    case 'hangup':
      return accept({ kind, ...envelope, reason: readHangupReason(content['reason']) });
    case 'metadata_changed': {
      const metadata = readMetadataField(content);
      if (!metadata.ok) return metadata;
      if (metadata.value === undefined) return reject(`${SDP_STREAM_METADATA_KEY} is missing`);
      return accept({ kind, ...envelope, sdp_stream_metadata: metadata.value });
    }
  }
}

/** A type as it may appear in a reason: never more than a short line. */
function shortType(type: string): string {
  return type.length > 80 ? `${type.slice(0, 80)}…` : type;
}

function parseContent(type: unknown, content: unknown, legMode: LegMode): Parsed<CallEvent> {
  if (typeof type !== 'string') return reject('the event type must be a string');
  const kind = KIND_BY_TYPE.get(type);
  if (kind === undefined) return reject(`${shortType(type)}: not a call event type the kit reads`);
  try {
    if (!isRecord(content)) return reject(`${type}: content must be an object`);
    const envelope = readEnvelope(content, legMode);
    if (!envelope.ok) return reject(`${type}: ${envelope.reason}`);
    const event = readBody(kind, content, envelope.value);
    return event.ok ? event : reject(`${type}: ${event.reason}`);
  } catch {
    // Plain JSON cannot get here; an object with throwing getters could.
    return reject(`${type}: content could not be read`);
  }
}

/**
 * Parses the content of an m.call.* event (room or to-device). Leg fields are read when present;
 * a partial leg is rejected. Never throws.
 */
export function parseCallEvent(type: string, content: unknown): Parsed<CallEvent> {
  return parseContent(type, content, 'read');
}

function readAge(unsigned: unknown): number | undefined {
  if (!isRecord(unsigned)) return undefined;
  const age = unsigned['age'];
  return typeof age === 'number' && Number.isFinite(age) && age >= 0 ? age : undefined;
}

/**
 * Parses a received event with its envelope. A room event (it has an event_id) never carries a
 * leg: leg fields in its content are ignored. A to-device event must carry a whole leg. The sender
 * must be a Matrix user id. `receivedAt` is the caller's clock at receipt. Never throws.
 */
export function parseReceivedCallEvent(
  raw: RawRoomEvent | RawToDeviceEvent,
  receivedAt: number,
): Parsed<ReceivedCallEvent> {
  try {
    const envelope: unknown = raw;
    if (!isRecord(envelope)) return reject('the event must be an object');
    const { type, sender, content } = envelope;
    const isRoomEvent = 'event_id' in envelope;
    const eventId = envelope['event_id'];
    if (isRoomEvent && !isNonEmptyString(eventId)) return reject('event_id must be a non-empty string');
    if (!isUserId(sender)) return reject('sender must be a Matrix user id');
    const event = parseContent(type, content, isRoomEvent ? 'ignore' : 'require');
    if (!event.ok) return event;
    const age = isRoomEvent ? readAge(envelope['unsigned']) : undefined;
    return accept({
      event: event.value,
      sender,
      ...(isRoomEvent ? { eventId: eventId as string } : {}),
      ...(age === undefined ? {} : { ageOnReceipt: age }),
      receivedAt,
    });
  } catch {
    return reject('the event could not be read');
  }
}
