/**
 * The LiveKit participant identity a MatrixRTC member publishes under, which is also the name its
 * media key is filed under in the LiveKit key provider.
 *
 * - Session memberships (`org.matrix.msc3401.call.member`, famedly's `com.famedly.call.member`) and the
 *   JWT service's legacy `/sfu/get`: `${userId}:${deviceId}` (matrix-js-sdk CallMembership
 *   rtcBackendIdentity; lk-jwt-service processLegacySFURequest).
 * - Matrix 2.0 sticky `m.rtc.member` memberships and `/get_token`: unpadded base64 of
 *   sha256(JSON [userId, deviceId, memberId]) (matrix-js-sdk computeRtcIdentityRaw; lk-jwt-service
 *   LiveKitIdentityFor).
 *
 * Owns: computing both. Never: decides which one a call uses (the caller knows its membership format).
 */
import { toUnpaddedBase64 } from '../../encoding/base64.js';

export interface MemberIdentity {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId?: string;
}

export function legacyParticipantIdentity(member: MemberIdentity): string {
  return `${member.userId}:${member.deviceId}`;
}

/**
 * The hashed identity. Go's json.Marshal (the JWT service) escapes <, > and & where JSON.stringify
 * does not; Matrix ids and device ids with those characters would hash differently, so they are
 * escaped the Go way here.
 */
export async function hashedParticipantIdentity(member: MemberIdentity): Promise<string> {
  const memberId = member.memberId ?? legacyParticipantIdentity(member);
  const json = JSON.stringify([member.userId, member.deviceId, memberId]).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(json)));
  return toUnpaddedBase64(digest);
}
