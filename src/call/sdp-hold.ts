/**
 * Reads hold from the other party's session description. A side that holds the call sets its
 * transceivers to sendonly (as matrix-js-sdk does), so its offer, or its answer to an offer from a
 * side not on hold, has no media section it receives on: every live audio or video section is
 * sendonly or inactive.
 *
 * Owns: the SDP reading for hold. Never: changes directions or parses anything else of the SDP.
 */

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The direction of each live (port not 0) audio or video media section, in order. */
export function mediaDirections(sdp: string): SdpDirection[] {
  const directions: SdpDirection[] = [];
  let session: SdpDirection = 'sendrecv';
  let current: { live: boolean; direction?: SdpDirection } | undefined;
  const close = () => {
    if (current?.live) directions.push(current.direction ?? session);
  };
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      close();
      const [media, port] = line.slice(2).split(' ');
      current = { live: (media === 'audio' || media === 'video') && port !== '0' };
      continue;
    }
    const match = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line);
    if (!match) continue;
    const direction = match[1] as SdpDirection;
    if (current) current.direction = direction;
    else session = direction;
  }
  close();
  return directions;
}

/** True when the description's author receives nothing: it has put the other side on hold. */
export function holdsOtherSide(sdp: string): boolean {
  const directions = mediaDirections(sdp);
  return directions.length > 0 && directions.every((d) => d === 'sendonly' || d === 'inactive');
}
