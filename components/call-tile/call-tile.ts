/**
 * <call-tile>: registers the tag. Behaviour lives in ./internal/call-tile.ts.
 */
import { kitStyles } from '../internal/tokens.js';
import { CallTileElement } from './internal/call-tile.js';
import { callTileStyles } from './call-tile.styles.js';

export type { TileQuality } from './internal/call-tile.js';

/**
 * One participant's stream: video, or avatar and name while video is off.
 *
 * @tagname call-tile
 * @summary One participant or screen share in a call, with mute, speaking and quality indicators.
 *
 * @csspart base - The tile's frame.
 * @csspart video - The video element (muted; the local one is mirrored).
 * @csspart avatar - The avatar circle shown while video is off.
 * @csspart avatar-image - The avatar picture.
 * @csspart initials - The initials drawn without an avatar picture.
 * @csspart label - The name label.
 * @csspart mic-muted - The muted-microphone indicator.
 * @csspart camera-off - The camera-off indicator.
 * @csspart screen-share-badge - The screen-share icon in the label.
 * @csspart quality - The connection-quality bars.
 *
 * @cssproperty [--mck-tile-background=var(--mck-color-surface-variant)] - Tile background behind the avatar.
 * @cssproperty [--mck-tile-color=var(--mck-color-on-surface)] - Text colour.
 * @cssproperty [--mck-tile-radius=var(--mck-radius)] - Corner radius.
 * @cssproperty [--mck-tile-speaking-color=var(--mck-color-primary)] - The speaking ring.
 * @cssproperty [--mck-tile-label-background=var(--mck-color-scrim)] - Behind the name label.
 * @cssproperty [--mck-tile-label-color=#fff] - The name label's text.
 * @cssproperty [--mck-tile-avatar-background=var(--mck-color-primary)] - The initials circle.
 * @cssproperty [--mck-tile-avatar-color=var(--mck-color-on-primary)] - The initials.
 * @cssproperty [--mck-tile-aspect-ratio=16 / 9] - The tile's shape.
 *
 * @cssstate speaking - The participant is speaking.
 * @cssstate muted - The microphone is off.
 * @cssstate video-off - No video is shown.
 */
export class CallTile extends CallTileElement {
  static override styles = [kitStyles, callTileStyles];
}

CallTile.define('call-tile');

declare global {
  interface HTMLElementTagNameMap {
    'call-tile': CallTile;
  }
}
