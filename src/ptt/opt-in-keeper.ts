/**
 * The walkie-talkie's opt-ins: who in the room opted in (from the room's state at start and every later
 * state event), and this device's own opt-in, written to the room. A timed opt-in also schedules its own
 * end on the homeserver (a delayed opt-out, MSC4140) so it ends even when this device goes away, and
 * wakes the engine at each opt-in's expiry.
 *
 * Owns: the roster, this device's delayed opt-out, and the expiry timer. Never: starts or stops audio or
 * the floor (the engine does on `refresh`), or counts a malformed opt-in (it is rejected with a reason).
 */
import type { KitError } from '../snapshot.js';
import { PTT_OPT_IN } from '../signalling/ptt/event-types.js';
import { buildOptIn, buildOptOut } from '../signalling/ptt/opt-in.js';
import type { MatrixTransport, RawRoomEvent } from '../transport/transport.js';
import { kitErrorFromThrown, transportFailure } from '../kit-errors.js';
import type { DeviceRef } from './floor-control.js';
import { OptInRoster } from './opt-in-roster.js';

export interface OptInKeeperOptions {
  readonly transport: MatrixTransport;
  readonly self: DeviceRef;
  readonly clock: {
    now(): number;
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
  readonly fail: (error: KitError) => void;
  readonly reject: (type: string, sender: string, reason: string) => void;
}

export interface OptInOptions {
  /** The opt-in ends this long from now; undefined is permanent. */
  readonly expiresInMs?: number;
}

export class OptInKeeper {
  readonly roster = new OptInRoster();
  private delayedOptOut?: string;
  private expiryTimer?: unknown;

  constructor(private readonly options: OptInKeeperOptions) {}

  /** Reads the room's opt-ins at start. */
  async load(): Promise<void> {
    try {
      for (const event of await this.options.transport.readState(PTT_OPT_IN)) this.apply(event);
    } catch (error) {
      this.options.fail(
        kitErrorFromThrown(error) ??
          transportFailure('The walkie-talkie cannot read who opted in: the host refused it.', error),
      );
    }
  }

  /** One opt-in state event, from the start-up read or live. */
  apply(event: RawRoomEvent): void {
    const parsed = this.roster.apply(event);
    if (!parsed.ok) this.options.reject(event.type, event.sender, parsed.reason);
  }

  /** Writes this device's opt-in (to receive and send) or its opt-out; throws when the host refuses. */
  async write(on: boolean, { expiresInMs }: OptInOptions = {}): Promise<void> {
    const { transport, self, clock } = this.options;
    const { userId, deviceId } = self;
    await this.cancelDelayedOptOut();
    const expiresTs = on && expiresInMs !== undefined ? clock.now() + Math.max(0, expiresInMs) : undefined;
    const out = on
      ? buildOptIn({
          userId,
          deviceId,
          receive: true,
          send: true,
          ...(expiresTs !== undefined ? { expiresTs } : {}),
        })
      : buildOptOut(userId, deviceId);
    try {
      await transport.sendStateEvent(out.type, out.stateKey, out.content);
    } catch (error) {
      this.options.fail(
        kitErrorFromThrown(error) ??
          transportFailure('Walkie-talkie mode could not be changed: the host refused it.', error),
      );
      throw error;
    }
    this.roster.set(
      on
        ? { userId, deviceId, receive: true, send: true, ...(expiresTs !== undefined ? { expiresTs } : {}) }
        : { userId, deviceId, optedOut: true },
    );
    if (expiresTs !== undefined) await this.scheduleDelayedOptOut(out.stateKey, expiresTs - clock.now());
  }

  /** Calls `onExpiry` at the roster's next expiry (replacing any earlier schedule). */
  wakeAtNextExpiry(onExpiry: () => void): void {
    const { clock } = this.options;
    this.stopTimer();
    const now = clock.now();
    const next = this.roster.nextExpiry(now);
    if (next === undefined) return;
    this.expiryTimer = clock.setTimeout(() => {
      this.expiryTimer = undefined;
      onExpiry();
    }, next - now);
  }

  close(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.expiryTimer !== undefined) this.options.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private async scheduleDelayedOptOut(stateKey: string, delayMs: number): Promise<void> {
    const { type, content } = buildOptOut(this.options.self.userId, this.options.self.deviceId);
    try {
      const { delay_id } = await this.options.transport.sendDelayedStateEvent(
        type,
        stateKey,
        content,
        delayMs,
      );
      this.delayedOptOut = delay_id;
    } catch {
      // Without delayed events the room keeps the expired opt-in; every reader treats it as off anyway.
    }
  }

  private async cancelDelayedOptOut(): Promise<void> {
    const delayId = this.delayedOptOut;
    this.delayedOptOut = undefined;
    if (delayId === undefined) return;
    await this.options.transport.updateDelayedEvent(delayId, 'cancel').catch(() => undefined);
  }
}
