/**
 * The result shape of the membership parsers and the guards they share.
 *
 * Owns: re-exporting the kit's Parsed<T> (one shape for every parser) plus the number guards the
 * membership formats need. Never: throws.
 */
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
