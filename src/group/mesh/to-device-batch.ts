/**
 * Outgoing to-device messages gathered for one task: messages of the same type sent in the same
 * microtask to different devices go out as one sendToDevice request. That is how "to everyone"
 * operations (the mute state every leg announces at once) become one request for all devices.
 *
 * Owns: the open batches and their flush. A batch holds one message per device; a second message of
 * the same type to the same device starts a new batch, so nothing is overwritten and order per
 * device is kept. Never: builds contents, or retries (a failed request rejects every send in it).
 */
import type { MatrixTransport } from '../../transport/transport.js';

interface Pending {
  readonly userId: string;
  readonly deviceId: string;
  readonly content: object;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Batch {
  readonly type: string;
  readonly messages: Pending[];
  readonly devices: Set<string>;
  closed: boolean;
}

export class ToDeviceBatcher {
  private batches: Batch[] = [];
  private scheduled = false;

  constructor(
    private readonly transport: Pick<MatrixTransport, 'sendToDevice'>,
    private readonly encrypted = true,
  ) {}

  /** Resolves once the request carrying this message was accepted by the host. */
  send(type: string, userId: string, deviceId: string, content: object): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const device = `${userId}|${deviceId}`;
      let batch = this.batches.find((b) => b.type === type && !b.closed);
      if (batch && batch.devices.has(device)) {
        batch.closed = true;
        batch = undefined;
      }
      if (!batch) {
        batch = { type, messages: [], devices: new Set(), closed: false };
        this.batches.push(batch);
      }
      batch.devices.add(device);
      batch.messages.push({ userId, deviceId, content, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const batches = this.batches;
      this.batches = [];
      for (const batch of batches) this.flush(batch);
    });
  }

  private flush(batch: Batch): void {
    const messages: Record<string, Record<string, object>> = {};
    for (const m of batch.messages) (messages[m.userId] ??= {})[m.deviceId] = m.content;
    let request: Promise<void>;
    try {
      request = this.transport.sendToDevice(batch.type, this.encrypted, messages);
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      () => batch.messages.forEach((m) => m.resolve()),
      (error: unknown) => batch.messages.forEach((m) => m.reject(error)),
    );
  }
}
