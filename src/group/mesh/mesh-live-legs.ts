/**
 * MeshLiveLegs: the walkie-talkie's live path on the legs of a mesh call (docs/mesh.md, "Walkie-talkie
 * on the mesh"), owned by MeshGroupCall, which exposes it as its `liveAudio` (MeshLiveAudio, live-audio.ts)
 * and tells it when a joining starts, a leg starts or ends, and the call is left.
 *
 * Owns: whether this joining is listen-only and whether legs get the floor data channel; each leg's
 * floor channel (frames in and out, with the leg's peer as their sender; opened and closed told to
 * listeners); the live audio track and the devices whose legs carry it; each leg's remote voice as
 * one stream.
 * Never: creates, ends or files legs (MeshGroupCall does, and says which leg is current), opens
 * media, parses frames (the walkie-talkie does), or touches the DOM.
 */
import type { PeerCall } from '../../call/peer-call.js';
import type { Unsubscribe } from '../../transport/transport.js';
import type { LiveAudioDevice, MeshLiveAudio } from '../live-audio.js';
import { legKey, type MeshPeer } from './mesh-peer.js';

/** A device at the other end of a leg. */
export type MeshDevice = LiveAudioDevice;

/** What this module needs of a leg. */
export interface LiveLeg {
  readonly key: string;
  readonly peer: MeshPeer;
  readonly call: PeerCall;
}

/** The live path's state on one leg. */
interface LegLiveState {
  /** The walkie-talkie's floor data channel, when this leg has one. */
  channel?: RTCDataChannel;
  /** Whether listeners were told that its channel is open (and not yet that it closed). */
  channelOpen?: boolean;
  /** The other end's voice as one stream (the same object every time it is asked for). */
  remoteAudio?: MediaStream;
}

export interface MeshLiveLegsOptions {
  /** The call's current legs by key. */
  readonly legs: () => ReadonlyMap<string, LiveLeg>;
  /** The call is joined or joining (a listen-only joining's voices never play in the call). */
  readonly inCall: () => boolean;
  readonly log: (message: string) => void;
}

export class MeshLiveLegs implements MeshLiveAudio {
  readonly kind = 'mesh' as const;
  /** Joined with the walkie-talkie's listen-only join: no media of its own. */
  private listenOnlyJoin = false;
  /** Legs get the floor data channel (asked for by the walkie-talkie, or by a listen-only join). */
  private floorChannels = false;
  private liveTrack: MediaStreamTrack | undefined;
  private liveTargets = new Set<string>();
  private readonly perLeg = new WeakMap<LiveLeg, LegLiveState>();
  private readonly frameListeners = new Set<(frame: string, from: MeshDevice) => void>();
  private readonly channelListeners = new Set<(peer: MeshDevice, open: boolean) => void>();

  constructor(private readonly options: MeshLiveLegsOptions) {}

  /** Joined (or joining) with the listen-only join: no camera or microphone of its own. */
  get listeningOnly(): boolean {
    return this.listenOnlyJoin && this.options.inCall();
  }

  /** A joining starts: a listen-only one implies the floor channels. */
  joining(listenOnly: boolean): void {
    this.listenOnlyJoin = listenOnly;
    if (listenOnly) this.floorChannels = true;
  }

  /** The call was left: no listen-only joining and no live track any more (floor channels stay asked for). */
  left(): void {
    this.listenOnlyJoin = false;
    this.liveTrack = undefined;
    this.liveTargets = new Set();
  }

  /** The PeerCall options a new leg gets from the live path. */
  legOptions(): { floorChannel?: true; listenOnly?: true } {
    return {
      ...(this.floorChannels ? { floorChannel: true as const } : {}),
      ...(this.listenOnlyJoin ? { listenOnly: true as const } : {}),
    };
  }

  enableFloorChannels(): void {
    if (this.floorChannels) return;
    this.floorChannels = true;
    for (const leg of this.options.legs().values()) leg.call.openFloorChannel();
  }

