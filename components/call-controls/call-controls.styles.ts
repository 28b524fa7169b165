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
    --_gap: var(--mck-controls-gap, clamp(0.25rem, 1.6cqi, 0.6rem));
    /* Buttons shrink with the width so the bar stays one row (7 buttons fit in 300 px). */
    --_control-size: var(--mck-control-size, clamp(2.4rem, 11.5cqi, 3.25rem));
    display: block;
    container-type: inline-size;
  }
  .wrap {
    position: relative;
    display: flex;
    flex-direction: column;
    align-items: center;
  }
  .bar {
    display: flex;
    flex-wrap: nowrap;
    justify-content: center;
    gap: var(--_gap);
    padding: 0.25rem;
    border-radius: var(--_radius);
    background-color: var(--_bar-bg);
    max-inline-size: 100%;
  }
  .bar .control {
    flex: none;
  }
  .hangup {
    padding-inline: 1.2rem;
  }
  /* Narrow: Hang up keeps its name (aria-label) and its row, and drops its word. */
  @container (max-width: 27rem) {
    .hangup {
      padding-inline: 0;
      inline-size: var(--_control-size);
    }
    .hangup-text {
      display: none;
    }
  }
  /* An overlay above the bar, no taller than the call's box (the nearest size container, or the
     viewport): it covers the video for a moment and never pushes the video or the bar away. */
  .panel {
    position: absolute;
    z-index: 5;
    inset-inline: max(0.5rem, 50% - 11rem);
    inset-block-end: calc(100% + 0.5rem);
    max-block-size: calc(100cqb - 5.5rem);
    overflow: auto;
    padding: 1rem;
    border: 1px solid var(--_panel-border);
    border-radius: var(--_radius);
    background-color: var(--_panel-bg);
    color: var(--_panel-fg);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.3);
  }
  .panel dtmf-keypad {
    display: block;
    inline-size: fit-content;
    margin-inline: auto;
  }
`;
