/**
 * The room as 1:1 calls see it: who has joined, whether the room is public, and the rule that calls
 * happen only between exactly two joined people in a room that is not public (the spec's security
 * consideration: in a bigger room anyone could answer).
 *
 * Owns: reading m.room.member and m.room.join_rules contents (never throwing), the RoomView and the
 * plain-words errors for calling where it is not allowed. Never: reads from the transport itself.
 */
import type { RawRoomEvent } from '../transport/transport.js';
import type { KitError, PersonView, RoomView } from '../snapshot.js';

export interface MemberFact {
  readonly userId: string;
  readonly membership: string;
  readonly displayName?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A member event's user and membership, or undefined when it is malformed. */
export function readMember(event: RawRoomEvent): MemberFact | undefined {
  const userId = event.state_key;
  if (typeof userId !== 'string' || !userId.startsWith('@') || !isRecord(event.content)) return undefined;
  const { membership, displayname } = event.content;
  if (typeof membership !== 'string') return undefined;
  return {
    userId,
    membership,
    ...(typeof displayname === 'string' && displayname.length > 0 && displayname.length <= 256
      ? { displayName: displayname }
      : {}),
  };
}

/** The join rule, or undefined when the content is malformed. */
export function readJoinRule(event: RawRoomEvent): string | undefined {
  if (!isRecord(event.content)) return undefined;
  const rule = event.content.join_rule;
  return typeof rule === 'string' ? rule : undefined;
}

export function personOf(member: MemberFact): PersonView {
  return Object.freeze({ userId: member.userId, displayName: member.displayName ?? member.userId });
}

/** Joined members as PersonViews, the rule check, frozen. */
export function buildRoomView(
  roomId: string,
  selfUserId: string,
  members: Iterable<MemberFact>,
  joinRule: string | undefined,
): RoomView {
  const joined = [...members].filter((m) => m.membership === 'join').map(personOf);
  const isPublic = joinRule === 'public';
  const canCall = !isPublic && joined.length === 2 && joined.some((m) => m.userId === selfUserId);
  return Object.freeze({ roomId, members: Object.freeze(joined), canCall, isPublic });
}

/** The one other joined member of a two-person room. */
export function otherMember(room: RoomView, selfUserId: string): PersonView | undefined {
  return room.canCall ? room.members.find((m) => m.userId !== selfUserId) : undefined;
}

/** Why a call may not be placed or answered here, or undefined when it may. */
export function callRuleError(room: RoomView): KitError | undefined {
  if (room.isPublic) {
    return Object.freeze({
      code: 'public-room' as const,
      message:
        'Calls are turned off in public rooms, because anyone could join and answer. Use a private room or a direct message.',
    });
  }
  if (!room.canCall) {
    return Object.freeze({
      code: 'not-two-person-room' as const,
      message: `One-to-one calls need a room with exactly two people; this room has ${room.members.length}. Call from a direct message, or start a group call.`,
    });
  }
  return undefined;
}
