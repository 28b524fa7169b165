/**
 * Floor events of the walkie-talkie (request, heartbeat, release): parse what arrives on either path,
 * build what the floor arbiter sends. Wire format: docs/msc4002-walkie-talkie-protocol.md, section 2.
 *
 * Owns: the mapping between wire JSON and FloorMessage, and the sender checks (a claim only from its
 * claimant; `done` / `yield` only from the claimant; a release from anyone else is marked `revokedBy`).
 * Never: throws, decides who holds the floor (that is src/ptt/floor-control.ts), or touches a transport.
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { FLOOR_HEARTBEAT, FLOOR_RELEASE, FLOOR_REQUEST } from './event-types.js';
import { accept, isCount, isNonEmptyString, isRecord, isUserId, reject, type Parsed } from './parsed.js';

/** Names one claim: a device makes at most one per turn. */
export interface ClaimId {
  readonly turn: number;
  readonly userId: string;
  readonly deviceId: string;
}

export interface FloorClaim extends ClaimId {
  /** Press time on the claimant's clock, epoch ms. */
  readonly ts: number;
  /** The longest the claimant will talk, if it said. */
  readonly maxMs?: number;
}

export type ReleaseReason = 'done' | 'max_time' | 'silent' | 'stale' | 'yield';
const RELEASE_REASONS: readonly ReleaseReason[] = ['done', 'max_time', 'silent', 'stale', 'yield'];
/** Reasons anyone may give (revocations); the others only the claimant. */
const REVOCATION_REASONS: readonly ReleaseReason[] = ['max_time', 'silent', 'stale'];

export interface FloorRelease extends ClaimId {
  readonly reason: ReleaseReason;
  /** With `stale`: the sender's current turn. */
  readonly currentTurn?: number;
  /**
   * Set when the release came from someone other than the claimant (a revocation), by the parser from the
   * real sender, never from the wire. The floor arbiter honours it only where its own view agrees.
   */
  readonly revokedBy?: FloorSender;
}

export type FloorMessage =
  | { readonly kind: 'request'; readonly claim: FloorClaim }
  | { readonly kind: 'heartbeat'; readonly claim: FloorClaim }
  | { readonly kind: 'release'; readonly release: FloorRelease };

/** Who sent a message, as the path knows it: a room event's sender has no device; a call leg has one. */
export interface FloorSender {
  readonly userId: string;
  readonly deviceId?: string;
}

/** Fast-path frames larger than this are dropped unread. */
export const MAX_FRAME_LENGTH = 4096;

function parseClaimId(content: Record<string, unknown>): Parsed<ClaimId> {
  const { turn, user_id: userId, device_id: deviceId } = content;
  if (!isCount(turn) || turn < 1) return reject('turn must be an integer of at least 1');
  if (!isUserId(userId)) return reject('user_id must be a Matrix user id');
  if (!isNonEmptyString(deviceId)) return reject('device_id must be a non-empty string');
  return accept({ turn, userId, deviceId });
}

function isFromClaimant(id: ClaimId, sender: FloorSender): boolean {
  return id.userId === sender.userId && (sender.deviceId === undefined || id.deviceId === sender.deviceId);
}

function parseClaim(content: Record<string, unknown>, sender: FloorSender): Parsed<FloorClaim> {
  const id = parseClaimId(content);
  if (!id.ok) return id;
  if (!isFromClaimant(id.value, sender)) return reject('a claim must come from its claimant');
  const { ts, max_ms: maxMs } = content;
  if (!isCount(ts)) return reject('ts must be a non-negative integer');
  if (maxMs !== undefined && (!isCount(maxMs) || maxMs < 1))
    return reject('max_ms must be a positive integer');
  return accept(maxMs === undefined ? { ...id.value, ts } : { ...id.value, ts, maxMs });
}

function parseRelease(content: Record<string, unknown>, sender: FloorSender): Parsed<FloorRelease> {
  const id = parseClaimId(content);
  if (!id.ok) return id;
  const reason = content['reason'];
  if (!RELEASE_REASONS.includes(reason as ReleaseReason)) {
    return reject(`reason must be one of ${RELEASE_REASONS.join(', ')}`);
  }
  const why = reason as ReleaseReason;
  if (!REVOCATION_REASONS.includes(why) && !isFromClaimant(id.value, sender)) {
    return reject(`only the claimant may release with ${why}`);
  }
  const currentTurn = content['current_turn'];
  const by = isFromClaimant(id.value, sender) ? {} : { revokedBy: sender };
  if (why === 'stale') {
    if (!isCount(currentTurn) || currentTurn <= id.value.turn) {
      return reject('a stale release needs current_turn above the claim turn');
    }
    return accept({ ...id.value, reason: why, currentTurn, ...by });
  }
  return accept({ ...id.value, reason: why, ...by });
}

/** Parses a floor event's type and content, as received from `sender` on either path. */
export function parseFloorEvent(type: string, content: unknown, sender: FloorSender): Parsed<FloorMessage> {
  if (!isRecord(content)) return reject('content must be an object');
  switch (type) {
    case FLOOR_REQUEST:
    case FLOOR_HEARTBEAT: {
      const claim = parseClaim(content, sender);
      if (!claim.ok) return claim;
      return accept({ kind: type === FLOOR_REQUEST ? 'request' : 'heartbeat', claim: claim.value });
    }
    case FLOOR_RELEASE: {
      const release = parseRelease(content, sender);
      return release.ok ? accept({ kind: 'release', release: release.value }) : release;
    }
    default:
      return reject(`not a floor event type: ${type}`);
  }
}

/** A floor event from the room timeline (durable path). */
export function parseFloorRoomEvent(event: RawRoomEvent): Parsed<FloorMessage> {
  if (event.state_key !== undefined) return reject('floor events are not state events');
  return parseFloorEvent(event.type, event.content, { userId: event.sender });
}

/** A fast-path frame (data channel text or SFU data) from a known peer. */
export function parseFloorFrame(data: unknown, peer: FloorSender): Parsed<FloorMessage> {
  if (typeof data !== 'string') return reject('a frame must be text');
  if (data.length > MAX_FRAME_LENGTH) return reject('frame too large');
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return reject('frame is not JSON');
  }
  if (!isRecord(frame) || typeof frame['type'] !== 'string') return reject('frame needs a type');
  return parseFloorEvent(frame['type'], frame['content'], peer);
}

export interface FloorEventOut {
  readonly type: string;
  readonly content: Record<string, unknown>;
}

function claimIdContent(id: ClaimId): Record<string, unknown> {
  return { turn: id.turn, user_id: id.userId, device_id: id.deviceId };
}

/** The wire form of a message, for a room event or inside a fast-path frame. */
export function buildFloorEvent(message: FloorMessage): FloorEventOut {
  switch (message.kind) {
    case 'request':
    case 'heartbeat': {
      const { claim } = message;
      const content = { ...claimIdContent(claim), ts: claim.ts } as Record<string, unknown>;
      if (claim.maxMs !== undefined) content['max_ms'] = claim.maxMs;
      return { type: message.kind === 'request' ? FLOOR_REQUEST : FLOOR_HEARTBEAT, content };
    }
    case 'release': {
      const { release } = message;
      const content = { ...claimIdContent(release), reason: release.reason } as Record<string, unknown>;
      if (release.currentTurn !== undefined) content['current_turn'] = release.currentTurn;
      return { type: FLOOR_RELEASE, content };
    }
  }
}

export function encodeFloorFrame(message: FloorMessage): string {
  return JSON.stringify(buildFloorEvent(message));
}
