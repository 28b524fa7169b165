/**
 * The time limits of the mesh backend, with the reason for each.
 *
 * Owns: the defaults. Never: runs timers.
 */
import { DEFAULT_BACKOFF, type BackoffTimings } from './retry-backoff.js';
import { DEFAULT_REORDER_WAIT_MS } from './reorder-buffer.js';

export interface MeshTimings {
  /**
   * How long a leg's invite waits for an answer. Shorter than a 1:1 call's 90 s: nobody has to pick
   * up, the other device answers by itself, so a silent invite means a lost message; the retry
   * backoff then places a fresh one.
   */
  readonly inviteLifetimeMs: number;
  /**
   * An invite from a device whose membership has not reached this device yet is kept this long
   * (state and to-device travel separately), then dropped.
   */
  readonly pendingInviteMs: number;
  /** How long a gap in a leg's seq numbers may stay open before later events are handed on. */
  readonly reorderWaitMs: number;
  /** How often audio levels are sampled for speaking indicators. */
  readonly speakingSampleMs: number;
  /** Waits between attempts when a leg fails: 1 s, 2 s, 4 s ... up to the cap. */
  readonly backoff: BackoffTimings;
}

export const DEFAULT_MESH_TIMINGS: MeshTimings = Object.freeze({
  inviteLifetimeMs: 30_000,
  pendingInviteMs: 10_000,
  reorderWaitMs: DEFAULT_REORDER_WAIT_MS,
  speakingSampleMs: 250,
  backoff: DEFAULT_BACKOFF,
});

/** Devices in a mesh call at most, this one included: every device sends its media to each other one. */
export const MESH_PARTICIPANT_LIMIT = 8;
