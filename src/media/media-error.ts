/**
 * Errors from getting local media, in the kit's words: a KitErrorCode the UI can act on and a
 * sentence a user understands.
 *
 * Owns: KitMediaError and the mapping from the browser's DOMException names to kit codes.
 * Never: asks for media itself, or decides what the call does about the failure.
 */
import type { KitError, KitErrorCode } from '../snapshot.js';

export type MediaErrorCode = Extract<KitErrorCode, 'no-device' | 'device-in-use' | 'permission-denied'>;

/** What was asked for, so the message can say "camera", "microphone" or "screen". */
export type MediaRequest = 'microphone' | 'camera and microphone' | 'screen';

export class KitMediaError extends Error implements KitError {
  override readonly name = 'KitMediaError';
  readonly code: MediaErrorCode;
  readonly detail?: string;

  constructor(code: MediaErrorCode, message: string, detail?: string) {
    super(message);
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string')
    return error.name;
  return '';
}

function errorText(error: unknown): string | undefined {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (error === undefined) return undefined;
  return String(error);
}

/** Turns whatever getUserMedia/getDisplayMedia threw into a KitMediaError. Never throws. */
export function toKitMediaError(error: unknown, request: MediaRequest): KitMediaError {
  if (error instanceof KitMediaError) return error;
  const detail = errorText(error);
  switch (errorName(error)) {
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new KitMediaError(
        'no-device',
        `No ${request} was found. Connect one, or check that it is switched on, then try again.`,
        detail,
      );
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new KitMediaError(
        'device-in-use',
        `The ${request} could not be started. Another application may be using it; close that application and try again.`,
        detail,
      );
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new KitMediaError(
        'permission-denied',
        request === 'screen'
          ? 'Sharing the screen was not allowed. Choose a screen or window to share, or allow screen sharing for this page.'
          : `This page is not allowed to use the ${request}. Allow it in the browser's site settings, then try again.`,
        detail,
      );
    default:
      return new KitMediaError(
        'no-device',
        `The ${request} could not be used. Check that it is connected and allowed for this page, then try again.`,
        detail,
      );
  }
}
