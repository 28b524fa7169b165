/**
 * The result shape of the key event parsers: a typed value or a plain reason for rejecting it.
 *
 * Owns: Parsed<T> and the small guards the key parsers share.
 * Never: throws.
 */

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const accept = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const reject = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown, maxLength = 255): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength;
}

/** A Matrix user id: `@localpart:server`, at most 255 characters. */
export function isUserId(value: unknown): value is string {
  return isNonEmptyString(value) && value.startsWith('@') && value.indexOf(':') > 1;
}

/** A Matrix room id: `!opaque:server` (room versions 12+ drop the server part, so it is optional). */
export function isRoomId(value: unknown): value is string {
  return isNonEmptyString(value) && value.startsWith('!') && value.length > 1;
}
