/**
 * MeshLiveAudioPath: the walkie-talkie's fast path over a mesh group call (docs/msc4002-walkie-talkie-protocol.md,
 * "The kit's engine"; docs/mesh.md, "Walkie-talkie on the mesh"). Floor frames travel on each leg's
 * `org.matrix.msc4002.floor` data channel; the talker's voice travels on the legs of the devices it is
 * given, and each of them is told so on that leg's channel with a `org.matrix.msc4002.live_audio` frame,
 * which is how a receiver knows when the leg's audio is the talker's live voice.
 *
 * Owns: the live-audio frames (sent and read here, never handed to the engine), which devices were told
 * that live audio is on, and which remote voices were handed to the engine. Never: trusts a frame for its
 * sender (the leg's peer is the sender), opens a microphone, plays audio, or touches a connection itself
 * (the mesh does, through its typed `liveAudio` part, MeshLiveAudio in src/group/live-audio.ts).
 */
import type { MeshLiveAudio } from '../group/live-audio.js';
import type { Unsubscribe } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';
import type { LiveAudioPath } from './live-audio-path.js';
import { LivePathListeners, type FloorFrameListener, type LiveAudioListener } from './live-path-listeners.js';

/** The path's own frame type: `{"type": LIVE_AUDIO_FRAME, "content": {"sending": boolean}}`. */
export const LIVE_AUDIO_FRAME = 'org.matrix.msc4002.live_audio';

const keyOf = (d: DeviceRef) => `${d.userId}\u0000${d.deviceId}`;

/** Reads a live-audio frame; undefined for anything else (floor frames go to the engine untouched). */
function readLiveAudioFrame(frame: string): { sending: boolean } | 'malformed' | undefined {
  if (!frame.includes(LIVE_AUDIO_FRAME)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    return undefined; // not JSON: the engine rejects it with its reason
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, content } = parsed as { type?: unknown; content?: unknown };
  if (type !== LIVE_AUDIO_FRAME) return undefined;
  if (typeof content !== 'object' || content === null) return 'malformed';
  const sending = (content as { sending?: unknown }).sending;
  return typeof sending === 'boolean' ? { sending } : 'malformed';
}

export class MeshLiveAudioPath implements LiveAudioPath {
  private readonly listeners = new LivePathListeners();
  private unsubscribes: Unsubscribe[] = [];
  private mesh: MeshLiveAudio | undefined;
  /** Devices this one told that its live audio is on. */
  private targets = new Map<string, DeviceRef>();
  private sending = false;
  /** Remote voices handed to the engine, by device. */
  private readonly incoming = new Map<string, DeviceRef>();
  /** Dropped live-audio frames and why (diagnostics and tests). */
  readonly rejected: { readonly from: DeviceRef; readonly reason: string }[] = [];

  /** `mesh`: the call it runs over; attach() changes it (the room's backend may be re-chosen). */
  constructor(mesh?: MeshLiveAudio) {
    if (mesh) this.attach(mesh);
  }

  /** The mesh call this path runs over now, or none (frames and audio then go nowhere). */
  attach(mesh: MeshLiveAudio | undefined): void {
    if (mesh === this.mesh) return;
    this.detach();
    this.mesh = mesh;
    if (!mesh) return;
    this.unsubscribes = [
      mesh.onFloorFrame((frame, from) => this.onFrame(frame, from)),
      mesh.onFloorChannel((peer, open) => (open ? this.onChannelOpen(peer) : this.onChannelClosed(peer))),
    ];
  }

  sendFloorFrame(frame: string): void {
    this.mesh?.sendFloorFrame(frame);
  }

  onFloorFrame(listener: FloorFrameListener): Unsubscribe {
    return this.listeners.onFloorFrame(listener);
  }

  onLiveAudio(listener: LiveAudioListener): Unsubscribe {
    return this.listeners.onLiveAudio(listener);
  }

  startSending(track: MediaStreamTrack, to: readonly DeviceRef[]): void {
    this.mesh?.setLiveAudio(track, to);
    const next = new Map(to.map((d) => [keyOf(d), d] as const));
    for (const [key, device] of this.targets) if (!next.has(key)) this.tell(device, false);
    for (const [key, device] of next) if (!this.targets.has(key)) this.tell(device, true);
    this.targets = next;
    this.sending = true;
  }

  stopSending(): void {
    this.mesh?.clearLiveAudio();
    for (const device of this.targets.values()) this.tell(device, false);
    this.targets = new Map();
    this.sending = false;
  }

  /** Stops listening to the mesh; live audio handed on ends. */
  close(): void {
    this.detach();
  }

  private detach(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const device of [...this.incoming.values()]) this.endIncoming(device);
    this.mesh = undefined;
  }

  private tell(device: DeviceRef, sending: boolean): void {
    this.mesh?.sendFloorFrame(JSON.stringify({ type: LIVE_AUDIO_FRAME, content: { sending } }), device);
  }

  private onFrame(frame: string, from: DeviceRef): void {
    const live = readLiveAudioFrame(frame);
    if (live === undefined) {
      this.listeners.frame(frame, from);
      return;
    }
    if (live === 'malformed') {
      this.rejected.push({ from, reason: 'a live-audio frame needs content.sending, a boolean' });
      return;
    }
    if (!live.sending) {
      this.endIncoming(from);
      return;
    }
    const mesh = this.mesh;
    if (!mesh || this.incoming.has(keyOf(from)) || mesh.playsInCall(from)) return;
    const stream = mesh.remoteAudio(from);
    if (!stream) {
      this.rejected.push({ from, reason: 'live audio announced on a leg with no audio' });
      return;
    }
    this.incoming.set(keyOf(from), from);
    this.listeners.voice(from, stream);
  }

  private endIncoming(from: DeviceRef): void {
    if (!this.incoming.delete(keyOf(from))) return;
    this.listeners.voice(from, undefined);
  }

  private onChannelOpen(peer: DeviceRef): void {
    // A leg (re)connected while this device talks to it: tell it again.
    if (this.sending && this.targets.has(keyOf(peer))) this.tell(peer, true);
  }

  private onChannelClosed(peer: DeviceRef): void {
    this.endIncoming(peer);
  }
}
