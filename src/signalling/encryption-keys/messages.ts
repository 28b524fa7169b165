/**
 * The typed key messages that the parsers produce and the builders consume, in either format.
 *
 * Owns: the shapes. Never: parses, builds or sends.
 */

export type KeyEventFormat = 'element' | 'famedly';

export interface MediaKey {
  /** 0..255, the slot in the sender's LiveKit key ring. */
  readonly index: number;
  readonly key: Uint8Array;
}

/** Which MatrixRTC session a key belongs to (Element's `session`; famedly has only a call id). */
export interface KeySession {
  readonly application: string;
  /** '' for the room's one call. */
  readonly callId: string;
  readonly scope: string;
}

/** Keys from one device of one user. */
export interface KeysMessage {
  readonly kind: 'keys';
  readonly format: KeyEventFormat;
  /** The to-device sender, as the homeserver vouches for it. */
  readonly userId: string;
  /** Claimed by the sender inside the encrypted content. */
  readonly deviceId: string;
  /**
   * The sender's MatrixRTC member id. Element's `member.id`; when absent (older senders and famedly)
   * it is `${userId}:${deviceId}`, as matrix-js-sdk assumes.
   */
  readonly memberId: string;
  readonly roomId: string;
  readonly session: KeySession;
  readonly keys: readonly MediaKey[];
  /** Sender's clock, epoch ms, when it said. */
  readonly sentTs?: number;
}

/** famedly's request: "send me your current key". */
export interface KeyRequestMessage {
  readonly kind: 'request';
  readonly format: 'famedly';
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly callId: string;
}

export type KeyMessage = KeysMessage | KeyRequestMessage;

/** The room's call in MatrixRTC's terms: application m.call, scope m.room, call id ''. */
export const ROOM_CALL_SESSION: KeySession = { application: 'm.call', callId: '', scope: 'm.room' };

/** The member id matrix-js-sdk falls back to when a sender did not give one. */
export function defaultMemberId(userId: string, deviceId: string): string {
  return `${userId}:${deviceId}`;
}
