/**
 * What goes wrong in an SFU call, in plain words: each failure of joining becomes a
 * LiveKitCallError that carries a KitErrorCode, a message for the person in the call, and a detail
 * line (for the server admin or a log).
 *
 * - No focus: 'no-focus', with what a server admin must set up (focus.ts NoLivekitFocusError).
 * - The call's focus is not trusted: 'untrusted-focus' (focus.ts UntrustedFocusError); no token was sent.
 * - The host gave no OpenID token: 'capability-denied'.
 * - The JWT service refused or failed, or the LiveKit server could not be reached or refused the
 *   token: 'transport'.
 * - Camera and microphone problems keep their own codes (KitMediaError passes through).
 *
 * Owns: the conversion. Never: decides what to do about an error (the call does).
 */
import type { KitError, KitErrorCode } from '../../snapshot.js';
import { NoLivekitFocusError, UntrustedFocusError } from './focus.js';
import { SfuConnectionError } from './sfu-room.js';
import { SfuTokenError } from './token-client.js';

export class LiveKitCallError extends Error implements KitError {
  override readonly name = 'LiveKitCallError';
  constructor(
    readonly code: KitErrorCode,
    message: string,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MEDIA_SERVER = "the call's media server (LiveKit)";

function connectionMessage(error: SfuConnectionError): string {
  const at = `${MEDIA_SERVER} at ${error.url}`;
  switch (error.kind) {
    case 'unreachable':
      return `Could not connect to ${at}. Check your connection; if it keeps failing, the server admin should check that the LiveKit server is running and reachable from browsers (wss://, its ports open).`;
    case 'refused':
      return `${cap(at)} refused to let you in${error.status ? ` (${error.status})` : ''}. The server admin should check that the LiveKit server and its sign-in service (lk-jwt-service) share the same API key and secret.`;
    case 'timeout':
      return `${cap(at)} did not answer in time. Check your connection and try again.`;
    case 'cancelled':
      return `Connecting to ${MEDIA_SERVER} was cancelled.`;
    case 'server':
      return `${cap(at)} failed${error.status ? ` (${error.status})` : ''}. Try again in a moment; if it keeps failing, the server admin should check the LiveKit server.`;
    case 'other':
      return `Could not join the call on ${at}.`;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Converts a failure of joining or of the running call; errors that already carry a code pass through. */
export function toCallError(error: unknown): Error & KitError {
  if (error instanceof LiveKitCallError) return error;
  if (error instanceof NoLivekitFocusError) {
    return new LiveKitCallError(
      'no-focus',
      error.userMessage,
      `${error.adminHint} (${error.tried.join('; ')})`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof UntrustedFocusError) {
    return new LiveKitCallError(
      'untrusted-focus',
      error.userMessage,
      `focus ${error.focus.serviceUrl} named by ${error.namedBy.userId} (${error.namedBy.deviceId}) is not trusted`,
      { cause: error },
    );
  }
  if (error instanceof SfuTokenError) {
    const code: KitErrorCode = error.kind === 'openid' ? 'capability-denied' : 'transport';
    const status = error.details.status !== undefined ? ` ${error.details.status}` : '';
    const errcode = error.details.errcode !== undefined ? ` ${error.details.errcode}` : '';
    return new LiveKitCallError(
      code,
      error.userMessage,
      `JWT service ${error.details.serviceUrl}: ${error.kind}${status}${errcode}`,
      { cause: error },
    );
  }
  if (error instanceof SfuConnectionError) {
    return new LiveKitCallError('transport', connectionMessage(error), error.message, { cause: error });
  }
  if (error instanceof Error && typeof (error as Partial<KitError>).code === 'string') {
    return error as Error & KitError;
  }
  const text = error instanceof Error ? error.message : String(error);
  return new LiveKitCallError('transport', `Could not join the call: ${text}`, text, { cause: error });
}

/** The plain KitError (no Error object) the backend exposes as `error`. */
export function kitErrorOf(error: Error & KitError): KitError {
  return Object.freeze({
    code: error.code,
    message: error.message,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
  });
}

/** The room ended by itself while joined. */
export function roomEndedError(reason: string): LiveKitCallError {
  return new LiveKitCallError(
    'transport',
    `The connection to ${MEDIA_SERVER} was lost and the call ended here. Join again to continue.`,
    reason,
  );
}