  sendFloorFrame(frame: string, to?: MeshDevice): void {
    for (const leg of this.options.legs().values()) {
      if (to && (leg.peer.userId !== to.userId || leg.peer.deviceId !== to.deviceId)) continue;
      const channel = this.perLeg.get(leg)?.channel;
      if (channel?.readyState !== 'open') continue;
      try {
        channel.send(frame);
      } catch (error) {
        this.options.log(`a floor frame to ${leg.key} was not sent: ${String(error)}`);
      }
    }
  }

  onFloorFrame(listener: (frame: string, from: MeshDevice) => void): Unsubscribe {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  onFloorChannel(listener: (peer: MeshDevice, open: boolean) => void): Unsubscribe {
    this.channelListeners.add(listener);
    return () => this.channelListeners.delete(listener);
  }

  setLiveAudio(track: MediaStreamTrack, to: readonly MeshDevice[]): void {
    this.liveTrack = track;
    this.liveTargets = new Set(to.map(legKey));
    for (const leg of this.options.legs().values()) this.applyLiveAudio(leg);
  }

  clearLiveAudio(): void {
    this.liveTrack = undefined;
    this.liveTargets = new Set();
    for (const leg of this.options.legs().values()) this.applyLiveAudio(leg);
  }

  remoteAudio(from: MeshDevice): MediaStream | undefined {
    const leg = this.options.legs().get(legKey(from));
    const track = leg?.call.remoteAudioTrack;
    if (!leg || !track) return undefined;
    const state = this.stateOf(leg);
    if (!state.remoteAudio?.getTracks().includes(track)) state.remoteAudio = new MediaStream([track]);
    return state.remoteAudio;
  }

  /** Whether the voice on the leg from this device is part of that leg's call streams. */
  playsInCall(from: MeshDevice): boolean {
    if (this.listeningOnly) return false;
    const leg = this.options.legs().get(legKey(from));
    const track = leg?.call.remoteAudioTrack;
    if (!leg || !track) return false;
    return leg.call.view.remoteStreams.some((view) => view.stream.getAudioTracks().includes(track));
  }

  /** A current leg started (placed or answered): it gets the live track if one is being sent. */
  legStarted(leg: LiveLeg): void {
    if (this.liveTrack) this.applyLiveAudio(leg);
  }

  /** A leg ended: listeners hear that its channel closed, if they were told it opened. */
  legEnded(leg: LiveLeg): void {
    this.floorChannelClosed(leg);
  }

  /** The leg's PeerCall created its floor channel. */
  attachFloorChannel(leg: LiveLeg, channel: RTCDataChannel): void {
    const state = this.stateOf(leg);
    state.channel = channel;
    const peer: MeshDevice = { userId: leg.peer.userId, deviceId: leg.peer.deviceId };
    channel.addEventListener('open', () => {
      if (leg.call.ended || state.channelOpen) return;
      state.channelOpen = true;
      for (const listener of this.channelListeners) listener(peer, true);
    });
    channel.addEventListener('close', () => this.floorChannelClosed(leg));
    channel.addEventListener('message', (event: MessageEvent) => {
      if (leg.call.ended || this.options.legs().get(leg.key) !== leg) return;
      if (typeof event.data !== 'string') {
        this.options.log(`dropped a floor frame from ${leg.key}: frames are text`);
        return;
      }
      for (const listener of this.frameListeners) listener(event.data, peer);
    });
  }

  private applyLiveAudio(leg: LiveLeg): void {
    if (!this.listenOnlyJoin || leg.call.ended) return;
    const track = this.liveTrack && this.liveTargets.has(leg.key) ? this.liveTrack : null;
    leg.call
      .setLiveAudioTrack(track)
      .catch((error: unknown) => this.options.log(`live audio on the leg to ${leg.key}: ${String(error)}`));
  }

  private floorChannelClosed(leg: LiveLeg): void {
    const state = this.perLeg.get(leg);
    if (!state?.channelOpen) return;
    state.channelOpen = false;
    const peer: MeshDevice = { userId: leg.peer.userId, deviceId: leg.peer.deviceId };
    for (const listener of this.channelListeners) listener(peer, false);
  }

  private stateOf(leg: LiveLeg): LegLiveState {
    let state = this.perLeg.get(leg);
    if (!state) {
      state = {};
      this.perLeg.set(leg, state);
    }
    return state;
  }
}
