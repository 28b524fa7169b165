/**
 * The mesh's m.call.* traffic over to-device, both ways.
 *
 * Owns: a CallSignaller per leg that sends the leg's events to the one device at the other end
 * (encrypted, batched per task so "to everyone" updates are one request), and the receiving side:
 * refuse events that arrived unencrypted where encryption is required (an encrypted room: else a
 * homeserver could forge SDP, DTLS fingerprints included), parse, keep only events of this room
 * addressed to this device's current session, put each
 * (sending device, call_id) stream back in seq order, then hand each event on.
 * Never: decides which call an event belongs to (the group call routes by device and call_id), or
 * keeps call state.
 */
import type { CallClock, CallSignaller } from '../../call/peer-call-contract.js';
import {
  callEventContent,
  callEventKind,
  parseReceivedCallEvent,
  type CallEvent,
  type ReceivedCallEvent,
  type ToDeviceLeg,
} from '../../signalling/voip/index.js';
import type { MatrixTransport, RawToDeviceEvent, Unsubscribe } from '../../transport/transport.js';
import { ReorderBuffer } from './reorder-buffer.js';
import { ToDeviceBatcher } from './to-device-batch.js';

/** A received leg event: a parsed m.call.* event that came over to-device with its leg fields. */
export interface ReceivedLegEvent extends ReceivedCallEvent {
  readonly event: CallEvent & { readonly leg: ToDeviceLeg };
}

export interface MeshSignallingOptions {
  readonly transport: Pick<MatrixTransport, 'roomId' | 'sendToDevice' | 'onToDevice'>;
  readonly clock: CallClock;
  /** This device's session in the call now; undefined while not joined (everything is dropped). */
  readonly ownSessionId: () => string | undefined;
  readonly onEvent: (received: ReceivedLegEvent) => void;
  /** How long a seq gap may stay open. */
  readonly reorderWaitMs?: number;
  /** Encrypt to-device messages when the host can. Default true. */
  readonly encrypted?: boolean;
  /** Whether received events must carry the `encrypted` flag (the room is encrypted). Default always. */
  readonly requireEncrypted?: () => boolean;
  readonly log?: (message: string) => void;
}

export function streamKey(sender: string, deviceId: string, callId: string): string {
  return `${sender}|${deviceId}|${callId}`;
}

export class MeshSignalling {
  private readonly batcher: ToDeviceBatcher;
  private readonly reorder: ReorderBuffer<ReceivedLegEvent>;
  private unsubscribe: Unsubscribe | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly options: MeshSignallingOptions) {
    this.batcher = new ToDeviceBatcher(options.transport, options.encrypted ?? true);
    this.reorder = new ReorderBuffer({
      clock: options.clock,
      deliver: (received) => options.onEvent(received),
      ...(options.reorderWaitMs !== undefined ? { waitMs: options.reorderWaitMs } : {}),
    });
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    this.unsubscribe ??= this.options.transport.onToDevice((raw) => this.receive(raw));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.reorder.clear();
  }

  /** The signaller of a leg to one device. */
  signallerFor(peer: { readonly userId: string; readonly deviceId: string }): CallSignaller {
    return {
      send: (event: CallEvent) => {
        const { type, content } = callEventContent(event);
        return this.batcher.send(type, peer.userId, peer.deviceId, content);
      },
    };
  }

  /** Drops the ordering state of a call that ended. */
  forgetCall(sender: string, deviceId: string, callId: string): void {
    this.reorder.forget(streamKey(sender, deviceId, callId));
  }

  private receive(raw: RawToDeviceEvent): void {
    if (callEventKind(raw.type) === undefined) return;
    if (!raw.encrypted && (this.options.requireEncrypted?.() ?? true)) {
      this.log(
        `ignored ${raw.type} from ${raw.sender}: call signalling must arrive end-to-end encrypted here`,
      );
      return;
    }
    const parsed = parseReceivedCallEvent(raw, this.options.clock.now());
    if (!parsed.ok) {
      this.log(`ignored ${raw.type} from ${raw.sender}: ${parsed.reason}`);
      return;
    }
    const received = parsed.value;
    const leg = received.event.leg;
    if (!leg) {
      this.log(`ignored ${raw.type} from ${raw.sender}: a to-device call event without leg fields`);
      return;
    }
    if (leg.room_id !== this.options.transport.roomId) return;
    const own = this.options.ownSessionId();
    if (own === undefined || leg.dest_session_id !== own) {
      this.log(
        `ignored ${raw.type} from ${raw.sender}/${leg.device_id}: addressed to session ` +
          `${leg.dest_session_id}, this device is ${own === undefined ? 'not in the call' : `session ${own}`}`,
      );
      return;
    }
    const key = streamKey(received.sender, leg.device_id, received.event.call_id);
    this.reorder.push(key, leg.seq, received as ReceivedLegEvent);
  }
}
