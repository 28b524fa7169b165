/**
 * Typed m.call.* events of the spec's VoIP module (version "1"), as the rest of the kit sees them
 * after a parser has looked at the raw JSON.
 *
 * Owns: the shapes of the 1:1 call events in both modes (room events, and to-device legs of a mesh
 * group call, which add device and session ids, seq and room_id), and the event type names.
 * Never: parses or builds (parse-call-event.ts and build-call-event.ts do), or holds call state.
 */

export const CALL_EVENT_TYPES = {
  invite: 'm.call.invite',
  candidates: 'm.call.candidates',
  answer: 'm.call.answer',
  selectAnswer: 'm.call.select_answer',
  reject: 'm.call.reject',
  negotiate: 'm.call.negotiate',
  hangup: 'm.call.hangup',
  metadataChanged: 'm.call.sdp_stream_metadata_changed',
} as const;

/** matrix-js-sdk sends the metadata event under this unstable name; both are read, the stable one sent. */
export const UNSTABLE_METADATA_CHANGED = 'org.matrix.call.sdp_stream_metadata_changed';

/** The content key of the stream metadata in the spec (invite, answer, negotiate, metadata_changed). */
export const SDP_STREAM_METADATA_KEY = 'sdp_stream_metadata';
/**
 * MSC3077's unstable content key: the only one matrix-js-sdk reads and writes. Both are read (the
 * stable one first) and both are written, so Element Web sees the kit's mute state.
 */
export const UNSTABLE_SDP_STREAM_METADATA_KEY = 'org.matrix.msc3077.sdp_stream_metadata';

export type CallEventName = keyof typeof CALL_EVENT_TYPES;
export type CallEventType = (typeof CALL_EVENT_TYPES)[CallEventName];

/** Every room event type the 1:1 call reads (the widget asks to receive these, and to send the stable ones). */
export const ALL_CALL_EVENT_TYPES: readonly string[] = [
  ...Object.values(CALL_EVENT_TYPES),
  UNSTABLE_METADATA_CHANGED,
];

export type SdpStreamPurpose = 'm.usermedia' | 'm.screenshare';

export interface SdpStreamMetadataEntry {
  readonly purpose: SdpStreamPurpose;
  readonly audio_muted: boolean;
  readonly video_muted: boolean;
}

/** Keyed by MediaStream id (the msid in the SDP). */
export type SdpStreamMetadata = Readonly<Record<string, SdpStreamMetadataEntry>>;

export interface SessionDescription {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
}

export interface CallCandidate {
  /** '' is the end-of-candidates marker. */
  readonly candidate: string;
  readonly sdpMid?: string;
  readonly sdpMLineIndex?: number;
  readonly usernameFragment?: string;
}

/** The hangup reasons that travel in m.call.hangup (src/hangup-reasons.ts). */
export type { WireHangupReason } from '../../hangup-reasons.js';
import type { WireHangupReason } from '../../hangup-reasons.js';

/** Fields of a to-device leg (mesh group calls); absent on room events. */
export interface ToDeviceLeg {
  /** The sender's device. */
  readonly device_id: string;
  readonly sender_session_id: string;
  readonly dest_session_id: string;
  /** Per-leg sequence number from 0, to put to-device messages back in order. */
  readonly seq: number;
  readonly room_id: string;
  /** The group call id (matrix-js-sdk's name). */
  readonly conf_id?: string;
}

/**
 * MSC2746 capabilities, sent by matrix-js-sdk and famedly in invites, answers and negotiates.
 * matrix-js-sdk offers DTMF only to a peer that announced `m.call.dtmf`.
 */
export interface CallCapabilities {
  readonly 'm.call.transferee'?: boolean;
  readonly 'm.call.dtmf'?: boolean;
}

interface CallEventBase {
  readonly call_id: string;
  /** Absent on version 0 events. */
  readonly party_id?: string;
  /** "1" for this version; 0 for the legacy version. Anything else newer is read as "1". */
  readonly version: '1' | 0;
  readonly leg?: ToDeviceLeg;
}

export interface CallInvite extends CallEventBase {
  readonly kind: 'invite';
  readonly offer: SessionDescription & { readonly type: 'offer' };
  /** Milliseconds the invite is valid for after it was sent. */
  readonly lifetime: number;
  readonly invitee?: string;
  readonly sdp_stream_metadata?: SdpStreamMetadata;
  readonly capabilities?: CallCapabilities;
}

export interface CallCandidates extends CallEventBase {
  readonly kind: 'candidates';
  readonly candidates: readonly CallCandidate[];
}

export interface CallAnswer extends CallEventBase {
  readonly kind: 'answer';
  readonly answer: SessionDescription & { readonly type: 'answer' };
  readonly sdp_stream_metadata?: SdpStreamMetadata;
  readonly capabilities?: CallCapabilities;
}

export interface CallSelectAnswer extends CallEventBase {
  readonly kind: 'select_answer';
  readonly selected_party_id: string;
}

export interface CallReject extends CallEventBase {
  readonly kind: 'reject';
}

export interface CallNegotiate extends CallEventBase {
  readonly kind: 'negotiate';
  readonly description: SessionDescription;
  readonly lifetime?: number;
  readonly sdp_stream_metadata?: SdpStreamMetadata;
  readonly capabilities?: CallCapabilities;
}

export interface CallHangup extends CallEventBase {
  readonly kind: 'hangup';
  /** 'user_hangup' when the sender gave none (matrix-js-sdk sometimes omits it). */
  readonly reason: WireHangupReason;
}

export interface CallMetadataChanged extends CallEventBase {
  readonly kind: 'metadata_changed';
  readonly sdp_stream_metadata: SdpStreamMetadata;
}

export type CallEvent =
  | CallInvite
  | CallCandidates
  | CallAnswer
  | CallSelectAnswer
  | CallReject
  | CallNegotiate
  | CallHangup
  | CallMetadataChanged;

/** A parsed event with the envelope the call needs: who sent it and how old it is. */
export interface ReceivedCallEvent {
  readonly event: CallEvent;
  readonly sender: string;
  /** Room events: the event id; to-device: undefined. */
  readonly eventId?: string;
  /** Milliseconds since the event was sent, as known on receipt (unsigned.age), if known. */
  readonly ageOnReceipt?: number;
  /** performance.now() / clock time when the kit received it. */
  readonly receivedAt: number;
}
