/**
 * <ptt-button>: registers the tag. Behaviour lives in ./internal/ptt-button.ts.
 */
import { kitStyles } from '../internal/tokens.js';
import { PttButtonElement } from './internal/ptt-button.js';
import { pttButtonStyles } from './ptt-button.styles.js';

export type { PttMode } from './internal/ptt-button.js';

/**
 * Push to talk: hold with the pointer, Space or Enter (or tap on / tap off with mode="toggle").
 *
 * @tagname ptt-button
 * @summary The walkie-talkie button, with the floor's state in words.
 *
 * @attr {boolean} silent - No sounds: without it the button plays a short rising cue when this device
 *   starts talking, a falling one when its transmission ends, and a low buzz when a press is refused.
 *
 * @event ptt-press - The button went down; cancel to veto.
 * @event ptt-release - The button came up.
 *
 * @csspart base - Button and status together.
 * @csspart button - The round talk button.
 * @csspart label - The button's words.
 * @csspart status - The floor in words ("Alice is talking", "Talking: 12 s left").
 * @csspart progress - The time left while talking.
 * @csspart queued - How many received messages wait to be played.
 *
 * @cssproperty [--mck-ptt-size=8rem] - Button diameter.
 * @cssproperty [--mck-ptt-background=var(--mck-color-surface-variant)] - Button at rest.
 * @cssproperty [--mck-ptt-color=var(--mck-color-on-surface)] - Button text at rest.
 * @cssproperty [--mck-ptt-talking-background=var(--mck-color-primary)] - Button while talking.
 * @cssproperty [--mck-ptt-talking-color=var(--mck-color-on-primary)] - Text while talking.
 * @cssproperty [--mck-ptt-listening-color=var(--mck-color-warning)] - Ring while someone else talks.
 *
 * @cssstate pressed - Held down or toggled on.
 * @cssstate talking - This side holds the floor.
 * @cssstate requesting - Waiting for the floor.
 * @cssstate listening - Someone else holds the floor.
 * @cssstate denied - Not permitted to talk.
 */
export class PttButton extends PttButtonElement {
  static override styles = [kitStyles, pttButtonStyles];
}

PttButton.define('ptt-button');

declare global {
  interface HTMLElementTagNameMap {
    'ptt-button': PttButton;
  }
}
