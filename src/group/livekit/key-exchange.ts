/**
 * Media key exchange of an SFU call over encrypted to-device messages: the key ring's keys go out to
 * each member device in the format that device's membership speaks (Element Call's
 * `io.element.call.encryption_keys`, or famedly's keys event), and key events coming in are parsed,
 * checked and handed to the ring.
 *
 * Owns: addressing (one to-device request per format, each device named), the check that a key event
 * arrived encrypted and is for this room and call, and famedly's key requests both ways. Whether the
 * sending device is a member of the call, and how many keys are kept, is the ring's rule (key-ring.ts).
 * Never: decides when to rotate (key-ring.ts), reads or writes membership state, or imports
 * livekit-client.
 */
import type { MatrixTransport, RawToDeviceEvent, Unsubscribe } from '../../transport/transport.js';
import {
  ALL_KEY_EVENT_TYPES,
  buildElementKeys,
  buildFamedlyKeyRequest,
  buildFamedlyKeys,
  ELEMENT_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS,
  FAMEDLY_ENCRYPTION_KEYS_REQUEST,
  parseKeyToDeviceEvent,
  ROOM_CALL_SESSION,
  type KeyEventFormat,
  type KeyMessage,
} from '../../signalling/encryption-keys/index.js';
import { KeyRing, type KeyRingMember, type KeyRingOptions, type OutboundKey } from './key-ring.js';

/** A member device of the call and the key event format its membership implies. */
export interface CallDevice extends KeyRingMember {
  readonly format: KeyEventFormat;
}

export interface KeyExchangeOptions extends Omit<KeyRingOptions, 'own' | 'send' | 'onError'> {
  readonly transport: MatrixTransport;
  /** This device's MatrixRTC member id (membershipID); `${userId}:${deviceId}` when it has none. */
  readonly memberId?: string;
  /**
   * The call id. '' (the default) is the room's call; famedly names the room's call by the room id,
   * so for famedly either is taken as this call.
   */
  readonly callId?: string;
  /** A key event was dropped; `reason` says why (unencrypted, malformed, another room or call). */
  readonly onRejected?: (reason: string, event: RawToDeviceEvent) => void;
  readonly onError?: (error: unknown) => void;
}

// Its needs live in their own module, so they can be asked without loading the key ring.
export { KEY_EXCHANGE_NEEDS } from './key-exchange-needs.js';

type Messages = Record<string, Record<string, object>>;

function addressed(devices: readonly KeyRingMember[], content: object): Messages {
  const messages: Messages = {};
  for (const device of devices) (messages[device.userId] ??= {})[device.deviceId] = content;
  return messages;
}

export class KeyExchange {
  readonly ring: KeyRing;
  private readonly transport: MatrixTransport;
  private readonly memberId: string;
  private readonly callId: string;
  private formats = new Map<string, KeyEventFormat>();
  private unsubscribe: Unsubscribe | undefined;

  constructor(private readonly options: KeyExchangeOptions) {
    this.transport = options.transport;
    this.memberId = options.memberId ?? `${this.transport.userId}:${this.transport.deviceId}`;
    this.callId = options.callId ?? '';
    this.ring = new KeyRing({
      ...options,
      own: { userId: this.transport.userId, deviceId: this.transport.deviceId, memberId: this.memberId },
      send: (key, to) => this.sendKey(key, to),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** Starts listening for key events. The needs (KEY_EXCHANGE_NEEDS) must have been granted. */
  start(): void {
    this.unsubscribe ??= this.transport.onToDevice((event) => this.receive(event));
  }

  /** The call's current member devices; keys are distributed as the ring's rules say. */
  setMembers(devices: readonly CallDevice[]): void {
    this.formats = new Map(devices.map((d) => [`${d.userId}|${d.deviceId}`, d.format]));
    this.ring.setMembers(devices);
  }

  /** Asks famedly devices for their current keys (Element Call has no request; it re-sends on join). */
  async requestKeys(devices: readonly CallDevice[]): Promise<void> {
    const famedly = devices.filter((d) => d.format === 'famedly');
    if (famedly.length === 0) return;
    const content = buildFamedlyKeyRequest({
      deviceId: this.transport.deviceId,
      roomId: this.transport.roomId,
      callId: this.famedlyCallId(),
    });
    await this.transport.sendToDevice(FAMEDLY_ENCRYPTION_KEYS_REQUEST, true, addressed(famedly, content));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.ring.dispose();
  }

  private famedlyCallId(): string {
    return this.callId === '' ? this.transport.roomId : this.callId;
  }

  private formatOf(device: KeyRingMember): KeyEventFormat {
    return this.formats.get(`${device.userId}|${device.deviceId}`) ?? 'element';
  }

  private async sendKey(key: OutboundKey, to: readonly KeyRingMember[]): Promise<void> {
    const element = to.filter((d) => this.formatOf(d) === 'element');
    const famedly = to.filter((d) => this.formatOf(d) === 'famedly');
    const sends: Promise<void>[] = [];
    if (element.length > 0) {
      const content = buildElementKeys({
        key,
        roomId: this.transport.roomId,
        deviceId: this.transport.deviceId,
        memberId: this.memberId,
        session: { ...ROOM_CALL_SESSION, callId: this.callId },
        sentTs: Date.now(),
      });
      sends.push(this.transport.sendToDevice(ELEMENT_ENCRYPTION_KEYS, true, addressed(element, content)));
    }
    if (famedly.length > 0) {
      const content = buildFamedlyKeys({
        keys: [key],
        deviceId: this.transport.deviceId,
        roomId: this.transport.roomId,
        callId: this.famedlyCallId(),
      });
      sends.push(this.transport.sendToDevice(FAMEDLY_ENCRYPTION_KEYS, true, addressed(famedly, content)));
    }
    await Promise.all(sends);
  }

  private isThisCall(message: KeyMessage): boolean {
    if (message.kind === 'request' || message.format === 'famedly') {
      const callId = message.kind === 'request' ? message.callId : message.session.callId;
      return callId === this.callId || callId === this.famedlyCallId();
    }
    return message.session.application === 'm.call' && message.session.callId === this.callId;
  }

  private receive(event: RawToDeviceEvent): void {
    if (!ALL_KEY_EVENT_TYPES.includes(event.type)) return;
    const parsed = parseKeyToDeviceEvent(event, this.transport.roomId);
    if (!parsed.ok) {
      this.options.onRejected?.(parsed.reason, event);
      return;
    }
    const message = parsed.value;
    if (!this.isThisCall(message)) {
      this.options.onRejected?.('the event is for another call', event);
      return;
    }
    if (message.kind === 'request') {
      this.ring.answerRequest(message);
      return;
    }
    for (const { index, key } of message.keys) {
      const receipt = this.ring.receiveKey(
        { userId: message.userId, deviceId: message.deviceId, memberId: message.memberId },
        index,
        key,
        message.sentTs,
      );
      if ('dropped' in receipt) this.options.onRejected?.(receipt.dropped, event);
    }
  }
}
