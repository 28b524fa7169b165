/**
 * The walkie-talkie's event type names (docs/msc4002-walkie-talkie-protocol.md), in one place.
 *
 * Owns: the unstable names. Never: logic.
 */

export const PTT_OPT_IN = 'org.matrix.msc4002.opt_in';
export const FLOOR_REQUEST = 'org.matrix.msc4002.floor.request';
export const FLOOR_HEARTBEAT = 'org.matrix.msc4002.floor.heartbeat';
export const FLOOR_RELEASE = 'org.matrix.msc4002.floor.release';
/** Content key of a voice message that links it to the claim it recorded. */
export const TRANSMISSION_KEY = 'org.matrix.msc4002.transmission';
/** Data channel label (mesh) and data topic (SFU) of the fast path. */
export const FLOOR_CHANNEL = 'org.matrix.msc4002.floor';

export const FLOOR_EVENT_TYPES = [FLOOR_REQUEST, FLOOR_HEARTBEAT, FLOOR_RELEASE] as const;
export type FloorEventType = (typeof FLOOR_EVENT_TYPES)[number];
