/**
 * TURN servers from the host, in the shape RTCPeerConnection takes.
 *
 * Owns: the conversion. Never: asks for servers.
 */
import type { TurnServer } from './transport.js';

export function toIceServers(servers: readonly TurnServer[]): RTCIceServer[] {
  return servers
    .filter((s) => s.urls.length > 0)
    .map((s) => ({ urls: [...s.urls], username: s.username, credential: s.credential }));
}
