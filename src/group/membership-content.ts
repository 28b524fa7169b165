/**
 * What this device's membership state event says, in the format the manager writes (Element Call's
 * per-device event, or famedly's per-user event with one entry per device): the content of a joining
 * (backend, call id, expiry, created_ts once known, intent, the listen-only marker), and of leaving.
 *
 * Owns: building those contents from the manager's facts. Never: writes, reads or times anything, or
 * touches another device's entry in a famedly event (it is kept as read).
 */
import {
  buildElementLeave,
  buildElementMembership,
  buildFamedlyContent,
  buildFamedlyEntry,
  randomMembershipId,
  type MembershipBackend,
} from '../signalling/membership/index.js';
import type { WrittenMembershipFormat } from './membership-needs.js';

export interface OwnMembershipFacts {
  readonly format: WrittenMembershipFormat;
  readonly userId: string;
  readonly deviceId: string;
  readonly backend: MembershipBackend;
  readonly callId: string;
  readonly now: number;
  /** How long a write lives (with or without a delayed leave). */
  readonly lifetimeMs: number;
  /** The joining's creation time, once the server stamped the first write. */
  readonly createdTs: number | undefined;
  readonly callIntent: string | undefined;
  readonly membershipId: string | undefined;
  readonly listenOnly: boolean;
  /** The content of this user's famedly event now (other devices' entries are kept). */
  readonly currentContent: unknown;
}

export function ownMembershipContent(facts: OwnMembershipFacts): object {
  const target = facts.now + facts.lifetimeMs;
  if (facts.format === 'element') {
    return buildElementMembership({
      userId: facts.userId,
      deviceId: facts.deviceId,
      backend: facts.backend,
      callId: facts.callId,
      // The first write has no created_ts: the server's timestamp becomes the creation time.
      expires: facts.createdTs === undefined ? facts.lifetimeMs : target - facts.createdTs,
      ...(facts.createdTs !== undefined ? { createdTs: facts.createdTs } : {}),
      ...(facts.callIntent !== undefined ? { callIntent: facts.callIntent } : {}),
      ...(facts.backend.type === 'livekit' && facts.backend.focusSelection
        ? { focusSelection: facts.backend.focusSelection }
        : {}),
      ...(facts.listenOnly ? { listenOnly: true } : {}),
    });
  }
  const entry = buildFamedlyEntry({
    deviceId: facts.deviceId,
    backend: facts.backend,
    callId: facts.callId,
    expiresTs: target,
    membershipId: facts.membershipId ?? randomMembershipId(),
    ...(facts.createdTs !== undefined ? { createdTs: facts.createdTs } : {}),
    ...(facts.listenOnly ? { listenOnly: true } : {}),
  });
  return buildFamedlyContent(facts.currentContent, facts.deviceId, entry);
}

/** Leaving: an empty Element event, or the famedly event without this device's entry. */
export function leaveMembershipContent(
  format: WrittenMembershipFormat,
  currentContent: unknown,
  deviceId: string,
): object {
  if (format === 'element') return buildElementLeave();
  return buildFamedlyContent(currentContent, deviceId, undefined);
}
