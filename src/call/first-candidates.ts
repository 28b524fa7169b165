/**
 * A short wait after setLocalDescription so that the first local ICE candidates are part of the SDP
 * the invite or answer carries. Host candidates over UDP come within a few milliseconds of
 * setLocalDescription (TCP ones and STUN or TURN answers much later), so waiting for the first
 * candidate and a brief settle lets the other side start connectivity checks the moment it has the
 * description, without a round of m.call.candidates first. Candidates that are in the description are
 * not trickled again (`inDescription`).
 *
 * Owns: that wait and the question of whether a candidate is in a description. Never: changes the
 * connection, or waits longer than `capMs`.
 */
import type { CallClock } from './peer-call-contract.js';

export interface FirstCandidatesTimings {
  /** After the first candidate, wait this long for its siblings (the other address families). */
  readonly settleMs: number;
  /** Never wait longer than this in all (no network at all, or a slow gathering). */
  readonly capMs: number;
}

export const FIRST_CANDIDATES: FirstCandidatesTimings = Object.freeze({ settleMs: 5, capMs: 50 });

/**
 * Resolves when gathering is complete, `settleMs` after the first candidate, or after `capMs`,
 * whichever comes first. Call it right after setLocalDescription.
 */
export function firstCandidatesGathered(
  pc: RTCPeerConnection,
  clock: CallClock,
  timings: FirstCandidatesTimings = FIRST_CANDIDATES,
): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timers: unknown[] = [];
    const done = () => {
      pc.removeEventListener('icecandidate', onCandidate);
      pc.removeEventListener('icegatheringstatechange', onGathering);
      for (const timer of timers) clock.clearTimeout(timer);
      resolve();
    };
    const onCandidate = (event: RTCPeerConnectionIceEvent) => {
      if (!event.candidate || event.candidate.candidate === '') return done();
      if (timers.length === 1) timers.push(clock.setTimeout(done, timings.settleMs));
    };
    const onGathering = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    pc.addEventListener('icecandidate', onCandidate);
    pc.addEventListener('icegatheringstatechange', onGathering);
    timers.push(clock.setTimeout(done, timings.capMs));
  });
}

/** Whether `candidate` (an icecandidate's `candidate` string) is an `a=candidate` line of `sdp`. */
export function inDescription(sdp: string, candidate: string): boolean {
  return candidate !== '' && sdp.split(/\r?\n/).includes(`a=${candidate}`);
}
