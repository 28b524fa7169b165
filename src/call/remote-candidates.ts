/**
 * The other party's ICE candidates on their way into the connection. Candidates that arrive before
 * the remote description, or (for a caller) before an answer has been chosen, wait here, tagged with
 * the party that sent them; only those of the chosen party are ever used.
 *
 * Owns: the waiting candidates and adding candidates to the connection. Never: decides which party
 * is chosen or when descriptions are set.
 */
import type { CallCandidate } from '../signalling/voip/types.js';

interface Waiting {
  readonly partyId: string | undefined;
  readonly candidate: CallCandidate;
}

export class RemoteCandidates {
  private waiting: Waiting[] = [];

  get count(): number {
    return this.waiting.length;
  }

  hold(partyId: string | undefined, candidates: readonly CallCandidate[]): void {
    for (const candidate of candidates) this.waiting.push({ partyId, candidate });
  }

  /** Adds the waiting candidates of the chosen party (or of an unknown party, version 0) and forgets the rest. */
  release(pc: RTCPeerConnection, chosenPartyId: string | undefined): void {
    const ready = this.waiting.filter(
      (w) => w.partyId === undefined || chosenPartyId === undefined || w.partyId === chosenPartyId,
    );
    this.waiting = [];
    for (const w of ready) addRemoteCandidate(pc, w.candidate);
  }
}

/** End-of-candidates markers without a media section are skipped; failures are expected and ignored. */
export function addRemoteCandidate(pc: RTCPeerConnection, candidate: CallCandidate): void {
  if (candidate.candidate === '' && candidate.sdpMid === undefined && candidate.sdpMLineIndex === undefined)
    return;
  pc.addIceCandidate({
    candidate: candidate.candidate,
    ...(candidate.sdpMid !== undefined ? { sdpMid: candidate.sdpMid } : {}),
    ...(candidate.sdpMLineIndex !== undefined ? { sdpMLineIndex: candidate.sdpMLineIndex } : {}),
    ...(candidate.usernameFragment !== undefined ? { usernameFragment: candidate.usernameFragment } : {}),
  }).catch(() => {
    // Candidates of an ignored offer, or of an ICE generation already gone, fail by design.
  });
}
