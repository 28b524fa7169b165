/**
 * The result shape of the membership parsers and the guards they share.
 *
 * Owns: re-exporting the kit's Parsed<T> (one shape for every parser) plus the guards the
 * membership formats share. Never: throws.
 */
import { LISTEN_ONLY_FIELD } from './event-types.js';

export {
  accept,
  reject,
  isRecord,
  isNonEmptyString,
  isUserId,
  type Parsed,
} from '../encryption-keys/parsed.js';

/** A positive, safe integer number of milliseconds (a timestamp or a duration). */
export function isPositiveMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The walkie-talkie's listen-only marker of a membership: only the value `true` marks it. Anything
 * else (absent, or a value of another type) leaves the device in the call, as clients that do not
 * know the marker see it, so a malformed marker never hides a member.
 */
export function listenOnlyOf(membership: Record<string, unknown>): boolean {
  return membership[LISTEN_ONLY_FIELD] === true;
}
