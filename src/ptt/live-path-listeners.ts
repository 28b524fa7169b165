/**
 * The engine's listeners on one live path: floor frames and live voices, registered with an
 * unsubscribe and told in order. Shared by the mesh and SFU paths.
 *
 * Owns: the two listener sets. Never: decides who sent a frame or whether it is valid (the path does).
 */
import type { Unsubscribe } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';

export type FloorFrameListener = (frame: unknown, from: DeviceRef) => void;
export type LiveAudioListener = (from: DeviceRef, stream: MediaStream | undefined) => void;

export class LivePathListeners {
  private readonly frames = new Set<FloorFrameListener>();
  private readonly voices = new Set<LiveAudioListener>();

  onFloorFrame(listener: FloorFrameListener): Unsubscribe {
    this.frames.add(listener);
    return () => this.frames.delete(listener);
  }

  onLiveAudio(listener: LiveAudioListener): Unsubscribe {
    this.voices.add(listener);
    return () => this.voices.delete(listener);
  }

  frame(frame: unknown, from: DeviceRef): void {
    for (const listener of this.frames) listener(frame, from);
  }

  /** A live voice from `from` starts (a stream) or ends (undefined). */
  voice(from: DeviceRef, stream: MediaStream | undefined): void {
    for (const listener of this.voices) listener(from, stream);
  }
}
