/**
 * Putting the other side on hold through transceiver directions: while on hold every transceiver
 * that sends is sendonly and the others inactive (matrix-js-sdk reads either as hold); on resume they
 * go back to sendrecv and recvonly. Changing a direction makes the connection ask to renegotiate.
 *
 * Owns: the direction each transceiver should have. Never: sends or reads descriptions.
 */

export function holdDirection(onHold: boolean, sends: boolean): RTCRtpTransceiverDirection {
  if (onHold) return sends ? 'sendonly' : 'inactive';
  return sends ? 'sendrecv' : 'recvonly';
}

export function applyHoldDirections(pc: RTCPeerConnection, onHold: boolean): void {
  if (pc.signalingState === 'closed') return;
  for (const transceiver of pc.getTransceivers()) {
    if (transceiver.currentDirection === 'stopped') continue;
    const direction = holdDirection(onHold, transceiver.sender.track !== null);
    if (transceiver.direction !== direction) transceiver.direction = direction;
  }
}
