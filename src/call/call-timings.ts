/**
 * The time limits of a 1:1 call, in one place with the reasons for each.
 *
 * Owns: the default timings and the real clock. Never: runs timers itself.
 */
import type { CallClock } from './peer-call-contract.js';
import { systemClock } from '../time/system-clock.js';

export interface PeerCallTimings {
  /** How long an invite rings before the caller gives up (invite_timeout). The spec recommends at least 90 s. */
  readonly inviteLifetimeMs: number;
  /** The first candidates go out this soon after the invite or answer, so media can start quickly. */
  readonly firstCandidateBatchMs: number;
  /** Later candidates are gathered this long into one event, to stay clear of rate limits. */
  readonly candidateBatchMs: number;
  /** ICE that stays disconnected this long gets an ICE restart (a short network blip recovers by itself). */
  readonly iceDisconnectedRestartMs: number;
  /** ICE that has not recovered this long after it failed or disconnected ends the call with ice_failed. */
  readonly iceGiveUpMs: number;
}

export const DEFAULT_PEER_CALL_TIMINGS: PeerCallTimings = Object.freeze({
  inviteLifetimeMs: 90_000,
  firstCandidateBatchMs: 200,
  candidateBatchMs: 500,
  iceDisconnectedRestartMs: 5_000,
  iceGiveUpMs: 30_000,
});

/** The system clock, every delay clamped (src/time/system-clock.ts). */
export const realCallClock: CallClock = systemClock;
