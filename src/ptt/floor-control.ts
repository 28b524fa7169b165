/**
 * FloorControl: the walkie-talkie's floor arbiter for one device in one room
 * (docs/msc4002-walkie-talkie-protocol.md, section 2).
 *
 * Owns: the set of claims and releases this device has seen, the rule that names the talker from that set
 * alone (highest turn, then least (ts, user, device), unless released), the local button, the collection
 * window, heartbeats, the maximum transmit time and silence revocations.
 * Inputs: press / release of the local button, messages received from any path, and ticks; time comes only
 * from the injected clock. Outputs: messages to send (with the paths they go on) and a state.
 * Never: touches a transport, a timer, the DOM, audio or the opt-in state (the caller enables and disables
 * it). It is transport-agnostic so the mesh, SFU and room-event paths can all feed it.
 */
import type { FloorState } from '../snapshot.js';
import type {
  ClaimId,
  FloorClaim,
  FloorMessage,
  FloorRelease,
  ReleaseReason,
} from '../signalling/ptt/floor-events.js';
import { claimKey, compareWithinTurn, sameDevice } from './claim-order.js';

export type FloorPath = 'fast' | 'durable';

export interface Outgoing {
  readonly message: FloorMessage;
  readonly paths: readonly FloorPath[];
}

export interface DeviceRef {
  readonly userId: string;
  readonly deviceId: string;
}

export interface FloorTimings {
  /** The longest one transmission may last. */
  readonly maxTransmitMs: number;
  /** How long a claimant waits for competing claims before going live. */
  readonly collectionWindowMs: number;
  /** How often a claimant says it is alive on the fast path. */
  readonly heartbeatMs: number;
  /** Fast-path silence after which a listener revokes the talker's claim. */
  readonly silenceMs: number;
  /** How long past a talker's deadline a listener waits for its release before revoking. */
  readonly revokeGraceMs: number;
}

export const DEFAULT_FLOOR_TIMINGS: FloorTimings = {
  maxTransmitMs: 30_000,
  collectionWindowMs: 300,
  heartbeatMs: 1_000,
  silenceMs: 3_500,
  revokeGraceMs: 2_000,
};

export const MIN_TRANSMIT_MS = 1_000;
export const MAX_TRANSMIT_MS = 300_000;

export interface FloorControlOptions {
  readonly self: DeviceRef;
  /** Epoch ms. Tests pass a virtual clock. */
  readonly now: () => number;
  readonly timings?: Partial<FloorTimings>;
  /** Starts enabled (opted in to send). Default true. */
  readonly enabled?: boolean;
}

export interface FloorSnapshot {
  readonly floor: FloorState;
  /** The device whose claim holds the floor, if any (this device included). */
  readonly talker?: DeviceRef;
  /** When the talker's transmission must end, on this device's clock. */
  readonly floorEndsAt?: number;
  /** The current turn as this device knows it. */
  readonly turn: number;
  /** This device's claim while the button is held and a claim was made. */
  readonly ownClaim?: FloorClaim;
  readonly pressed: boolean;
}

interface KnownClaim {
  readonly claim: FloorClaim;
  /** Local time this device first learned of it. */
  readonly firstSeenAt: number;
  /** Local time of the last fast-path message for it; undefined if it only came by the durable path. */
  lastHeardFastAt?: number;
}

const BOTH: readonly FloorPath[] = ['fast', 'durable'];
const FAST: readonly FloorPath[] = ['fast'];

export class FloorControl {
  readonly self: DeviceRef;
  readonly timings: FloorTimings;
  private readonly now: () => number;
  private readonly claims = new Map<string, KnownClaim>();
  private readonly released = new Set<string>();
  /** Highest `current_turn` heard in stale revocations. */
  private turnHint = 0;
  /** Claims this device has already revoked (each at most once). */
  private readonly revokedHere = new Set<string>();
  private enabled: boolean;
  private pressed = false;
  private own?: { readonly claim: FloorClaim; readonly windowEndsAt: number; lastHeartbeatAt: number };

