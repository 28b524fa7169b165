/**
 * FloorControl: the walkie-talkie's floor arbiter for one device in one room
 * (docs/msc4002-walkie-talkie-protocol.md, section 2).
 *
 * Owns: the set of claims and releases this device has seen, the rule that names the talker from that set
 * alone (highest turn, then least (ts, user, device), unless released), the local button (a claimant talks
 * at once; a collection window only when one is set), heartbeats, the maximum transmit time (per claim and per user's hold) and silence revocations,
 * the window of turns it accepts, and which revocations from others it honours (only those its own view
 * confirms).
 * Inputs: press / release of the local button, messages received from any path, and ticks; time comes only
 * from the injected clock. Outputs: messages to send (with the paths they go on) and a state.
 * Never: touches a transport, a timer, the DOM, audio or the opt-in state (the caller enables and disables
 * it, and drops claims of devices that may not send). It is transport-agnostic so the mesh, SFU and
 * room-event paths can all feed it.
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
import { TalkerHolds } from './talker-holds.js';

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
  /**
   * How long a claimant waits for competing claims before going live. 0 (the default): optimistic talking,
   * live at the press; a lesser claim of the same turn that arrives later takes the floor back (the rule is
   * the same either way). 300 was the old fixed window, kept only to measure against.
   */
  readonly collectionWindowMs: number;
  /**
   * A claim of this device that loses the floor less than this long after its press, other than by its
   * own release, lost a race: what it recorded is cut, not kept (docs/msc4002-walkie-talkie-protocol.md,
   * "Optimistic talking"). Decides only what is posted, never who talks or when.
   */
  readonly raceMs: number;
  /** How often a claimant says it is alive on the fast path. */
  readonly heartbeatMs: number;
  /** Fast-path silence after which a listener revokes the talker's claim. */
  readonly silenceMs: number;
  /** How long past a talker's deadline a listener waits for its release before revoking. */
  readonly revokeGraceMs: number;
  /**
   * How long a user must be off the floor before a claim of theirs starts a new hold. Claims closer together
   * continue one hold, which lasts at most `maxTransmitMs` in all.
   */
  readonly restMs: number;
}

export const DEFAULT_FLOOR_TIMINGS: FloorTimings = {
  maxTransmitMs: 30_000,
  collectionWindowMs: 0,
  raceMs: 300,
  heartbeatMs: 1_000,
  silenceMs: 3_500,
  revokeGraceMs: 2_000,
  restMs: 5_000,
};

export const MIN_TRANSMIT_MS = 1_000;
export const MAX_TRANSMIT_MS = 300_000;
/**
 * How far above the current turn a message may reach: claims and releases up to current + TURN_WINDOW, a
 * stale release's `current_turn` up to current + TURN_WINDOW - 1 (the next claim then is within everyone's
 * window). The turn then grows by at most this much per accepted claim and stays a safe integer.
 */
export const TURN_WINDOW = 1_000;
/**
 * While a device knows no claim yet (current turn 0: a new room, or no history), the first claim may name
 * any turn up to this, half the safe integers, so that even then the turn cannot run out.
 */
