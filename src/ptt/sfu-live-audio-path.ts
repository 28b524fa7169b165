/**
 * SfuLiveAudioPath: the walkie-talkie's fast path over an SFU (LiveKit) group call
 * (docs/msc4002-walkie-talkie-protocol.md, "The SFU path"). Floor frames travel as reliable data messages
 * with the topic `org.matrix.msc4002.floor`; the sender is the Matrix device the SFU participant identity
 * belongs to (the call's identity directory), and a frame whose content names anyone else as its sender
 * is dropped here with a reason. The talker's voice is its microphone track, published under the
 * live-voice track name while it sends and unpublished after; a receiver hands on a participant's
 * live-voice stream while it is published.
 *
 * Owns: the frame check, which remote live voices were handed to the engine, and whether this device
 * publishes. Never: trusts a frame for its sender, opens a microphone, plays audio, or imports
 * livekit-client (the call does the LiveKit side, through its typed `liveAudio` part, SfuLiveAudio in
 * src/group/live-audio.ts).
 *
 * With media E2EE the audience (setAudience: the devices opted in to receive) is handed to the call,
 * which gives this device's media key only to them while it is in the call listen-only (docs/security.md,
 * "The walkie-talkie's media key on the SFU"). The SFU still forwards the encrypted live voice to any
 * subscriber; without the key a device that is not opted in cannot decode it.
 */
import type { SfuLiveAudio } from '../group/live-audio.js';
import { parseFloorFrame } from '../signalling/ptt/floor-events.js';
import type { Unsubscribe } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';
import type { LiveAudioPath } from './live-audio-path.js';
import { LivePathListeners, type FloorFrameListener, type LiveAudioListener } from './live-path-listeners.js';

const keyOf = (d: DeviceRef) => `${d.userId}\u0000${d.deviceId}`;

export class SfuLiveAudioPath implements LiveAudioPath {
  private readonly listeners = new LivePathListeners();
  private unsubscribes: Unsubscribe[] = [];
  private call: SfuLiveAudio | undefined;
  /** Remote voices handed to the engine, by device. */
  private readonly incoming = new Map<string, { from: DeviceRef; stream: MediaStream }>();
  private sending = false;
  private audience: readonly DeviceRef[] = [];
  /** Dropped frames and why (diagnostics and tests). */
  readonly rejected: { readonly from: DeviceRef; readonly reason: string }[] = [];

  /** `call`: the SFU call it runs over; attach() changes it (the room's backend may be re-chosen). */
  constructor(call?: SfuLiveAudio) {
    if (call) this.attach(call);
  }

  /** The SFU call this path runs over now, or none (frames and audio then go nowhere). */
  attach(call: SfuLiveAudio | undefined): void {
    if (call === this.call) return;
    this.detach();
    this.call = call;
    if (!call) return;
    this.unsubscribes = [
      call.onFloorFrame((frame, from) => this.onFrame(frame, from)),
      call.onChange(() => this.syncIncoming()),
    ];
    call.setKeyAudience(this.audience);
    this.syncIncoming();
  }

  /** The devices opted in to receive: handed to the call, which keys only them while listen-only. */
  setAudience(devices: readonly DeviceRef[]): void {
    this.audience = [...devices];
    this.call?.setKeyAudience(this.audience);
  }

  /** Whether this device publishes its live voice now (for diagnostics and tests). */
  get isSending(): boolean {
    return this.sending;
  }

  sendFloorFrame(frame: string): void {
    this.call?.sendFloorFrame(frame);
  }

  onFloorFrame(listener: FloorFrameListener): Unsubscribe {
    return this.listeners.onFloorFrame(listener);
  }

  onLiveAudio(listener: LiveAudioListener): Unsubscribe {
    return this.listeners.onLiveAudio(listener);
  }

  /**
   * Publishes the talker's microphone. The SFU forwards a track to every subscriber, so `to` cannot
   * narrow who receives it here (see "Not done" above); re-targeting keeps the one publication.
   */
  startSending(track: MediaStreamTrack, _to: readonly DeviceRef[]): void {
    this.call?.setLiveAudio(track);
    this.sending = true;
  }

  stopSending(): void {
    this.call?.clearLiveAudio();
    this.sending = false;
  }

  /** Stops listening to the call; live audio handed on ends, and this device stops publishing. */
  close(): void {
    if (this.sending) this.stopSending();
    this.detach();
  }

  private detach(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const { from } of [...this.incoming.values()]) this.endIncoming(from);
    this.call = undefined;
  }

  private onFrame(frame: string, from: DeviceRef): void {
    // The same checks the engine makes, here so a forged or broken frame never leaves the path.
    const parsed = parseFloorFrame(frame, from);
    if (!parsed.ok) {
      this.rejected.push({ from, reason: parsed.reason });
      return;
    }
    this.listeners.frame(frame, from);
  }

  /** Hands on the live voices published now, and ends those that went. */
  private syncIncoming(): void {
    const call = this.call;
    if (!call) return;
    const now = new Map<string, { from: DeviceRef; stream: MediaStream }>();
    for (const voice of call.remoteLiveAudio()) {
      if (voice.stream.getAudioTracks().length === 0 || call.playsInCall(voice.from)) continue;
      now.set(keyOf(voice.from), voice);
    }
    for (const [key, { from }] of [...this.incoming]) if (!now.has(key)) this.endIncoming(from);
    for (const [key, voice] of now) {
      if (this.incoming.get(key)?.stream === voice.stream) continue;
      this.incoming.set(key, voice);
      this.listeners.voice(voice.from, voice.stream);
    }
  }

  private endIncoming(from: DeviceRef): void {
    if (!this.incoming.delete(keyOf(from))) return;
    this.listeners.voice(from, undefined);
  }
}