  constructor(options: FloorControlOptions) {
    this.self = options.self;
    this.now = options.now;
    const timings = { ...DEFAULT_FLOOR_TIMINGS, ...options.timings };
    this.timings = {
      ...timings,
      maxTransmitMs: Math.min(MAX_TRANSMIT_MS, Math.max(MIN_TRANSMIT_MS, timings.maxTransmitMs)),
    };
    this.enabled = options.enabled ?? true;
  }

  /** The local button went down. */
  press(): Outgoing[] {
    if (!this.enabled || this.pressed) return [];
    this.pressed = true;
    const talker = this.talkerClaim();
    if (talker && !sameDevice(talker.claim, this.self)) return []; // refused locally: someone holds the floor
    const now = this.now();
    const claim: FloorClaim = {
      turn: this.currentTurn() + 1,
      userId: this.self.userId,
      deviceId: this.self.deviceId,
      ts: now,
      maxMs: this.timings.maxTransmitMs,
    };
    this.claims.set(claimKey(claim), { claim, firstSeenAt: now, lastHeardFastAt: now });
    this.own = { claim, windowEndsAt: now + this.timings.collectionWindowMs, lastHeartbeatAt: now };
    return [{ message: { kind: 'request', claim }, paths: BOTH }];
  }

  /** The local button came up. Ends this device's claim, whether it held the floor or not. */
  release(): Outgoing[] {
    if (!this.pressed) return [];
    this.pressed = false;
    const own = this.own;
    this.own = undefined;
    if (!own || this.released.has(claimKey(own.claim))) return [];
    return [this.releaseClaim(own.claim, 'done')];
  }

  /** Turning off (opt-in withdrawn or expired) lets go of the button first. */
  setEnabled(enabled: boolean): Outgoing[] {
    const out = enabled ? [] : this.release();
    this.enabled = enabled;
    return out;
  }

  /** A floor message from any path (this device's own echoes included). */
  receive(message: FloorMessage, path: FloorPath): Outgoing[] {
    const now = this.now();
    if (message.kind === 'release') {
      this.applyRelease(message.release);
      return [];
    }
    const { claim } = message;
    const key = claimKey(claim);
    const out: Outgoing[] = [];
    let known = this.claims.get(key);
    if (!known) {
      const turnBefore = this.currentTurn();
      known = { claim, firstSeenAt: now };
      this.claims.set(key, known);
      if (this.released.has(key)) return out;
      if (sameDevice(claim, this.self)) {
        // A claim of this device that it no longer holds (an earlier page load): give it up.
        if (!this.own || claimKey(this.own.claim) !== key) out.push(this.releaseClaim(claim, 'yield'));
      } else if (claim.turn < turnBefore) {
        out.push(...this.revokeStale(claim, turnBefore));
      }
    }
    if (path === 'fast') known.lastHeardFastAt = now;
    return out;
  }

  /** Lets time pass: heartbeats, going live, the transmit limit, silence. Call at `nextDeadline()` or often. */
  tick(): Outgoing[] {
    const now = this.now();
    const out: Outgoing[] = [];
    const talker = this.talkerClaim();
    if (!talker) return out;
    const { claim } = talker;
    if (sameDevice(claim, this.self)) {
      const own = this.own;
      if (!own || claimKey(own.claim) !== claimKey(claim)) return out;
      if (now >= own.claim.ts + this.limitOf(claim)) return [this.releaseClaim(claim, 'max_time')];
      if (now - own.lastHeartbeatAt >= this.timings.heartbeatMs) {
        own.lastHeartbeatAt = now;
        out.push({ message: { kind: 'heartbeat', claim }, paths: FAST });
      }
      return out;
    }
    if (talker.lastHeardFastAt !== undefined && now - talker.lastHeardFastAt >= this.timings.silenceMs) {
      return this.revoke(claim, 'silent');
    }
    if (now >= this.deadlineOf(talker) + this.timings.revokeGraceMs) return this.revoke(claim, 'max_time');
    return out;
  }

