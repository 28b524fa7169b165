/**
 * The door to livekit-client for group calls: a dynamic import, so bundlers put livekit-client (and
 * the adapter over it) in their own chunk, fetched only when an SFU call is joined.
 *
 * Owns: loading livekit-room-adapter.ts. Never: imports livekit-client statically (type imports,
 * which compile away, only).
 */
import type { SfuRoomLoader } from './sfu-room.js';

export const loadLiveKitRoom: SfuRoomLoader = async (options) => {
  const adapter = await import('./livekit-room-adapter.js');
  return adapter.createLiveKitSfuRoom(options);
};
