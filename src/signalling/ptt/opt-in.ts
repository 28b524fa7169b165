/**
 * The per-device walkie-talkie opt-in state event (`org.matrix.msc4002.opt_in`): parse, build, and
 * whether an opt-in is in force at a given time. Protocol: docs/msc4002-walkie-talkie-protocol.md, section 1.
 *
 * Owns: the state key form `_{user}_{device}`, the content fields and the validity rule (receive needed
 * for send; expired means off).
 * Never: throws, sends anything, or keeps a clock of its own (callers pass `now`).
 */
import type { RawRoomEvent } from '../../transport/transport.js';
import { PTT_OPT_IN } from './event-types.js';
import { accept, isCount, isNonEmptyString, isRecord, isUserId, reject, type Parsed } from './parsed.js';

export interface PttOptIn {
  readonly userId: string;
  readonly deviceId: string;
  readonly receive: boolean;
  readonly send: boolean;
  /** Epoch ms when the consent ends; undefined is permanent. */
  readonly expiresTs?: number;
}

/** An opt-out (empty content) is reported as `{ userId, deviceId, optedOut: true }`. */
export type PttOptInState =
  PttOptIn | { readonly userId: string; readonly deviceId: string; readonly optedOut: true };

export function optInStateKey(userId: string, deviceId: string): string {
  return `_${userId}_${deviceId}`;
}

export function parseOptInEvent(event: RawRoomEvent): Parsed<PttOptInState> {
  if (event.type !== PTT_OPT_IN) return reject(`not an opt-in event: ${event.type}`);
  const stateKey = event.state_key;
  if (typeof stateKey !== 'string') return reject('an opt-in is a state event');
  const prefix = `_${event.sender}_`;
  if (!isUserId(event.sender) || !stateKey.startsWith(prefix)) {
    return reject('the state key must be _{sender}_{device}');
  }
  const keyDevice = stateKey.slice(prefix.length);
  if (!isNonEmptyString(keyDevice)) return reject('the state key names no device');
  const content = event.content;
  if (!isRecord(content)) return reject('content must be an object');
  if (Object.keys(content).length === 0)
    return accept({ userId: event.sender, deviceId: keyDevice, optedOut: true });
  const { device_id: deviceId, receive, send, expires_ts: expiresTs } = content;
  if (deviceId !== keyDevice) return reject('device_id must match the state key');
  if (typeof receive !== 'boolean') return reject('receive must be a boolean');
  if (send !== undefined && typeof send !== 'boolean') return reject('send must be a boolean');
  if (expiresTs !== undefined && !isCount(expiresTs)) return reject('expires_ts must be epoch milliseconds');
  const base = { userId: event.sender, deviceId: keyDevice, receive, send: send === true };
  return accept(expiresTs === undefined ? base : { ...base, expiresTs });
}

/** The device receives live audio at `now`. */
export function canReceive(state: PttOptInState, now: number): boolean {
  if ('optedOut' in state) return false;
  return state.receive && (state.expiresTs === undefined || now < state.expiresTs);
}

/** The device may request the floor at `now` (only devices that receive may send). */
export function canSend(state: PttOptInState, now: number): boolean {
  return canReceive(state, now) && !('optedOut' in state) && state.send;
}

export interface OptInStateOut {
  readonly type: string;
  readonly stateKey: string;
  readonly content: Record<string, unknown>;
}

/** The state event for an opt-in; `expiresTs` undefined means permanent. */
export function buildOptIn(opt: PttOptIn): OptInStateOut {
  const content: Record<string, unknown> = {
    device_id: opt.deviceId,
    receive: opt.receive,
    send: opt.receive && opt.send,
  };
  if (opt.expiresTs !== undefined) content['expires_ts'] = opt.expiresTs;
  return { type: PTT_OPT_IN, stateKey: optInStateKey(opt.userId, opt.deviceId), content };
}

export function buildOptOut(userId: string, deviceId: string): OptInStateOut {
  return { type: PTT_OPT_IN, stateKey: optInStateKey(userId, deviceId), content: {} };
}
