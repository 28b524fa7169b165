/**
 * Event type names and fixed values of MatrixRTC membership, as each ecosystem spells them.
 *
 * Owns: the names. Never: parses or builds contents.
 */

/** Element Call / matrix-js-sdk: one state event per device (and, in older clients, per user). */
export const ELEMENT_MEMBER_EVENT = 'org.matrix.msc3401.call.member';

/** famedly's SDK: one state event per user with a `memberships[]` array of its devices. */
export const FAMEDLY_MEMBER_EVENT = 'com.famedly.call.member';

export const MEMBER_EVENT_TYPES: readonly string[] = [ELEMENT_MEMBER_EVENT, FAMEDLY_MEMBER_EVENT];

/** The application and scope of a room's one call. */
export const CALL_APPLICATION = 'm.call';
export const ROOM_SCOPE = 'm.room';

/**
 * matrix-js-sdk's fallback lifetime of a membership that names no `expires` (DEFAULT_EXPIRE_DURATION).
 */
export const ELEMENT_DEFAULT_EXPIRES_MS = 4 * 60 * 60 * 1000;

/**
 * The kit's walkie-talkie marker (MSC4002, docs/msc4002-walkie-talkie-protocol.md): `true` in a
 * membership (Element's content or a famedly entry) written by a listen-only join. Such a device
 * hears the walkie-talkie but is not in the call: it does not make the call `ongoing`. Other clients
 * ignore the unknown field.
 */
export const LISTEN_ONLY_FIELD = 'org.matrix.msc4002.listen_only';
