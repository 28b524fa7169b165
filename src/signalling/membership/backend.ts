/**
 * Reading a membership's media backend from Element's `foci_preferred` / `focus_active` or famedly's
 * `backend` / `foci_active`.
 *
 * Owns: turning one focus or backend object into a MembershipBackend. Never: throws, validates URLs
 * beyond their type (the LiveKit focus choice does), or chooses between foci.
 */
import type { MembershipBackend } from './call-membership.js';
import { isNonEmptyString, isRecord } from './parsed.js';

/** A backend from one focus / backend object; undefined when it has no usable `type`. */
export function backendFromFocus(focus: unknown): MembershipBackend | undefined {
  if (!isRecord(focus) || !isNonEmptyString(focus['type'])) return undefined;
  const type = focus['type'];
  if (type === 'mesh') return { type: 'mesh' };
  if (type !== 'livekit') return { type: 'other', name: type };
  const serviceUrl = focus['livekit_service_url'];
  const alias = focus['livekit_alias'];
  return {
    type: 'livekit',
    ...(isNonEmptyString(serviceUrl, 2048) ? { serviceUrl } : {}),
    ...(isNonEmptyString(alias, 1024) ? { alias } : {}),
  };
}

/**
 * Element's format: the first preferred focus that names a type, else the active focus's type
 * (a LiveKit focus_active without a preferred focus still means LiveKit).
 */
export function backendFromElementFoci(
  focusActive: unknown,
  fociPreferred: readonly unknown[],
): MembershipBackend {
  for (const focus of fociPreferred) {
    const backend = backendFromFocus(focus);
    if (backend) return backend;
  }
  return backendFromFocus(focusActive) ?? { type: 'other', name: 'unknown' };
}

/** The wire object for a backend, as famedly writes `backend` and Element writes a preferred focus. */
export function focusObjectOf(backend: MembershipBackend): Record<string, string> {
  switch (backend.type) {
    case 'mesh':
      return { type: 'mesh' };
    case 'livekit':
      return {
        type: 'livekit',
        ...(backend.serviceUrl !== undefined ? { livekit_service_url: backend.serviceUrl } : {}),
        ...(backend.alias !== undefined ? { livekit_alias: backend.alias } : {}),
      };
    case 'other':
      return { type: backend.name };
  }
}
