/**
 * The shape every group call backend has (mesh, LiveKit SFU), so the controller drives either the
 * same way and the elements see one GroupCallView.
 *
 * Owns: the interface and its factory type. Never: behaviour, or an import of a backend (the
 * LiveKit one is loaded lazily, so the controller must not import it statically).
 */
import type { CallClock, LocalMediaSource } from '../call/peer-call-contract.js';
import type { CallKind, GroupCallView, KitError, PersonView } from '../snapshot.js';
import type { MatrixTransport } from '../transport/transport.js';
import type { BackendLiveAudio } from './live-audio.js';

export type { BackendLiveAudio, LiveAudioDevice, MeshLiveAudio, SfuLiveAudio } from './live-audio.js';

export interface GroupJoinOptions {
  /** Join with the microphone muted. */
  readonly audioMuted?: boolean;
  /** Join with the camera off (a voice join always has it off). */
  readonly videoMuted?: boolean;
  /**
   * The walkie-talkie's join: audio only, no camera or microphone opened; the view says `listenOnly` and
   * the membership is marked so listening devices do not make the call ongoing. Only a backend with a
   * `liveAudio` part honours it.
   */
  readonly listenOnly?: boolean;
}

/**
 * One room's group call on one backend. Publishes a frozen `view` with a `change` event after every
 * transition. Actions reject with an Error carrying a KitErrorCode `code` when the user must be told.
 */
export interface GroupCallBackend extends EventTarget {
  readonly view: GroupCallView;
  /** A problem the user should know about while in the call. */
  readonly error: KitError | undefined;
  /**
   * The event id of this device's membership write while joined, if the backend knows it: the call
   * notification (MSC4075) the controller sends on starting a call refers to it.
   */
  readonly membershipEventId?: string | undefined;
  /** The walkie-talkie's fast path over this backend (live-audio.ts); null where the backend has none. */
  readonly liveAudio: BackendLiveAudio | null;
  /** Reads the room's memberships (so `ongoing` is known before joining) and starts listening. */
  start(): Promise<void>;
  join(kind: CallKind, options?: GroupJoinOptions): Promise<void>;
  leave(): Promise<void>;
  /** Leaves without waiting and stops listening; the backend is unusable afterwards. */
  dispose(): void;
  setMicMuted(muted: boolean): Promise<void>;
  setCameraMuted(muted: boolean): Promise<void>;
  setScreenSharing(sharing: boolean): Promise<void>;
  /** 0..1; elements apply it to the participant's media elements. */
  setParticipantVolume(userId: string, deviceId: string, volume: number): void;
}

/** What a backend gets from the controller that owns it. */
export interface GroupCallBackendContext {
  readonly transport: MatrixTransport;
  readonly media: LocalMediaSource;
  readonly clock?: CallClock;
  readonly iceServers?: readonly RTCIceServer[];
  /** Display name and avatar of a user (the controller knows the room's members). */
  readonly describe: (userId: string) => PersonView;
  readonly log?: (message: string) => void;
}

export interface GroupCallBackendFactory {
  (context: GroupCallBackendContext): GroupCallBackend;
  /**
   * With the setting 'auto': whether a call nobody is in yet starts on this backend. The LiveKit
   * factory says true when it has a focus configured; absent means no.
   */
  readonly preferredForNewCalls?: boolean;
}
