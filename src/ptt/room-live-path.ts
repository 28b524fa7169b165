/**
 * RoomLivePath: the walkie-talkie engine's one LiveAudioPath in a room whose group call backend may be
 * re-chosen: a MeshLiveAudioPath and an SfuLiveAudioPath, one of them attached to the room's call at a
 * time (follow()), the engine's listeners on both, its sends to the attached one.
 *
 * Owns: which path is in use, and moving a transmission in progress to the other. Never: chooses the
 * backend (GroupCallSession does), trusts a frame (the paths check), or opens a microphone.
 */
import type { GroupCallBackend } from '../group/group-call-backend.js';
import type { Unsubscribe } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';
import type { LiveAudioPath } from './live-audio-path.js';
import { MeshLiveAudioPath } from './mesh-live-audio-path.js';
import { SfuLiveAudioPath } from './sfu-live-audio-path.js';

export class RoomLivePath implements LiveAudioPath {
  readonly mesh = new MeshLiveAudioPath();
  readonly sfu = new SfuLiveAudioPath();
  private active: MeshLiveAudioPath | SfuLiveAudioPath | undefined;
  private sending: { readonly track: MediaStreamTrack; readonly to: readonly DeviceRef[] } | undefined;

  /** Which path carries the room's walkie-talkie now: 'mesh', 'sfu', or undefined (none). */
  get kind(): 'mesh' | 'sfu' | undefined {
    return this.active === this.mesh ? 'mesh' : this.active === this.sfu ? 'sfu' : undefined;
  }

  /** Attaches to the room's backend now (after a re-choice, or once a stand-in's code has loaded). */
  follow(backend: GroupCallBackend | undefined): void {
    const live = backend?.liveAudio ?? null;
    const next = live?.kind === 'mesh' ? this.mesh : live?.kind === 'sfu' ? this.sfu : undefined;
    if (next !== this.active && this.sending) this.active?.stopSending();
    this.mesh.attach(live?.kind === 'mesh' ? live : undefined);
    this.sfu.attach(live?.kind === 'sfu' ? live : undefined);
    if (next !== this.active && this.sending) next?.startSending(this.sending.track, this.sending.to);
    this.active = next;
  }

  sendFloorFrame(frame: string): void {
    this.active?.sendFloorFrame(frame);
  }

  onFloorFrame(listener: (frame: unknown, from: DeviceRef) => void): Unsubscribe {
    const off = [this.mesh.onFloorFrame(listener), this.sfu.onFloorFrame(listener)];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }

  onLiveAudio(listener: (from: DeviceRef, stream: MediaStream | undefined) => void): Unsubscribe {
    const off = [this.mesh.onLiveAudio(listener), this.sfu.onLiveAudio(listener)];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }

  setAudience(devices: readonly DeviceRef[]): void {
    this.sfu.setAudience(devices);
  }

  startSending(track: MediaStreamTrack, to: readonly DeviceRef[]): void {
    this.sending = { track, to: [...to] };
    this.active?.startSending(track, to);
  }

  stopSending(): void {
    this.sending = undefined;
    this.active?.stopSending();
  }

  close(): void {
    this.sending = undefined;
    this.mesh.close();
    this.sfu.close();
    this.active = undefined;
  }
}
