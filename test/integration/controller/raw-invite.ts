/**
 * A real m.call.invite content (a real offer from an RTCPeerConnection, built by the kit's builder)
 * for tests that put invites straight into the homeserver double's timeline.
 */
import { callEventContent } from '../../../src/signalling/voip/index.js';

export async function inviteContent(
  callId: string,
  options: { lifetime?: number; invitee?: string; partyId?: string } = {},
): Promise<Record<string, unknown>> {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('audio');
  const offer = await pc.createOffer();
  pc.close();
  return callEventContent({
    kind: 'invite',
    call_id: callId,
    party_id: options.partyId ?? 'OLDDEVICE',
    version: '1',
    offer: { type: 'offer', sdp: offer.sdp ?? '' },
    lifetime: options.lifetime ?? 60_000,
    ...(options.invitee !== undefined ? { invitee: options.invitee } : {}),
  }).content;
}
