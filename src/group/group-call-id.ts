/**
 * The call id under which CallActions (mute, camera, screen share) address the room's group call:
 * group calls have no m.call call_id of their own.
 *
 * Owns: the constant. Never: anything else (elements import it, so it stays free of engine code).
 */
export const GROUP_CALL_ID = 'group';
