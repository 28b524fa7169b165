/** Styles of <matrix-call>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const matrixCallStyles = css`
  :host {
    --_bg: var(--mck-call-background, ${sys.surface});
    --_fg: var(--mck-call-color, ${sys.onSurface});
    --_muted-fg: var(--mck-call-secondary-color, ${sys.onSurfaceVariant});
    --_gap: var(--mck-call-gap, ${sys.space});
    --_padding: var(--mck-call-padding, 1rem);
    --_strip: var(--mck-call-spotlight-strip-size, 14rem);
    --_danger: ${sys.danger};
    --_warning: ${sys.warning};
    --_spinner: ${sys.primary};
    --_outline: ${sys.outline};
    display: block;
    block-size: 100%;
    min-block-size: 22rem;
    background-color: var(--_bg);
    color: var(--_fg);
    font-size: ${sys.fontSize};
    line-height: 1.45;
    container-type: inline-size;
  }
  .base {
    position: relative;
    block-size: 100%;
    min-block-size: inherit;
  }
  h2 {
    margin: 0;
    font-size: 1.35rem;
    overflow-wrap: anywhere;
  }
  /* Headings take focus only so the screen reader's cursor follows a change of screen. */
  h2:focus,
  h2:focus-visible {
    outline: none;
  }
  .view {
    box-sizing: border-box;
    min-block-size: inherit;
    block-size: 100%;
    padding: var(--_padding);
  }
  .centered {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: calc(var(--_gap) * 1.5);
    text-align: center;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--_gap);
  }
  .note,
  .reason {
    margin: 0;
    color: var(--_muted-fg);
    max-inline-size: 40ch;
  }
  .reason {
    color: var(--_fg);
  }
  .error-message {
    margin: 0;
    font-weight: 600;
    max-inline-size: 40ch;
  }
  .problem {
    display: grid;
    gap: calc(var(--_gap) / 2);
    justify-items: center;
    max-inline-size: 45ch;
  }
  .error p {
    margin: 0;
    max-inline-size: 45ch;
  }
  details {
    color: var(--_muted-fg);
    max-inline-size: 45ch;
  }
  .spinner {
    inline-size: 2.5rem;
    aspect-ratio: 1;
    border-radius: 50%;
    border: 4px solid color-mix(in srgb, var(--_spinner) 25%, transparent);
    border-block-start-color: var(--_spinner);
    animation: spin 0.9s linear infinite;
  }
  .in-call {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_gap);
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    margin: 0;
    color: var(--_muted-fg);
  }
  .status time {
    font-variant-numeric: tabular-nums;
    color: var(--_fg);
  }
  .connection[data-health='disconnected'],
  .connection[data-health='failed'] {
    color: var(--_danger);
    font-weight: 600;
  }
  .waiting {
    border: 1px solid var(--_outline);
    border-radius: 12px;
  }
  .stage {
    flex: 1 1 auto;
    min-block-size: 10rem;
    gap: var(--_gap);
  }
  .stage.grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr));
    grid-auto-rows: minmax(0, 1fr);
  }
  .stage.grid call-tile {
    aspect-ratio: auto;
  }
  .stage.grid[data-count='1'] {
    grid-template-columns: minmax(0, 48rem);
    justify-content: center;
  }
  .stage.spotlight {
    display: grid;
    grid-template-columns: minmax(0, 1fr) var(--_strip);
  }
  .spotlight-main {
    display: grid;
    min-inline-size: 0;
    min-block-size: 0;
  }
  .spotlight-main call-tile {
    aspect-ratio: auto;
  }
  .strip {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    overflow: auto;
  }
  @container (max-width: 36rem) {
    .stage.spotlight {
      grid-template-columns: 1fr;
    }
    .strip {
      flex-direction: row;
    }
    .strip call-tile {
      flex: 0 0 40%;
    }
  }
  .audio-blocked {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: var(--_gap);
    color: var(--_warning);
  }
  call-controls {
    align-self: center;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
`;
