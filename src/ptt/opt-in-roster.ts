/**
 * OptInRoster: every device's walkie-talkie opt-in in one room, as the latest state says.
 *
 * Owns: the map from device to its opt-in state, the devices seen opted in to send at any time, and the
 * questions "who may receive / send at time t", "was this user (device) ever seen opted in" and "when does
 * the next opt-in run out". Never: sends anything, keeps a clock, or trusts an event it has not
 * parsed (rejected events leave the roster unchanged).
 */
import { canReceive, canSend, parseOptInEvent, type PttOptInState } from '../signalling/ptt/opt-in.js';
import type { Parsed } from '../signalling/ptt/parsed.js';
import type { RawRoomEvent } from '../transport/transport.js';
import type { DeviceRef } from './floor-control.js';

const keyOf = (d: DeviceRef) => `${d.userId}\u0000${d.deviceId}`;

export class OptInRoster {
  private readonly states = new Map<string, PttOptInState>();
  /** Devices whose opt-in to send this roster has held at some time, by user. */
  private readonly senders = new Map<string, Set<string>>();

  /** Applies an opt-in state event; returns the parse result (a rejection names its reason). */
  apply(event: RawRoomEvent): Parsed<PttOptInState> {
    const parsed = parseOptInEvent(event);
    if (parsed.ok) this.set(parsed.value);
    return parsed;
  }

  set(state: PttOptInState): void {
    this.states.set(keyOf(state), state);
    if ('optedOut' in state || !state.send || !state.receive) return;
    const devices = this.senders.get(state.userId) ?? new Set<string>();
    devices.add(state.deviceId);
    this.senders.set(state.userId, devices);
  }

  /** The user (that device of theirs, when given) was seen opted in to send, now or before. */
  hasOptedIn(userId: string, deviceId?: string): boolean {
    const devices = this.senders.get(userId);
    return devices !== undefined && (deviceId === undefined || devices.has(deviceId));
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
