/**
 * CallMediaKeys: the LiveKit call's media end-to-end encryption for one joining: whether media is
 * encrypted (the option, or by default the room's m.room.encryption state), and while it is, the key
 * exchange over Matrix (key-exchange.ts) and the key fan-out that hands keys to the own room and to the
 * other foci's rooms (key-fan-out.ts).
 *
 * Owns: the KeyExchange and KeyFanOut of the current joining, and the call's members as key devices.
 * Never: decides who may receive the walkie-talkie's key (LiveKitLiveAudio sets the ring's recipients),
 * connects rooms, or writes a membership.
 */
import type { CallMembership } from '../../signalling/membership/index.js';
import type { MatrixTransport } from '../../transport/transport.js';
import { KeyExchange, type CallDevice } from './key-exchange.js';
import { KeyFanOut } from './key-fan-out.js';
import type { KeyRingClock } from './key-ring.js';
import type { LiveKitGroupCallOptions } from './livekit-call-options.js';
import { ROOM_ENCRYPTION_EVENT } from './livekit-needs.js';
import type { SfuRoom } from './sfu-room.js';

/** The call's other LiveKit members, as the key exchange addresses them. */
export function keyDevicesOf(members: readonly CallMembership[]): CallDevice[] {
  return members.map((m) => ({
    userId: m.userId,
    deviceId: m.deviceId,
    memberId: m.membershipId,
    membershipTs: m.createdTs,
    format: m.format === 'famedly' ? 'famedly' : 'element',
  }));
}

export class CallMediaKeys {
  private exchange: KeyExchange | undefined;
  private fanOutValue: KeyFanOut | undefined;

  constructor(
    private readonly options: Pick<LiveKitGroupCallOptions, 'e2ee' | 'keyTimings' | 'clock'> & {
      readonly transport: MatrixTransport;
    },
    private readonly log: (message: string) => void,
  ) {}

  /** The key exchange of the current joining, when media is encrypted. */
  get keys(): KeyExchange | undefined {
    return this.exchange;
  }

  /** The key sink in front of the own room and the rooms of other foci (multi-SFU). */
  get fanOut(): KeyFanOut | undefined {
    return this.fanOutValue;
  }

  /** Whether media is encrypted: by option, or (default) when the room has an m.room.encryption state. */
  async wanted(): Promise<boolean> {
    const setting = this.options.e2ee ?? 'room';
    if (setting !== 'room') return setting;
    try {
      const events = await this.options.transport.readState(ROOM_ENCRYPTION_EVENT, '');
      return events.some((event) => {
        const content = event.content as { algorithm?: unknown } | null;
        return typeof content === 'object' && content !== null && typeof content.algorithm === 'string';
      });
    } catch (error) {
      // Encrypting when unsure keeps media private; peers in an encrypted room do the same.
      this.log(`could not read the room's encryption (${String(error)}): encrypting media`);
      return true;
    }
  }

  /** Starts the exchange for a joining; `beforeStart` sets up the ring (the walkie-talkie's audience). */
  start(room: SfuRoom, beforeStart: () => void): void {
    const sink = room.keySink;
    if (!sink) throw new Error('the LiveKit room was made without media encryption');
    this.fanOutValue = new KeyFanOut();
    this.fanOutValue.attach(sink);
    this.exchange = new KeyExchange({
      transport: this.options.transport,
      sink: this.fanOutValue,
      ...(this.options.keyTimings ?? {}),
      ...(this.options.clock ? { clock: this.options.clock as KeyRingClock } : {}),
      onRejected: (reason, event) => this.log(`dropped a key event from ${event.sender}: ${reason}`),
      onError: (error) => this.log(`sending media keys failed: ${String(error)}`),
    });
    beforeStart();
    this.exchange.start();
  }

  stop(): void {
    this.exchange?.stop();
    this.exchange = undefined;
    this.fanOutValue = undefined;
  }
}
