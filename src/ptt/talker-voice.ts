/**
 * The walkie-talkie's live voices in: plays the live voice of the talker only, as the floor names it
 * now. A voice whose sender stopped being the talker (it lost a race to a lesser claim, or the turn
 * moved on) stops at once, and the voice of a sender that became the talker after it arrived starts.
 *
 * Owns: the voices the paths hand over (by sender device) and which of them plays. Never: decides the
 * floor, plays this device's own voice, or plays while this device is not opted in to receive.
 */
import { claimKey, sameDevice } from './claim-order.js';
import type { DeviceRef, FloorSnapshot } from './floor-control.js';
import type { PlaybackArbiter } from './playback-queue.js';

const deviceKey = (d: DeviceRef) => `${d.userId}\u0000${d.deviceId}`;

export class TalkerVoice {
  /** Live voices the paths hand over now, by sender device, whether or not the floor names the sender. */
  private readonly incoming = new Map<string, MediaStream>();
  /** The voices playing, by sender device: the claim key each plays for. */
  private readonly playing = new Map<string, string>();

  constructor(
    private readonly self: DeviceRef,
    private readonly roomId: string,
    private readonly playback: PlaybackArbiter,
  ) {}

  /** A sender's live voice arrived (a stream) or ended (undefined). Call `sync` after. */
  setVoice(from: DeviceRef, stream: MediaStream | undefined): void {
    if (stream) this.incoming.set(deviceKey(from), stream);
    else this.incoming.delete(deviceKey(from));
  }

  /** Plays the floor's talker only; runs on every live voice and floor change. */
  sync(snapshot: FloorSnapshot, receiving: boolean): void {
    const talker = snapshot.talker;
    const talkerKey = talker ? claimKey({ turn: snapshot.turn, ...talker }) : undefined;
    for (const [fromKey, key] of [...this.playing]) {
      if (receiving && key === talkerKey && this.incoming.has(fromKey)) continue;
      this.playing.delete(fromKey);
      this.playback.endLive({ roomId: this.roomId, key });
    }
    if (!receiving || !talker || !talkerKey || sameDevice(talker, this.self)) return; // only the floor holder
    const fromKey = deviceKey(talker);
    const stream = this.incoming.get(fromKey);
    if (!stream || this.playing.get(fromKey) === talkerKey) return;
    this.playing.set(fromKey, talkerKey);
    this.playback.offerLive({ roomId: this.roomId, key: talkerKey }, stream);
  }

  /** This device's opt-in to receive ended: the playback arbiter stops the room; forget what played. */
  forgetPlaying(): void {
    this.playing.clear();
  }

  clear(): void {
    this.incoming.clear();
  }
}
