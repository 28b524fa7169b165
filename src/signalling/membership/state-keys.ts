/**
 * The state keys of MatrixRTC membership events in both formats (element-membership.ts and
 * famedly-membership.ts describe the formats), in a module of their own so the capability needs can
 * name them without loading the parsers.
 *
 * Owns: building a state key and matching one against a sender and device. Never: parses contents.
 */
import { CALL_APPLICATION } from './event-types.js';

/** The suffix of the state key: `_m.call` for the room's call, `_${application}${callId}` otherwise. */
function stateKeySuffix(application: string, callId: string): string {
  return application === CALL_APPLICATION && callId === ''
    ? `_${CALL_APPLICATION}`
    : `_${application}${callId}`;
}

export interface ElementStateKeyOptions {
  /**
   * Room versions with owned state keys (MSC3757/MSC3779) take the key without the leading
   * underscore; every other room version needs the underscore so the server does not treat a key
   * starting with `@` as owned. Default false.
   */
  readonly ownedStateKeys?: boolean;
  readonly application?: string;
  readonly callId?: string;
}

export function elementStateKey(
  userId: string,
  deviceId: string,
  options: ElementStateKeyOptions = {},
): string {
  const key = `${userId}_${deviceId}${stateKeySuffix(options.application ?? CALL_APPLICATION, options.callId ?? '')}`;
  return options.ownedStateKeys ? key : `_${key}`;
}

/**
 * Whether a state key names this sender and device. Accepted: with or without the leading
 * underscore, with the `_m.call` (or `_${application}${callId}`) suffix, or without it (older
 * matrix-js-sdk, whose capabilities Element Call still asks for).
 */
export function elementStateKeyMatches(
  stateKey: string,
  sender: string,
  deviceId: string,
  application: string,
  callId: string,
): boolean {
  const bare = stateKey.startsWith('_') ? stateKey.slice(1) : stateKey;
  const base = `${sender}_${deviceId}`;
  return bare === base || bare === base + stateKeySuffix(application, callId);
}

export interface FamedlyStateKeyOptions {
  /** MSC3757 room versions: one event per device, `${userId}_${deviceId}`. Default false. */
  readonly ownedStateKeys?: boolean;
}

export function famedlyStateKey(
  userId: string,
  deviceId: string,
  options: FamedlyStateKeyOptions = {},
): string {
  return options.ownedStateKeys ? `${userId}_${deviceId}` : userId;
}
