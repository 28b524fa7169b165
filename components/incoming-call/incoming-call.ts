/**
 * <incoming-call>: registers the tag. Behaviour lives in ./internal/incoming-call.ts.
 */
import { buttonStyles, kitStyles } from '../internal/tokens.js';
import { IncomingCallElement } from './internal/incoming-call.js';
import { incomingCallStyles } from './incoming-call.styles.js';

/**
 * An incoming call: caller, kind, answer with voice or video, decline (Escape declines too).
 *
 * @tagname incoming-call
 * @summary The ringing screen of a call, with a generated ringtone.
 *
 * @event request-answer - Before answering ({callId, kind}); cancel to veto.
 * @event request-reject - Before declining ({callId}); cancel to veto.
 *
 * @csspart base - The whole panel.
 * @csspart avatar - The caller's avatar or initials.
 * @csspart caller - The caller's name.
 * @csspart kind - "Incoming video call" and the like.
 * @csspart actions - The row of buttons.
 * @csspart reject-button - Decline.
 * @csspart answer-voice-button - Answer with voice.
 * @csspart answer-video-button - Answer with video (video calls only).
 *
 * @cssproperty [--mck-incoming-background=var(--mck-color-surface)] - Panel background.
 * @cssproperty [--mck-incoming-color=var(--mck-color-on-surface)] - Panel text.
 * @cssproperty [--mck-incoming-radius=var(--mck-radius)] - Corner radius.
 * @cssproperty [--mck-incoming-avatar-background=var(--mck-color-primary)] - Initials circle.
 * @cssproperty [--mck-incoming-avatar-color=var(--mck-color-on-primary)] - Initials.
 * @cssproperty [--mck-incoming-ring-color=var(--mck-color-primary)] - The ringing pulse.
 * @cssproperty [--mck-control-size=3.25rem] - Button height.
 */
export class IncomingCall extends IncomingCallElement {
  static override styles = [kitStyles, buttonStyles, incomingCallStyles];
}

IncomingCall.define('incoming-call');

declare global {
  interface HTMLElementTagNameMap {
    'incoming-call': IncomingCall;
  }
}
