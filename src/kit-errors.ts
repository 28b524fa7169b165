/**
 * The kit's error codes, in one list from which the type is derived, and the two ways a failure
 * becomes the plain-words KitError the snapshot shows: reading a thrown value that carries a code,
 * and wrapping a cause the kit has no code for as `transport`.
 *
 * Owns: KIT_ERROR_CODES, KitErrorCode, KitError and those two conversions. Never: decides when an
 * error is shown (the controller does), or holds a feature's own wording: the words for a refused
 * capability stay beside the needs they explain (one-to-one/needs.ts, ptt/walkie-needs.ts), so a
 * feature loaded later brings its words with it.
 */
export const KIT_ERROR_CODES = [
  'capability-denied',
  'no-device',
  'device-in-use',
  'permission-denied',
  'ice-failed',
  'not-two-person-room',
  'public-room',
  'no-focus',
  /** The call's SFU focus is not one the user's side trusts: not joined, no token sent. */
  'untrusted-focus',
  'transport',
  /** A mesh group call is at its size limit: more people need an SFU. */
  'group-call-full',
] as const;

export type KitErrorCode = (typeof KIT_ERROR_CODES)[number];

export interface KitError {
  readonly code: KitErrorCode;
  /** Plain words for the user: what happened and what to do. */
  readonly message: string;
  readonly detail?: string;
}

const CODES: ReadonlySet<string> = new Set(KIT_ERROR_CODES);

export function isKitErrorCode(code: unknown): code is KitErrorCode {
  return typeof code === 'string' && CODES.has(code);
}

/** A thrown value that carries a kit code and a message, as a frozen KitError; undefined otherwise. */
export function kitErrorFromThrown(error: unknown): KitError | undefined {
  if (!error || typeof error !== 'object' || !('code' in error) || !('message' in error)) return undefined;
  const { code, message } = error as { code: unknown; message: unknown };
  const detail = (error as { detail?: unknown }).detail;
  if (!isKitErrorCode(code) || typeof message !== 'string') return undefined;
  return Object.freeze({ code, message, ...(typeof detail === 'string' ? { detail } : {}) });
}

/** A failure the kit has no code for: `message` for the person, the cause as the detail. */
export function transportFailure(message: string, cause: unknown): KitError {
  return Object.freeze({
    code: 'transport' as const,
    message,
    detail: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
  });
}
