/** Styles of <call-tile>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const callTileStyles = css`
  :host {
    --_bg: var(--mck-tile-background, ${sys.surfaceVariant});
    --_fg: var(--mck-tile-color, ${sys.onSurface});
    --_radius: var(--mck-tile-radius, ${sys.radius});
    --_speaking: var(--mck-tile-speaking-color, ${sys.primary});
    --_label-bg: var(--mck-tile-label-background, ${sys.scrim});
    --_label-fg: var(--mck-tile-label-color, #fff);
    --_avatar-bg: var(--mck-tile-avatar-background, ${sys.primary});
    --_avatar-fg: var(--mck-tile-avatar-color, ${sys.onPrimary});
    --_good: ${sys.primary};
    --_warn: ${sys.warning};
    --_bad: ${sys.danger};
    display: block;
    position: relative;
    min-inline-size: 0;
    min-block-size: 0;
    aspect-ratio: var(--mck-tile-aspect-ratio, 16 / 9);
    container-type: size;
    color: var(--_fg);
  }
  .tile {
    position: absolute;
    inset: 0;
    overflow: hidden;
    border-radius: var(--_radius);
    background-color: var(--_bg);
    display: grid;
    place-items: center;
    transition: box-shadow var(--_motion);
  }
  :host([speaking]) .tile {
    box-shadow:
      inset 0 0 0 3px var(--_speaking),
      0 0 0 1px var(--_speaking);
  }
  video {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
    background: #000;
  }
  video[hidden] {
    display: none;
  }
  :host([screen-share]) video {
    object-fit: contain;
  }
  video.mirrored {
    transform: scaleX(-1);
  }
  .avatar {
    display: grid;
    place-items: center;
    /* Sized by the tile's smaller side, so a short, wide tile never clips it. */
    inline-size: clamp(2rem, min(40cqi, 46cqb), 8rem);
    /* Lifted clear of the name label at the bottom of short tiles. */
    margin-block-end: min(2.25rem, 18cqb);
    aspect-ratio: 1;
    border-radius: 50%;
    overflow: hidden;
    background-color: var(--_avatar-bg);
    color: var(--_avatar-fg);
    font-size: clamp(0.85rem, min(12cqi, 18cqb), 2.5rem);
    font-weight: 600;
  }
  :host([speaking]) .avatar {
    animation: pulse 1.2s ease-in-out infinite;
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .label {
    position: absolute;
    inset-block-end: 0.5rem;
    inset-inline-start: 0.5rem;
    max-inline-size: calc(100% - 1rem);
    display: flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.2rem 0.6rem;
    border-radius: 999px;
    background-color: var(--_label-bg);
    color: var(--_label-fg);
    font-size: 0.875rem;
    line-height: 1.4;
  }
  .label .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .label svg.icon {
    inline-size: 1.1em;
    block-size: 1.1em;
  }
  .indicator,
  .badge {
    display: inline-flex;
  }
  .quality {
    position: absolute;
    inset-block-start: 0.5rem;
    inset-inline-end: 0.5rem;
    display: flex;
    align-items: flex-end;
    gap: 2px;
    block-size: 1rem;
    padding: 0.15rem 0.3rem;
    border-radius: 6px;
    background-color: var(--_label-bg);
  }
  .quality i {
    display: block;
    inline-size: 3px;
    background: rgb(255 255 255 / 0.35);
    border-radius: 1px;
  }
  .quality[data-level='4'] i.on {
    background: #6ee7b7;
  }
  .quality[data-level='3'] i.on {
    background: #fcd34d;
  }
  .quality[data-level='1'] i.on {
    background: #fca5a5;
  }
  @keyframes pulse {
    50% {
      box-shadow: 0 0 0 0.5rem color-mix(in srgb, var(--_speaking) 35%, transparent);
    }
  }
`;
