/**
 * <dtmf-keypad>: registers the tag. Behaviour lives in ./internal/dtmf-keypad.ts.
 */
import { kitStyles } from '../internal/tokens.js';
import { DtmfKeypadElement } from './internal/dtmf-keypad.js';
import { dtmfKeypadStyles } from './dtmf-keypad.styles.js';

/**
 * The telephone keypad for DTMF tones in a 1:1 call (keys laid out left to right in every language).
 *
 * @tagname dtmf-keypad
 * @summary Twelve keys; each press sends a DTMF tone on the call `call-id`.
 *
 * @event dtmf-tone - A key was pressed ({tone}).
 *
 * @csspart base - The keypad.
 * @csspart display - The tones sent so far.
 * @csspart key - Each key.
 *
 * @cssproperty [--mck-keypad-key-background=var(--mck-color-surface-variant)] - Key background.
 * @cssproperty [--mck-keypad-key-color=var(--mck-color-on-surface)] - Key text.
 * @cssproperty [--mck-keypad-key-size=3.5rem] - Key diameter.
 */
export class DtmfKeypad extends DtmfKeypadElement {
  static override styles = [kitStyles, dtmfKeypadStyles];
}

DtmfKeypad.define('dtmf-keypad');

declare global {
  interface HTMLElementTagNameMap {
    'dtmf-keypad': DtmfKeypad;
  }
}
