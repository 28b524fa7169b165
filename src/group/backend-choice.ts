/**
 * Which backend carries the room's group call when the kit is set to 'auto': the one the people
 * already in the call use, else the configured preference.
 *
 * - Someone is in the call: the oldest membership with a backend the kit knows decides (a LiveKit
 *   focus means the SFU, a mesh backend means the mesh). The oldest one is also whose focus an SFU call
 *   follows, so everyone arriving later lands where the call already is.
 * - Nobody is in the call (or only devices on backends the kit does not know): the preference,
 *   'livekit' when the SFU backend has a focus configured, else 'mesh'.
 *
 * Owns: that rule, as a pure function. Never: reads the room, creates a backend, or decides anything
 * while this device is in a call (the session keeps the backend of a call until it is left).
 */
import type { CallMembership, MembershipBackend } from '../signalling/membership/index.js';

type ChoiceMembership = Pick<CallMembership, 'userId' | 'deviceId' | 'createdTs' | 'backend'>;

/** A backend that carries media (the setting 'auto' resolves to one of these). */
export type ConcreteGroupBackend = 'mesh' | 'livekit';

export interface BackendChoice {
  readonly backend: ConcreteGroupBackend;
  /** 'members': the call's memberships said so; 'preference': nobody (usable) is in the call. */
  readonly because: 'members' | 'preference';
  /** With 'members': whose membership decided. */
  readonly decidedBy?: { readonly userId: string; readonly deviceId: string };
}

export interface BackendChoiceInput {
  /** The call's live memberships (any order; expired ones already left out). */
  readonly memberships: readonly ChoiceMembership[];
  /** What a call nobody is in starts on. */
  readonly preference: ConcreteGroupBackend;
  /** This device: its own (possibly stale) membership does not count as "someone is in the call". */
  readonly self?: { readonly userId: string; readonly deviceId: string };
}

function concrete(backend: MembershipBackend): ConcreteGroupBackend | undefined {
  return backend.type === 'mesh' || backend.type === 'livekit' ? backend.type : undefined;
}

/** Oldest first; ties by user, then device, so every client decides the same way. */
function byAge(a: ChoiceMembership, b: ChoiceMembership): number {
  return (
    a.createdTs - b.createdTs ||
    (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0) ||
    (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0)
  );
}

/** The backend for the next joining of the room's call. */
export function chooseGroupBackend(input: BackendChoiceInput): BackendChoice {
  const others = input.memberships.filter(
    (m) => !(input.self && m.userId === input.self.userId && m.deviceId === input.self.deviceId),
  );
  const known = others.filter((m) => concrete(m.backend) !== undefined).sort(byAge);
  const oldest = known[0];
  if (oldest) {
    return {
      backend: concrete(oldest.backend) as ConcreteGroupBackend,
      because: 'members',
      decidedBy: { userId: oldest.userId, deviceId: oldest.deviceId },
    };
  }
  return { backend: input.preference, because: 'preference' };
}
