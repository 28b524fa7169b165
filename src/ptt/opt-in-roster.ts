/**
 * OptInRoster: every device's walkie-talkie opt-in in one room, as the latest state says.
 *
 * Owns: the map from device to its opt-in state and the questions "who may receive / send at time t" and
 * "when does the next opt-in run out". Never: sends anything, keeps a clock, or trusts an event it has not
 * parsed (rejected events leave the roster unchanged).
 */
import { canReceive, canSend, parseOptInEvent, type PttOptInState } from '../signalling/ptt/opt-in.js';
import type { Parsed } from '../signalling/ptt/parsed.js';
import type { RawRoomEvent } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';

const keyOf = (d: DeviceRef) => `${d.userId}\u0000${d.deviceId}`;

export class OptInRoster {
  private readonly states = new Map<string, PttOptInState>();

  /** Applies an opt-in state event; returns the parse result (a rejection names its reason). */
  apply(event: RawRoomEvent): Parsed<PttOptInState> {
    const parsed = parseOptInEvent(event);
    if (parsed.ok) this.set(parsed.value);
    return parsed;
  }

  set(state: PttOptInState): void {
    this.states.set(keyOf(state), state);
  }

  stateOf(device: DeviceRef): PttOptInState | undefined {
    return this.states.get(keyOf(device));
  }

  canReceive(device: DeviceRef, now: number): boolean {
    const state = this.stateOf(device);
    return state !== undefined && canReceive(state, now);
  }

  canSend(device: DeviceRef, now: number): boolean {
    const state = this.stateOf(device);
    return state !== undefined && canSend(state, now);
  }

  /** Devices with a valid opt-in to receive at `now`. */
  receivers(now: number): DeviceRef[] {
    return [...this.states.values()]
      .filter((s) => canReceive(s, now))
      .map(({ userId, deviceId }) => ({ userId, deviceId }));
  }

  /** The earliest expiry after `now` among opt-ins that are valid now. */
  nextExpiry(now: number): number | undefined {
    let next: number | undefined;
    for (const state of this.states.values()) {
      if ('optedOut' in state || state.expiresTs === undefined || state.expiresTs <= now) continue;
      next = next === undefined ? state.expiresTs : Math.min(next, state.expiresTs);
    }
    return next;
  }
}
