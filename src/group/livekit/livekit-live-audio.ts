/**
 * LiveKitLiveAudio: the walkie-talkie's fast path on an SFU call (SfuLiveAudio, used by
 * src/ptt/sfu-live-audio-path.ts), owned by LiveKitGroupCall, which exposes it as `liveAudio`. Floor frames
 * travel as reliable data messages with the topic `org.matrix.msc4002.floor`, their sender named by the
 * identity directory (unknown identities are dropped); the talker's microphone is published as a named
 * track while it talks.
 *
 * Owns: the floor-frame listeners, the live voice published now (publish and unpublish run one after the
 * other), and the key audience (docs/security.md, "The walkie-talkie's media key on the SFU").
 * Never: joins, connects or leaves the room (the call does), imports livekit-client, parses a frame's
 * JSON (the walkie-talkie does), opens a microphone or plays audio.
 */
import type { Unsubscribe } from '../../transport/transport.js';
import type { LiveAudioDevice, SfuLiveAudio } from '../live-audio.js';
import type { IdentityDirectory } from './identity-directory.js';
import type { KeyExchange } from './key-exchange.js';
import { FLOOR_DATA_TOPIC, LIVE_AUDIO_TRACK_NAME, type SfuDataMessage, type SfuRoom } from './sfu-room.js';

export interface LiveKitLiveAudioOptions {
  /** The call's LiveKit room now (undefined while not joined). */
  readonly room: () => SfuRoom | undefined;
  readonly identities: IdentityDirectory;
  /** The media key exchange of the current joining, when media is encrypted. */
  readonly keys: () => KeyExchange | undefined;
  /** The current joining is the listen-only one: the media key goes to the audience only. */
  readonly listenOnly: () => boolean;
  /** Joined with a microphone of its own (so others' voices already play in the call). */
  readonly joinedWithMicrophone: () => boolean;
  /** The call, whose `change` event onChange listens to. */
  readonly events: EventTarget;
  readonly log: (message: string) => void;
}

const deviceKeyOf = (device: LiveAudioDevice) => `${device.userId}|${device.deviceId}`;

export class LiveKitLiveAudio implements SfuLiveAudio {
  readonly kind = 'sfu' as const;
  private readonly floorListeners = new Set<(frame: string, from: LiveAudioDevice) => void>();
  /** The walkie-talkie's live voice published now (or being published). */
  private liveTrack: MediaStreamTrack | undefined;
  /** Publishing and unpublishing the live voice, one after the other. */
  private liveOps: Promise<void> = Promise.resolve();
  /** The devices the walkie-talkie's voice is for (setKeyAudience); none until it says. */
  private keyAudience: ReadonlySet<string> = new Set();

  constructor(private readonly options: LiveKitLiveAudioOptions) {}

  sendFloorFrame(frame: string): void {
    const room = this.options.room();
    if (!room?.publishData || room.state.connection !== 'connected') return;
    room
      .publishData(new TextEncoder().encode(frame), { topic: FLOOR_DATA_TOPIC })
      .catch((error: unknown) => this.options.log(`sending a floor frame failed: ${String(error)}`));
  }

  onFloorFrame(listener: (frame: string, from: LiveAudioDevice) => void): Unsubscribe {
    this.floorListeners.add(listener);
    return () => this.floorListeners.delete(listener);
  }

  setLiveAudio(track: MediaStreamTrack): void {
    if (this.liveTrack === track) return;
    const previous = this.liveTrack;
    this.liveTrack = track;
    const room = this.options.room();
    this.queueLive(async () => {
      if (!room?.publishNamedAudio) {
        this.options.log('the LiveKit room cannot publish the walkie-talkie voice');
        return;
      }
      if (previous) await room.unpublishNamedAudio?.(previous);
      if (this.liveTrack === track && this.options.room() === room)
        await room.publishNamedAudio(track, LIVE_AUDIO_TRACK_NAME);
    });
  }

  /**
   * While this device is in the call only through the listen-only join, its media key goes to these
   * members of the call and no others; joined with media, it goes to every member.
   */
  setKeyAudience(devices: readonly LiveAudioDevice[]): void {
    this.keyAudience = new Set(devices.map(deviceKeyOf));
    this.applyKeyAudience();
  }

  /** Hands the audience rule to the key ring (the call asks again when a joining starts its keys). */
  applyKeyAudience(): void {
    const audience = this.keyAudience;
    this.options
      .keys()
      ?.ring.setRecipients(
        this.options.listenOnly() ? (member) => audience.has(deviceKeyOf(member)) : undefined,
      );
  }

  clearLiveAudio(): void {
    const track = this.liveTrack;
    if (!track) return;
    this.liveTrack = undefined;
    const room = this.options.room();
    this.queueLive(async () => {
      await room?.unpublishNamedAudio?.(track);
    });
  }

  /** This device's live voice published now (for diagnostics and tests). */
  get track(): MediaStreamTrack | undefined {
    return this.liveTrack;
  }

  remoteLiveAudio(): readonly { readonly from: LiveAudioDevice; readonly stream: MediaStream }[] {
    const out: { from: LiveAudioDevice; stream: MediaStream }[] = [];
    for (const remote of this.options.room()?.state.remotes ?? []) {
      if (!remote.liveAudio) continue;
      const device = this.options.identities.lookup(remote.identity);
      if (device) out.push({ from: device, stream: remote.liveAudio });
    }
    return out;
  }

  playsInCall(from: LiveAudioDevice): boolean {
    if (!this.options.joinedWithMicrophone()) return false;
    return (this.options.room()?.state.remotes ?? []).some((remote) => {
      const device = this.options.identities.lookup(remote.identity);
      return (
        device?.userId === from.userId &&
        device.deviceId === from.deviceId &&
        !remote.audioMuted &&
        (remote.userMedia?.getAudioTracks().length ?? 0) > 0
      );
    });
  }

  onChange(listener: () => void): Unsubscribe {
    this.options.events.addEventListener('change', listener);
    return () => this.options.events.removeEventListener('change', listener);
  }

  /** A data message from the room: floor frames go to the listeners with their sender's device. */
  receive(message: SfuDataMessage): void {
    if (message.topic !== FLOOR_DATA_TOPIC) return;
    const device = this.options.identities.lookup(message.from);
    if (!device) {
      this.options.log(`dropped a floor frame from an unknown LiveKit identity: ${message.from}`);
      return;
    }
    let frame: string;
    try {
      frame = new TextDecoder('utf-8', { fatal: true }).decode(message.payload);
    } catch {
      this.options.log(`dropped a floor frame from ${message.from}: not UTF-8`);
      return;
    }
    for (const listener of this.floorListeners) listener(frame, device);
  }

  /** The room went: the live voice published in it went with it. */
  roomDetached(): void {
    this.liveTrack = undefined;
  }

  private queueLive(op: () => Promise<void>): void {
    this.liveOps = this.liveOps
      .then(op)
      .catch((error: unknown) =>
        this.options.log(`publishing the walkie-talkie voice failed: ${String(error)}`),
      );
  }
}
