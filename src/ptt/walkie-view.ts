/**
 * The walkie-talkie's view (PttView) as elements read it: the floor in words, this device's opt-in,
 * who is tuned in, and the list of recent transmissions with each one's playing state.
 *
 * Owns: building a frozen PttView from the engine's parts, and saying whether two views differ in
 * anything an element shows. Never: changes a part, or keeps state between calls.
 */
import type { PersonView, PttView, TransmissionState, TransmissionView } from '../snapshot.js';
import { canReceive } from '../signalling/ptt/opt-in.js';
import type { DeviceRef, FloorSnapshot } from './floor-control.js';
import type { OptInRoster } from './opt-in-roster.js';
import type { PlaybackArbiter } from './playback-queue.js';
import type { LoggedTransmission } from './transmission-log.js';

export interface WalkieViewParts {
  readonly self: DeviceRef;
  readonly roomId: string;
  readonly roster: OptInRoster;
  readonly playback: PlaybackArbiter;
  readonly transmissions: readonly LoggedTransmission[];
  readonly maxTransmitMs: number;
  readonly describe: (userId: string) => PersonView;
}

export function buildWalkieView(snapshot: FloorSnapshot, now: number, parts: WalkieViewParts): PttView {
  const own = parts.roster.stateOf(parts.self);
  const optedIn = own !== undefined && canReceive(own, now);
  const expiresAt = optedIn && own && !('optedOut' in own) ? own.expiresTs : undefined;
  const view: PttView = {
    optedIn,
    ...(expiresAt !== undefined ? { optInExpiresAt: expiresAt } : {}),
    floor: snapshot.floor,
    ...(snapshot.talker ? { talker: Object.freeze({ ...parts.describe(snapshot.talker.userId) }) } : {}),
    ...(snapshot.floorEndsAt !== undefined && snapshot.talker ? { floorEndsAt: snapshot.floorEndsAt } : {}),
    maxTransmitMs: parts.maxTransmitMs,
    queuedRecordings: parts.playback.queuedFor(parts.roomId),
    tunedIn: Object.freeze(tunedInPeople(now, parts)),
    transmissions: Object.freeze(parts.transmissions.map((t) => transmissionView(t, parts))),
  };
  return Object.freeze(view);
}

/** Whether an element would show `next` differently from `prev`. */
export function viewChanged(prev: PttView, next: PttView): boolean {
  return !(
    prev.optedIn === next.optedIn &&
    prev.optInExpiresAt === next.optInExpiresAt &&
    prev.floor === next.floor &&
    prev.talker?.userId === next.talker?.userId &&
    prev.floorEndsAt === next.floorEndsAt &&
    prev.queuedRecordings === next.queuedRecordings &&
    idsOf(prev.tunedIn) === idsOf(next.tunedIn) &&
    statesOf(prev.transmissions) === statesOf(next.transmissions)
  );
}

function transmissionView(t: LoggedTransmission, parts: WalkieViewParts): TransmissionView {
  return Object.freeze({
    id: t.eventId,
    sender: Object.freeze({ ...parts.describe(t.sender) }),
    own: t.sender === parts.self.userId,
    sentAt: t.sentAt,
    durationMs: t.durationMs,
    state: transmissionState(t, parts),
  });
}

function transmissionState(t: LoggedTransmission, parts: WalkieViewParts): TransmissionState {
  const state = parts.playback.stateOf({ roomId: parts.roomId, key: t.key });
  if (state === 'heard') return 'played';
  if (state === 'none') return t.ownDevice ? 'played' : 'unplayed';
  return state;
}

/** The other people with a device opted in now, once each, in roster order. */
function tunedInPeople(now: number, parts: WalkieViewParts): PersonView[] {
  const ids = new Set<string>();
  for (const device of parts.roster.receivers(now)) {
    if (device.userId !== parts.self.userId) ids.add(device.userId);
  }
  return [...ids].map((userId) => Object.freeze({ ...parts.describe(userId) }));
}

function statesOf(list: readonly TransmissionView[] | undefined): string {
  return (list ?? []).map((t) => `${t.id} ${t.state}`).join('\n');
}

function idsOf(people: readonly PersonView[] | undefined): string {
  return (people ?? []).map((p) => p.userId).join('\n');
}
