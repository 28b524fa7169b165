/**
 * Test helpers for real WebRTC in the test browser: connecting two peer connections in one page
 * and waiting on conditions. Never fakes a connection: everything here drives real RTCPeerConnections.
 */

export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 10000,
  stepMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Wires two connections' ICE candidates to each other directly (no signalling server). */
export function linkCandidates(a: RTCPeerConnection, b: RTCPeerConnection): void {
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
}

/** Total bytes received on inbound RTP streams of a connection, from getStats. */
export async function inboundBytes(pc: RTCPeerConnection): Promise<number> {
  let total = 0;
  const stats = await pc.getStats();
  stats.forEach((report: { type: string; bytesReceived?: number }) => {
    if (report.type === 'inbound-rtp') total += report.bytesReceived ?? 0;
  });
  return total;
}
