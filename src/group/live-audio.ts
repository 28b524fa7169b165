/**
 * The walkie-talkie's fast path as a group call backend offers it (`GroupCallBackend.liveAudio`): a typed
 * part, one shape per kind of backend, so the walkie-talkie (src/ptt) picks its path by `kind` and never by
 * the backend's class or by which methods it happens to have. A backend without a fast path has `null`.
 *
 * Owns: the contract only. Never: behaviour, or an import of a backend or of src/ptt. Implementations
 * name the real sender of every frame (the leg's peer, or the device an SFU identity belongs to), never
 * one read from the frame, and send the live voice only where they are told.
 */
import type { Unsubscribe } from '../transport/transport.js';

/** A Matrix device at the other end of the fast path. */
export interface LiveAudioDevice {
  readonly userId: string;
  readonly deviceId: string;
}

/** The mesh's fast path: floor data channels and audio transceivers on each leg (docs/mesh.md). */
export interface MeshLiveAudio {
  readonly kind: 'mesh';
  /**
   * Gives every leg the floor data channel from now on, existing legs included (a leg that had no data
   * section renegotiates once). Both ends must ask for it: the channel is negotiated with a fixed id.
   */
  enableFloorChannels(): void;
  /** A floor frame (UTF-8 JSON text) to every device whose channel is open, or to one device. */
  sendFloorFrame(frame: string, to?: LiveAudioDevice): void;
  /** Frames from the floor channels, each with the device at the other end of its leg. */
  onFloorFrame(listener: (frame: string, from: LiveAudioDevice) => void): Unsubscribe;
  /** A leg's floor channel opened (true), or closed or its leg ended (false). */
  onFloorChannel(listener: (peer: LiveAudioDevice, open: boolean) => void): Unsubscribe;
  /**
   * Sends this track on the legs of these devices only, and nothing on the others (replaceTrack: no
   * renegotiation). Only a listen-only join changes tracks: a device joined with media already sends its
   * microphone to everyone in the call.
   */
  setLiveAudio(track: MediaStreamTrack, to: readonly LiveAudioDevice[]): void;
  /** Takes the live track off every leg. */
  clearLiveAudio(): void;
  /** The voice arriving on the leg from this device, as one stream; undefined without a connected leg. */
  remoteAudio(from: LiveAudioDevice): MediaStream | undefined;
  /** Whether that voice is part of the call's own streams (so this device's call tiles play it). */
  playsInCall(from: LiveAudioDevice): boolean;
}

/** The SFU's fast path: reliable data messages and a named live-voice track (docs/livekit.md). */
export interface SfuLiveAudio {
  readonly kind: 'sfu';
  /** One floor frame (UTF-8 JSON text) to everyone in the room; nothing while not connected. */
  sendFloorFrame(frame: string): void;
  /** Floor frames from the others, each with the Matrix device its SFU identity belongs to. */
  onFloorFrame(listener: (frame: string, from: LiveAudioDevice) => void): Unsubscribe;
  /** Publishes the talker's microphone as the named live-voice track (replacing one published before). */
  setLiveAudio(track: MediaStreamTrack): void;
  /** Unpublishes the live voice (the track is not stopped: the walkie-talkie owns it). */
  clearLiveAudio(): void;
  /**
   * The devices the walkie-talkie's voice is for (those opted in to receive). While this device is in the
   * call only through the listen-only join, its media key goes to these members of the call and no others.
   */
  setKeyAudience(devices: readonly LiveAudioDevice[]): void;
  /** The others' live voices now, by Matrix device (participants with unknown identities left out). */
  remoteLiveAudio(): readonly { readonly from: LiveAudioDevice; readonly stream: MediaStream }[];
  /** The voice of this device already plays in this device's call: both are in it with their microphones. */
  playsInCall(from: LiveAudioDevice): boolean;
  /** Participants or their tracks may have changed (the call's `change` event). */
  onChange(listener: () => void): Unsubscribe;
}

export type BackendLiveAudio = MeshLiveAudio | SfuLiveAudio;