export const MAX_FIRST_TURN = 2 ** 52;

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
  /** The current turn: the highest turn among the claims this device accepted. */
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
  /** Highest `current_turn` heard in stale revocations: only numbers this device's next claim. */
  private turnHint = 0;
  /** Claims this device has already revoked (each at most once). */
  private readonly revokedHere = new Set<string>();
  private enabled: boolean;
  private pressed = false;
  private own?: { readonly claim: FloorClaim; readonly windowEndsAt: number; lastHeartbeatAt: number };
  private readonly holds: TalkerHolds;

  constructor(options: FloorControlOptions) {
    this.self = options.self;
    this.now = options.now;
    const timings = { ...DEFAULT_FLOOR_TIMINGS, ...options.timings };
    this.timings = {
      ...timings,
      maxTransmitMs: Math.min(MAX_TRANSMIT_MS, Math.max(MIN_TRANSMIT_MS, timings.maxTransmitMs)),
    };
    this.enabled = options.enabled ?? true;
    this.holds = new TalkerHolds(this.timings.restMs);
  }

  /** The local button went down. */
  press(): Outgoing[] {
    if (!this.enabled || this.pressed) return [];
    this.pressed = true;
    const talker = this.talkerClaim();
    if (talker && !sameDevice(talker.claim, this.self)) return []; // refused locally: someone holds the floor
    const now = this.now();
    const held = this.holds.startOf(this.self.userId, now);
    if (held !== undefined && now >= held + this.timings.maxTransmitMs) return []; // own hold used up: rest first
    const claim: FloorClaim = {
      turn: Math.max(this.currentTurn(), this.turnHint) + 1,
      userId: this.self.userId,
      deviceId: this.self.deviceId,
      ts: now,
      maxMs: this.timings.maxTransmitMs,
    };
    this.claims.set(claimKey(claim), { claim, firstSeenAt: now, lastHeardFastAt: now });
    this.own = { claim, windowEndsAt: now + this.timings.collectionWindowMs, lastHeartbeatAt: now };
    return this.observed([{ message: { kind: 'request', claim }, paths: BOTH }]);
  }

  /** The local button came up. Ends this device's claim, whether it held the floor or not. */
  release(): Outgoing[] {
    if (!this.pressed) return [];
    this.pressed = false;
    const own = this.own;
    this.own = undefined;
    if (!own || this.released.has(claimKey(own.claim))) return [];
    return this.observed([this.releaseClaim(own.claim, 'done')]);
  }

  /** Turning off (opt-in withdrawn or expired) lets go of the button first. */
  setEnabled(enabled: boolean): Outgoing[] {
    const out = enabled ? [] : this.release();
    this.enabled = enabled;
    return this.observed(out);
  }

  /**
   * Why a message from another device is not taken (or not honoured), or undefined when it is: a turn past
   * the window, or a revocation that this device's own view does not confirm. `receive` applies the same
   * checks; callers ask first only to log the reason.
   */
  refusal(message: FloorMessage): string | undefined {
    const pastWindow = this.pastWindow(message);
    if (pastWindow || message.kind !== 'release') return pastWindow;
    const { release } = message;
    if (release.revokedBy && !this.confirms(release)) {
      return `a ${release.reason} revocation by someone other than the claimant, which this device does not confirm`;
    }
    return undefined;
  }

  /**
   * A floor message from any path (this device's own echoes included). `heardAt` is when the message
   * reached the room, if known and earlier (history): the claim's time limit counts from then.
   */
  receive(message: FloorMessage, path: FloorPath, heardAt?: number): Outgoing[] {
    const now = this.now();
    const refused = this.refusal(message);
    if (message.kind === 'release') {
      const { release } = message;
      if (this.pastWindow(message)) return [];
      // A stale revocation's turn numbers the next claim here even when the revocation is not honoured.
      if (release.currentTurn !== undefined) this.turnHint = Math.max(this.turnHint, release.currentTurn);
      if (!refused) this.released.add(claimKey(release));
      return this.observed([]);
    }
    if (refused) return [];
    const { claim } = message;
    const key = claimKey(claim);
    const out: Outgoing[] = [];
    let known = this.claims.get(key);
    if (!known) {
      const turnBefore = this.currentTurn();
      known = { claim, firstSeenAt: Math.min(now, heardAt ?? now) };
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
    return this.observed(out);
  }

  /** Lets time pass: heartbeats, going live, the transmit limit, silence. Call at `nextDeadline()` or often. */
  tick(): Outgoing[] {
    return this.observed(this.due());
  }

  private due(): Outgoing[] {
    const now = this.now();
    const out: Outgoing[] = [];
    const talker = this.talkerClaim();
    if (!talker) return out;
    const { claim } = talker;
    if (sameDevice(claim, this.self)) {
      const own = this.own;
      if (!own || claimKey(own.claim) !== claimKey(claim)) return out;
      if (now >= this.deadlineOf(talker)) return [this.releaseClaim(claim, 'max_time')];
      if (now - own.lastHeartbeatAt >= this.timings.heartbeatMs) {
        own.lastHeartbeatAt = now;
        out.push({ message: { kind: 'heartbeat', claim }, paths: FAST });
      }
      return out;
    }
    if (talker.lastHeardFastAt !== undefined && now - talker.lastHeardFastAt >= this.timings.silenceMs) {
      return this.revoke(claim, 'silent');
    }
    if (now >= this.revocationTime(talker)) return this.revoke(claim, 'max_time');
    return out;
  }

  /** The earliest time `tick` has something to do, or undefined while nobody holds the floor. */
  nextDeadline(): number | undefined {
    const talker = this.talkerClaim();
    if (!talker) return undefined;
    if (sameDevice(talker.claim, this.self)) {
      const own = this.own;
      if (!own) return undefined;
      const times = [this.deadlineOf(talker), own.lastHeartbeatAt + this.timings.heartbeatMs];
      if (this.now() < own.windowEndsAt) times.push(own.windowEndsAt);
      return Math.min(...times);
    }
    const times = [this.revocationTime(talker)];
    if (talker.lastHeardFastAt !== undefined) times.push(talker.lastHeardFastAt + this.timings.silenceMs);
    return Math.min(...times);
  }

  get snapshot(): FloorSnapshot {
    const now = this.now();
    this.observed([]);
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

  /** The highest turn among accepted claims (stale-revocation hints only number this device's next claim). */
  private currentTurn(): number {
    let turn = 0;
    for (const { claim } of this.claims.values()) turn = Math.max(turn, claim.turn);
    return turn;
  }

  /** A turn (or a stale release's `current_turn`) past the window above the current turn. */
  private pastWindow(message: FloorMessage): string | undefined {
    const current = this.currentTurn();
    const ceiling = current === 0 ? MAX_FIRST_TURN : current + TURN_WINDOW;
    const id = message.kind === 'release' ? message.release : message.claim;
    if (id.turn > ceiling) {
      return `turn ${id.turn} is past the window: at most ${ceiling - current} above the current turn ${current}`;
    }
    const hint = message.kind === 'release' ? message.release.currentTurn : undefined;
    if (hint !== undefined && hint >= ceiling) {
      return `current_turn ${hint} is past the window: below ${ceiling}, the current turn being ${current}`;
    }
    return undefined;
  }

  /** Tells the holds who talks now; returns `out` unchanged. */
  private observed(out: Outgoing[]): Outgoing[] {
    const talker = this.talkerClaim();
    const held = talker ? { key: claimKey(talker.claim), userId: talker.claim.userId } : undefined;
    this.holds.note(held, this.now());
    return out;
  }

  /**
   * Whether this device's own view confirms a revocation sent by someone other than the claimant, so that
   * honouring it never ends a claim sooner than this device would itself: `max_time` once its own deadline
   * for the claim has passed; `silent` once it too has heard nothing on the fast path for the silence time
   * (never for its own claim); `stale` when it knows a higher turn already. A claim it does not know is
   * not ended by anyone else's word.
   */
  private confirms(release: FloorRelease): boolean {
    const known = this.claims.get(claimKey(release));
    if (!known) return false;
    const now = this.now();
    switch (release.reason) {
      case 'max_time':
        return now >= this.deadlineOf(known);
      case 'silent':
        return (
          !sameDevice(known.claim, this.self) &&
          known.lastHeardFastAt !== undefined &&
          now - known.lastHeardFastAt >= this.timings.silenceMs
        );
      case 'stale':
        return known.claim.turn < this.currentTurn();
      default:
        return false;
    }
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

  /**
   * When a listener revokes someone else's claim for time: the grace after its deadline lets the talker's own
   * release arrive, but a claim that came when its user's hold was already used up gets none.
   */
  private revocationTime(known: KnownClaim): number {
    const deadline = this.deadlineOf(known);
    return known.firstSeenAt >= deadline ? deadline : deadline + this.timings.revokeGraceMs;
  }

  private limitOf(claim: FloorClaim): number {
    return Math.min(claim.maxMs ?? this.timings.maxTransmitMs, this.timings.maxTransmitMs);
  }

  /**
   * When a claim's transmission must end: from its press (own) or from when this device learned of it, or
   * sooner when its user's hold (claims in a row, TalkerHolds) began earlier.
   */
  private deadlineOf(known: KnownClaim): number {
    const start = sameDevice(known.claim, this.self) ? known.claim.ts : known.firstSeenAt;
    const held = this.holds.startOf(known.claim.userId, this.now()) ?? start;
    return Math.min(start, held) + this.limitOf(known.claim);
  }

  /** A release this device made itself. */
  private applyRelease(release: FloorRelease): void {
    this.released.add(claimKey(release));
  }

  private releaseClaim(claim: ClaimId, reason: ReleaseReason): Outgoing {
    const release: FloorRelease = {
      turn: claim.turn,
      userId: claim.userId,
      deviceId: claim.deviceId,
      reason,
      ...(sameDevice(claim, this.self) ? {} : { revokedBy: this.self }),
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
    const release: FloorRelease = {
      turn,
      userId,
      deviceId,
      reason: 'stale',
      currentTurn,
      revokedBy: this.self,
    };
    this.applyRelease(release);
    return [{ message: { kind: 'release', release }, paths: BOTH }];
  }
}
