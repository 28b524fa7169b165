/**
 * A simulated network of FloorControl engines on a virtual clock, for floor-control tests.
 * A test double labelled as one: it stands in for both the fast path (call data channels) and the durable
 * path (room events), with a delay chosen per message by the test, and delivers every message eventually
 * unless a device has vanished.
 */
import {
  FloorControl,
  type FloorPath,
  type FloorTimings,
  type Outgoing,
} from '../../src/ptt/floor-control.js';
import type { FloorMessage } from '../../src/signalling/ptt/floor-events.js';

interface InFlight {
  readonly at: number;
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly message: FloorMessage;
  readonly path: FloorPath;
}

export interface FloorNetworkOptions {
  readonly devices: number;
  readonly timings?: Partial<FloorTimings>;
  /** Delay of one message from one device to another on one path, in ms. */
  readonly delay?: (from: number, to: number, path: FloorPath) => number;
  /** User id of device i; by default three users share the devices, so device ids break ties too. */
  readonly userOf?: (i: number) => string;
  readonly start?: number;
}

export class FloorNetwork {
  now: number;
  readonly devices: FloorControl[];
  /** Every message sent, in order: [sender index, message]. */
  readonly log: Array<[number, FloorMessage]> = [];
  /** Devices that vanished: they send and receive nothing more. */
  readonly vanished = new Set<number>();
  /** Drops a sender's messages while it returns true (the sender stays alive). */
  drop: (from: number, message: FloorMessage) => boolean = () => false;
  /** Set by quiesce: from then on every message arrives at once. */
  instant = false;
  private queue: InFlight[] = [];
  private seq = 0;
  private readonly delay: (from: number, to: number, path: FloorPath) => number;

  constructor(options: FloorNetworkOptions) {
    this.now = options.start ?? 1_700_000_000_000;
    this.delay = options.delay ?? (() => 20);
    const userOf = options.userOf ?? ((i: number) => `@user${i % 3}:example.org`);
    this.devices = Array.from(
      { length: options.devices },
      (_, i) =>
        new FloorControl({
          self: { userId: userOf(i), deviceId: `DEV${i}` },
          now: () => this.now,
          timings: options.timings,
        }),
    );
  }

  device(i: number): FloorControl {
    const device = this.devices[i];
    if (!device) throw new Error(`no device ${i}`);
    return device;
  }

  send(from: number, outs: readonly Outgoing[]): void {
    if (this.vanished.has(from)) return;
    for (const { message, paths } of outs) {
      this.log.push([from, message]);
      if (this.drop(from, message)) continue;
      for (let to = 0; to < this.devices.length; to++) {
        if (to === from) continue;
        for (const path of paths) {
          const at = this.instant ? this.now : this.now + Math.max(0, this.delay(from, to, path));
          this.queue.push({ at, seq: this.seq++, from, to, message, path });
        }
      }
    }
  }

  press(i: number): Outgoing[] {
    const outs = this.device(i).press();
    this.send(i, outs);
    return outs;
  }

  release(i: number): Outgoing[] {
    const outs = this.device(i).release();
    this.send(i, outs);
    return outs;
  }

  /** Delivers everything due by now (and what that causes), then ticks every live device. */
  settleNow(): void {
    for (;;) {
      this.deliverDue();
      let sent = false;
      this.devices.forEach((device, i) => {
        if (this.vanished.has(i)) return;
        const outs = device.tick();
        if (outs.length) sent = true;
        this.send(i, outs);
      });
      if (!sent && !this.queue.some((m) => m.at <= this.now)) return;
    }
  }

  /** Advances the clock by `ms` in steps of `stepMs`, settling at every step. */
  advance(ms: number, stepMs = 50): void {
    const end = this.now + ms;
    while (this.now < end) {
      this.now = Math.min(end, this.now + stepMs);
      this.settleNow();
    }
  }

  /** Delivers every message still in flight at once, then lets the collection window pass. */
  quiesce(): void {
    this.instant = true;
    for (const message of this.queue) if (message.at > this.now) (message as { at: number }).at = this.now;
    this.settleNow();
    this.advance(this.device(0).timings.collectionWindowMs + 50);
  }

  get inFlight(): number {
    return this.queue.length;
  }

  private deliverDue(): void {
    for (;;) {
      const due = this.queue.filter((m) => m.at <= this.now).sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (due.length === 0) return;
      const dueSet = new Set(due);
      this.queue = this.queue.filter((m) => !dueSet.has(m));
      for (const m of due) {
        if (this.vanished.has(m.to)) continue;
        this.send(m.to, this.device(m.to).receive(m.message, m.path));
      }
    }
  }
}

/** A string naming a device's view of the talker ("none" when nobody talks). */
export function talkerOf(device: FloorControl): string {
  const talker = device.snapshot.talker;
  return talker ? `${talker.userId}/${talker.deviceId}` : 'none';
}