  /** The earliest time `tick` has something to do, or undefined while nobody holds the floor. */
  nextDeadline(): number | undefined {
    const talker = this.talkerClaim();
    if (!talker) return undefined;
    if (sameDevice(talker.claim, this.self)) {
      const own = this.own;
      if (!own) return undefined;
      const times = [own.claim.ts + this.limitOf(own.claim), own.lastHeartbeatAt + this.timings.heartbeatMs];
      if (this.now() < own.windowEndsAt) times.push(own.windowEndsAt);
      return Math.min(...times);
    }
    const times = [this.deadlineOf(talker) + this.timings.revokeGraceMs];
    if (talker.lastHeardFastAt !== undefined) times.push(talker.lastHeardFastAt + this.timings.silenceMs);
    return Math.min(...times);
  }

  get snapshot(): FloorSnapshot {
    const now = this.now();
    const talker = this.talkerClaim();
    const turn = this.currentTurn();
    const ownClaim = this.own?.claim;
    const base = { turn, pressed: this.pressed, ...(ownClaim ? { ownClaim } : {}) };
    const mine =
      talker !== undefined && this.own !== undefined && claimKey(this.own.claim) === claimKey(talker.claim);
    let floor: FloorState;
    if (!this.enabled) floor = 'off';
    else if (mine) floor = this.own && now < this.own.windowEndsAt ? 'requesting' : 'talking';
    else if (this.pressed) floor = 'denied';
    else floor = talker ? 'listening' : 'idle';
    if (!talker) return { ...base, floor };
    const who = { userId: talker.claim.userId, deviceId: talker.claim.deviceId };
    return { ...base, floor, talker: who, floorEndsAt: this.deadlineOf(talker) };
  }

  /** The highest turn among claims and stale-revocation hints. */
  private currentTurn(): number {
    let turn = this.turnHint;
    for (const { claim } of this.claims.values()) turn = Math.max(turn, claim.turn);
    return turn;
  }

  /** The rule: the least claim of the current turn, unless released. */
  private talkerClaim(): KnownClaim | undefined {
    const turn = this.currentTurn();
    let winner: KnownClaim | undefined;
    for (const known of this.claims.values()) {
      if (known.claim.turn !== turn) continue;
      if (!winner || compareWithinTurn(known.claim, winner.claim) < 0) winner = known;
    }
    if (!winner || this.released.has(claimKey(winner.claim))) return undefined;
    return winner;
  }

  private limitOf(claim: FloorClaim): number {
    return Math.min(claim.maxMs ?? this.timings.maxTransmitMs, this.timings.maxTransmitMs);
  }

  /** When a claim's transmission must end: from its press (own) or from when this device learned of it. */
  private deadlineOf(known: KnownClaim): number {
    const start = sameDevice(known.claim, this.self) ? known.claim.ts : known.firstSeenAt;
    return start + this.limitOf(known.claim);
  }

  private applyRelease(release: FloorRelease): void {
    this.released.add(claimKey(release));
    if (release.currentTurn !== undefined) this.turnHint = Math.max(this.turnHint, release.currentTurn);
  }

  private releaseClaim(claim: ClaimId, reason: ReleaseReason): Outgoing {
    const release: FloorRelease = {
      turn: claim.turn,
      userId: claim.userId,
      deviceId: claim.deviceId,
      reason,
    };
    this.applyRelease(release);
    return { message: { kind: 'release', release }, paths: BOTH };
  }

  /** Revokes someone else's claim, at most once per claim. */
  private revoke(claim: ClaimId, reason: 'silent' | 'max_time'): Outgoing[] {
    const key = claimKey(claim);
    if (this.revokedHere.has(key)) return [];
    this.revokedHere.add(key);
    return [this.releaseClaim(claim, reason)];
  }

  /** Revokes a claim for a turn below the current one and tells its claimant the current turn. */
  private revokeStale(claim: ClaimId, currentTurn: number): Outgoing[] {
    const key = claimKey(claim);
    if (this.revokedHere.has(key)) return [];
    this.revokedHere.add(key);
    const { turn, userId, deviceId } = claim;
    const release: FloorRelease = { turn, userId, deviceId, reason: 'stale', currentTurn };
    this.applyRelease(release);
    return [{ message: { kind: 'release', release }, paths: BOTH }];
  }
}
