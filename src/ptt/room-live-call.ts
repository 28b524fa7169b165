/**
 * Which call carries the walkie-talkie's fast path in a room: the room's group call backend, looked at
 * through a lazy stand-in (its `loaded` backend), as a mesh call or, recognised by its shape, an SFU call
 * (SfuLiveCall). The SFU backend's code is never imported here.
 *
 * Owns: that recognition. Never: keeps state, joins or changes a call.
 */
import type { GroupCallBackend, GroupJoinOptions } from '../group/group-call-backend.js';
import { MeshGroupCall } from '../group/mesh/mesh-group-call.js';
import type { SfuLiveCall } from './sfu-live-audio-path.js';

/** A backend that joins without media when asked (`listenOnly`): the mesh and the SFU call do. */
export interface ListenOnlyJoinable extends GroupCallBackend {
  join(kind: 'voice', options: GroupJoinOptions & { readonly listenOnly: true }): Promise<void>;
}

export type RoomLiveCall =
  | { readonly kind: 'mesh'; readonly call: MeshGroupCall }
  | { readonly kind: 'sfu'; readonly call: ListenOnlyJoinable & SfuLiveCall };

const SFU_METHODS = [
  'sendFloorFrame',
  'onFloorFrame',
  'setLiveAudio',
  'clearLiveAudio',
  'remoteLiveAudio',
  'playsInCall',
] as const;

function isSfuLiveCall(backend: GroupCallBackend): backend is ListenOnlyJoinable & SfuLiveCall {
  const methods = backend as unknown as Record<string, unknown>;
  return SFU_METHODS.every((name) => typeof methods[name] === 'function');
}

/** The backend behind a lazy stand-in once its code has loaded; the backend itself otherwise. */
function unwrap(backend: GroupCallBackend | undefined): GroupCallBackend | undefined {
  if (backend && 'loaded' in backend) return (backend as { loaded?: GroupCallBackend }).loaded;
  return backend;
}

/** The call the fast path runs over; undefined when none (no group call, or its code not loaded yet). */
export function roomLiveCall(backend: GroupCallBackend | undefined): RoomLiveCall | undefined {
  const real = unwrap(backend);
  if (!real) return undefined;
  if (real instanceof MeshGroupCall) return { kind: 'mesh', call: real };
  if (isSfuLiveCall(real)) return { kind: 'sfu', call: real };
  return undefined;
}
