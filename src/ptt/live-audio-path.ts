/**
 * LiveAudioPath: the walkie-talkie's fast path, as the engine sees it. A call backend (mesh data channels and
 * audio tracks, or SFU data messages and tracks) implements it; the engine stays the same.
 *
 * Owns: the contract only. Never: holds behaviour. Implementations must tell the real sender of every frame
 * (the connection's peer), never one read from the frame, and send audio only to the devices they are given.
 */
import type { Unsubscribe } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';

export interface LiveAudioPath {
  /** One fast-path frame (`{"type", "content"}` as UTF-8 JSON text) to every device connected on this path. */
  sendFloorFrame(frame: string): void;
  /** Frames from connected devices, each with the device its connection belongs to. */
  onFloorFrame(listener: (frame: unknown, from: DeviceRef) => void): Unsubscribe;
  /**
   * Sends the talker's microphone to exactly these devices (valid opted-in receivers connected to the call).
   * Called again with another list while talking, it re-targets: devices no longer listed stop receiving.
   */
  startSending(track: MediaStreamTrack, to: readonly DeviceRef[]): void;
  stopSending(): void;
  /**
   * The devices opted in to receive now (this one left out), told on every opt-in change and expiry,
   * whether or not anyone talks: a path whose media keys are shared ahead of a transmission (the SFU
   * call's E2EE) gives its key to these devices only.
   */
  setAudience?(devices: readonly DeviceRef[]): void;
  /** Another device's live audio starts (a stream) or ends (undefined). */
  onLiveAudio(listener: (from: DeviceRef, stream: MediaStream | undefined) => void): Unsubscribe;
}
