/**
 * Opus DTX (discontinuous transmission) for the walkie-talkie's mesh legs: a local description that asks
 * for `usedtx=1` on every Opus payload type, so the other end's encoder sends almost nothing while the
 * talker is silent (RFC 7587: the parameter says what the receiver of this description prefers).
 *
 * Owns: rewriting Opus `a=fmtp` lines of an SDP string, and setting a connection's next local description
 * with them. Never: touches codecs other than Opus, reorders or removes lines, or is used for 1:1 room calls
 * (only legs that carry the floor channel ask for DTX).
 */

const OPUS_RTPMAP = /^a=rtpmap:(\d+) opus\/48000(\/\d+)?$/i;
const FMTP = /^a=fmtp:(\d+) (.*)$/;

/** The payload types the SDP maps to Opus. */
export function opusPayloadTypes(sdp: string): string[] {
  const types: string[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const match = OPUS_RTPMAP.exec(line.trim());
    if (match && !types.includes(match[1]!)) types.push(match[1]!);
  }
  return types;
}

/** `params` (an fmtp parameter list) with usedtx=1, any other usedtx value replaced, the rest kept in order. */
function paramsWithDtx(params: string): string {
  const parts = params
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const at = parts.findIndex((p) => p.split('=')[0]!.trim().toLowerCase() === 'usedtx');
  if (at >= 0) parts[at] = 'usedtx=1';
  else parts.push('usedtx=1');
  return parts.join(';');
}

/**
 * The SDP with `usedtx=1` on each Opus payload type's fmtp line (added after its rtpmap line when it has
 * none). Other lines, and the line endings, are unchanged; an SDP without Opus comes back as it was.
 */
export function withOpusDtx(sdp: string): string {
  const opus = new Set(opusPayloadTypes(sdp));
  if (opus.size === 0) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const withFmtp = new Set<string>();
  for (const line of lines) {
    const match = FMTP.exec(line);
    if (match && opus.has(match[1]!)) withFmtp.add(match[1]!);
  }
  const out: string[] = [];
  for (const line of lines) {
    const fmtp = FMTP.exec(line);
    if (fmtp && opus.has(fmtp[1]!)) {
      out.push(`a=fmtp:${fmtp[1]} ${paramsWithDtx(fmtp[2]!)}`);
      continue;
    }
    out.push(line);
    const rtpmap = OPUS_RTPMAP.exec(line.trim());
    if (rtpmap && !withFmtp.has(rtpmap[1]!)) {
      out.push(`a=fmtp:${rtpmap[1]} usedtx=1`);
      withFmtp.add(rtpmap[1]!);
    }
  }
  return out.join(eol);
}

/** True when the SDP has Opus and every Opus payload type's fmtp line says usedtx=1. */
export function asksOpusDtx(sdp: string): boolean {
  const opus = opusPayloadTypes(sdp);
  if (opus.length === 0) return false;
  const dtx = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    const match = FMTP.exec(line.trim());
    if (!match || !opus.includes(match[1]!)) continue;
    const on = match[2]!.split(';').some((p) => p.replace(/\s/g, '').toLowerCase() === 'usedtx=1');
    if (on) dtx.add(match[1]!);
  }
  return opus.every((pt) => dtx.has(pt));
}

/**
 * Sets the connection's next local description, the one setLocalDescription() would create (an answer
 * while a remote offer is pending, else an offer), asking for Opus DTX.
 */
export async function setLocalDescriptionWithOpusDtx(pc: RTCPeerConnection): Promise<void> {
  const answering = pc.signalingState === 'have-remote-offer' || pc.signalingState === 'have-local-pranswer';
  const description = answering ? await pc.createAnswer() : await pc.createOffer();
  await pc.setLocalDescription({ type: description.type, sdp: withOpusDtx(description.sdp ?? '') });
}
