/** Styles of <ptt-messages>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const pttMessagesStyles = css`
  :host {
    --_max-height: var(--mck-ptt-messages-max-height, 16rem);
    --_item-bg: var(--mck-ptt-messages-item-background, ${sys.surfaceVariant});
    --_playing: var(--mck-ptt-messages-playing-color, ${sys.primary});
    --_new: var(--mck-ptt-messages-new-color, ${sys.warning});
    --_muted: ${sys.onSurfaceVariant};
    --_avatar-bg: var(--mck-tile-avatar-background, ${sys.primary});
    --_avatar-fg: var(--mck-tile-avatar-color, ${sys.onPrimary});
    display: block;
    min-inline-size: 0;
    text-align: start;
    color: ${sys.onSurface};
  }
  .title {
    margin: 0 0 0.4rem;
    font-size: 0.95em;
    font-weight: 600;
  }
  .empty {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.3rem;
    max-block-size: var(--_max-height);
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .item {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.3rem 0.5rem;
    border-radius: ${sys.radius};
    background: var(--_item-bg);
    border-inline-start: 3px solid transparent;
    min-inline-size: 0;
  }
  .item[data-state='playing'],
  .item[data-state='paused'] {
    border-inline-start-color: var(--_playing);
  }
  .item[data-state='unplayed'],
  .item[data-state='queued'] {
    border-inline-start-color: var(--_new);
  }
  .play {
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: 2.25rem;
    block-size: 2.25rem;
    border-radius: 50%;
    border: 1px solid ${sys.outline};
    background: ${sys.surface};
    color: inherit;
    cursor: pointer;
  }
  .item[data-state='playing'] .play {
    background: var(--_playing);
    border-color: var(--_playing);
    color: ${sys.onPrimary};
  }
  .play .icon {
    inline-size: 1.1rem;
    block-size: 1.1rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linejoin: round;
  }
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: 1.75rem;
    block-size: 1.75rem;
    border-radius: 50%;
    overflow: hidden;
    background: var(--_avatar-bg);
    color: var(--_avatar-fg);
    font-size: 0.75em;
    font-weight: 600;
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .text {
    display: flex;
    flex-direction: column;
    min-inline-size: 0;
    flex: 1;
  }
  .sender {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .meta {
    color: var(--_muted);
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
  }
  .state {
    flex: none;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_muted);
  }
  .item[data-state='playing'] .state {
    color: var(--_playing);
  }
  .item[data-state='unplayed'] .state,
  .item[data-state='queued'] .state {
    color: var(--_new);
  }
`;
