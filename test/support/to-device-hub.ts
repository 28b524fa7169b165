/**
 * TEST DOUBLE: a minimal in-page to-device relay standing in for a homeserver, for tests of code that
 * only sends and receives to-device messages (the SFU key exchange). Every message is delivered
 * asynchronously, marked `encrypted` as the sender asked, and recorded for assertions.
 *
 * Owns: the to-device part of MatrixTransport for test devices. Never: room events, state, or
 * anything else a homeserver does (the in-memory homeserver in demo/host does that).
 */
import type { MatrixTransport, RawToDeviceEvent, Unsubscribe } from '../../src/transport/transport.js';

export interface Delivered {
  readonly from: string;
  readonly to: string;
  readonly event: RawToDeviceEvent;
}

export class ToDeviceHub {
  readonly log: Delivered[] = [];
  private readonly listeners = new Map<string, Set<(event: RawToDeviceEvent) => void>>();

  /** A transport for one device: only the to-device members work; the rest throw if used. */
  device(userId: string, deviceId: string, roomId: string): MatrixTransport {
    const id = `${userId}|${deviceId}`;
    const unsupported = () => {
      throw new Error('ToDeviceHub devices only carry to-device messages');
    };
    return {
      userId,
      deviceId,
      roomId,
      sendToDevice: async (type, encrypted, messages) => {
        for (const [user, devices] of Object.entries(messages)) {
          for (const [device, content] of Object.entries(devices)) {
            this.deliver(id, `${user}|${device}`, {
              type,
              sender: userId,
              content: structuredClone(content),
              encrypted,
            });
          }
        }
      },
      onToDevice: (listener): Unsubscribe => {
        const set = this.listeners.get(id) ?? new Set();
        set.add(listener);
        this.listeners.set(id, set);
        return () => set.delete(listener);
      },
      start: unsupported,
      sendRoomEvent: unsupported,
      sendStateEvent: unsupported,
      readState: unsupported,
      readTimeline: unsupported,
      onRoomEvent: unsupported,
      onTurnServers: unsupported,
      requestOpenIdToken: unsupported,
      uploadFile: unsupported,
      downloadFile: unsupported,
      sendDelayedStateEvent: unsupported,
      updateDelayedEvent: unsupported,
      close: () => this.listeners.delete(id),
    };
  }

  /** Delivers an event to one device as if a homeserver had (used to inject crafted events too). */
  deliver(from: string, to: string, event: RawToDeviceEvent): void {
    this.log.push({ from, to, event });
    queueMicrotask(() => {
      for (const listener of this.listeners.get(to) ?? []) listener(event);
    });
  }
}
