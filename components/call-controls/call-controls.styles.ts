/** Styles of <call-controls>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const callControlsStyles = css`
  :host {
    --_bar-bg: var(--mck-controls-background, transparent);
    --_panel-bg: var(--mck-controls-panel-background, ${sys.surface});
    --_panel-fg: var(--mck-controls-panel-color, ${sys.onSurface});
    --_panel-border: ${sys.outline};
    --_radius: ${sys.radius};
    --_gap: var(--mck-controls-gap, 0.6rem);
    display: block;
  }
  .wrap {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.75rem;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--_gap);
    padding: 0.5rem;
    border-radius: var(--_radius);
    background-color: var(--_bar-bg);
  }
  .hangup {
    padding-inline: 1.2rem;
  }
  .panel {
    padding: 1rem;
    border: 1px solid var(--_panel-border);
    border-radius: var(--_radius);
    background-color: var(--_panel-bg);
    color: var(--_panel-fg);
    min-inline-size: min(20rem, 100%);
  }
  .panel dtmf-keypad {
    display: block;
    inline-size: fit-content;
    margin-inline: auto;
  }
`;
