/**
 * <ptt-messages>: registers the tag. Behaviour lives in ./internal/ptt-messages.ts.
 */
import { kitStyles } from '../internal/tokens.js';
import { PttMessagesElement } from './internal/ptt-messages.js';
import { pttMessagesStyles } from './ptt-messages.styles.js';

/**
 * The walkie-talkie channel's recent transmissions, each kept as a voice message that can be played again.
 *
 * @tagname ptt-messages
 * @summary Recent walkie-talkie messages: sender, time, length, state, and play / pause for each.
 *
 * @csspart base - The whole list with its title.
 * @csspart title - "Recent messages".
 * @csspart list - The ordered list (scrolls past its maximum height).
 * @csspart item - One transmission; it also carries its state as a part (unplayed, queued, playing, paused, played).
 * @csspart play-button - Plays the transmission, or pauses it while it plays.
 * @csspart sender - Who spoke ("You" for this user).
 * @csspart time - When (time of day).
 * @csspart duration - How long.
 * @csspart state - New, Queued, Playing or Paused (nothing once played).
 * @csspart empty - Shown while nothing was said.
 *
 * @cssproperty [--mck-ptt-messages-max-height=16rem] - The list scrolls past this height.
 * @cssproperty [--mck-ptt-messages-item-background=var(--mck-color-surface-variant)] - One item.
 * @cssproperty [--mck-ptt-messages-playing-color=var(--mck-color-primary)] - The playing item's mark.
 * @cssproperty [--mck-ptt-messages-new-color=var(--mck-color-warning)] - The mark of a new or queued item.
 */
export class PttMessages extends PttMessagesElement {
  static override styles = [kitStyles, pttMessagesStyles];
}

PttMessages.define('ptt-messages');

declare global {
  interface HTMLElementTagNameMap {
    'ptt-messages': PttMessages;
  }
}
