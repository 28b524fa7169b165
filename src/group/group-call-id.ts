/**
 * The call id under which CallActions address the room's group call. It is part of the contract
 * (src/snapshot.ts); the group code takes it from here.
 *
 * Owns: nothing of its own. Never: anything else (elements import it, so it stays free of engine code).
 */
export { GROUP_CALL_ID } from '../snapshot.js';
