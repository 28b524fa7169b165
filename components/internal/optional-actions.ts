/**
 * Actions that later engines add to the controller (group calls, walkie-talkie) and that are not part
 * of CallActions yet. Elements check for each with `in` before offering it, so a controller without
 * them simply shows no such button.
 *
 * Never: implements any action; these are shapes and guards only.
 */
import type { CallControllerApi, CallKind } from '../../src/snapshot.js';

export interface GroupCallActions {
  joinGroupCall(kind: CallKind): Promise<void>;
  leaveGroupCall(): Promise<void>;
  /**
   * Declines the group call that rings here (MSC4310: the room is told, this user's other devices
   * stop ringing). Without it, declining a group ring can only dismiss it here (`dismiss`).
   */
  declineGroupCall?(): Promise<void>;
}

export interface PttActions {
  /** Ask for the floor (button down). */
  pttPress(): void | Promise<void>;
  /** Give the floor back (button up). */
  pttRelease(): void | Promise<void>;
  /** Opt in to (or out of) walkie-talkie mode for this room. */
  setPttOptIn?(on: boolean): Promise<void>;
  /** Play one of snapshot.ptt.transmissions now, by its id (a paused one goes on). */
  pttPlay?(id: string): void;
  /** Pause the walkie-talkie message that plays. */
  pttPause?(): void;
}

export function hasGroupActions(c: CallControllerApi | undefined): c is CallControllerApi & GroupCallActions {
  return !!c && 'joinGroupCall' in c && 'leaveGroupCall' in c;
}

export function hasGroupDecline(
  c: CallControllerApi | undefined,
): c is CallControllerApi & GroupCallActions & Required<Pick<GroupCallActions, 'declineGroupCall'>> {
  return hasGroupActions(c) && 'declineGroupCall' in c;
}

export function hasPttActions(c: CallControllerApi | undefined): c is CallControllerApi & PttActions {
  return !!c && 'pttPress' in c && 'pttRelease' in c;
}

export function hasPttPlayback(
  c: CallControllerApi | undefined,
): c is CallControllerApi & Required<Pick<PttActions, 'pttPlay' | 'pttPause'>> {
  return !!c && 'pttPlay' in c && 'pttPause' in c;
}

export function hasPttOptIn(
  c: CallControllerApi | undefined,
): c is CallControllerApi & PttActions & Required<Pick<PttActions, 'setPttOptIn'>> {
  return hasPttActions(c) && 'setPttOptIn' in c;
}

/**
 * The callId under which CallActions address the room's group call (mute, camera, screen share):
 * group calls have no m.call id of their own. Defined next to the engine, which routes it.
 */
export { GROUP_CALL_ID } from '../../src/group/group-call-id.js';
