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
    --_strip: var(--mck-call-strip-tile-height, clamp(3.5rem, 18cqb, 7rem));
    --_stage-min: var(--mck-call-stage-min-height, 8rem);
    --_overlay-bg: var(--mck-call-overlay-background, rgb(0 0 0 / 0.82));
    --_avatar-bg: var(--mck-tile-avatar-background, ${sys.primary});
    --_avatar-fg: var(--mck-tile-avatar-color, ${sys.onPrimary});
    --_focus: ${sys.focus};
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
    /* Panels (keypad, devices) size themselves against this box, so they never push anything out. */
    position: relative;
    container: call / size;
    overflow: hidden;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem var(--_gap);
    flex: none;
  }
  .header h2 {
    min-inline-size: 0;
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
    flex: none;
  }
  .control.small {
    min-block-size: 2.25rem;
    padding: 0.25rem 0.75rem;
    font-size: 0.875rem;
  }
  .action-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25rem var(--_gap);
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_danger);
    border-radius: 12px;
    flex: none;
  }
  .action-error p {
    margin: 0;
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }

  /* ---- the stage: everything between the header and the controls ---- */
  .stage {
    position: relative;
    flex: 1 1 0;
    min-block-size: var(--_stage-min);
    min-inline-size: 0;
  }
  /* A box of the main video's own shape, as large as the stage allows: no letterbox bands. */
  .fit {
    position: relative;
    inline-size: min(100cqi, 100cqb * var(--_aspect, 1.7778));
    aspect-ratio: var(--_aspect, 1.7778);
    max-block-size: 100cqb;
  }
  .fit > call-tile.main {
    position: absolute;
    inset: 0;
    aspect-ratio: auto;
  }
  .stage.one-to-one {
    display: grid;
    place-items: center;
    container-type: size;
  }
  /* The self view: a small picture-in-picture in a corner of the main video, 1/4 of its width. */
  .pip-frame {
    position: absolute;
    z-index: 1;
    inline-size: clamp(4.5rem, 26%, 14rem);
    aspect-ratio: var(--_pip-aspect, 1.7778);
    max-block-size: 45%;
    inset-block-end: 0.5rem;
    inset-inline-end: 0.5rem;
    border-radius: ${sys.radius};
    box-shadow: 0 2px 10px rgb(0 0 0 / 0.45);
    touch-action: none;
    cursor: grab;
  }
  .pip-frame[data-corner^='top'] {
    inset-block-start: 0.5rem;
    inset-block-end: auto;
  }
  .pip-frame[data-corner$='start'] {
    inset-inline-start: 0.5rem;
    inset-inline-end: auto;
  }
  .pip-frame.dragging {
    inset: auto;
    cursor: grabbing;
  }
  .pip-frame call-tile {
    position: absolute;
    inset: 0;
    aspect-ratio: auto;
    --mck-tile-radius: ${sys.radius};
  }
  /* The swap button names the self view; a label would not fit a thumbnail. */
  .pip-frame call-tile::part(label) {
    display: none;
  }
  .pip-frame .swap {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: ${sys.radius};
    background: transparent;
    cursor: pointer;
  }
  .pip-frame .swap:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  /* Voice: who you are talking to, large. */
  .stage.voice {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_gap);
    container-type: size;
  }
  .voice-avatar {
    display: grid;
    place-items: center;
    inline-size: clamp(3rem, min(40cqi, 55cqb), 10rem);
    aspect-ratio: 1;
    border-radius: 50%;
    overflow: hidden;
    background-color: var(--_avatar-bg);
    color: var(--_avatar-fg);
    font-size: clamp(1.1rem, min(14cqi, 20cqb), 3.5rem);
    font-weight: 600;
  }
  .voice-avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .voice-name {
    margin: 0;
    font-size: 1.2rem;
    font-weight: 600;
    overflow-wrap: anywhere;
    text-align: center;
  }
  /* Group grid: column count and tile width come from stage-layout.ts (fitGrid). */
  .stage.grid {
    overflow: hidden;
  }
  .stage.grid.scrolls {
    overflow: auto;
  }
  .grid-tiles {
    display: grid;
    grid-template-columns: repeat(
      var(--_columns, auto-fit),
      var(--_tile-width, minmax(min(100%, 12rem), 1fr))
    );
    justify-content: center;
    align-content: center;
    gap: var(--_gap);
    min-block-size: 100%;
  }
  .grid-tiles call-tile {
    aspect-ratio: 16 / 9;
  }
  /* Spotlight (a screen share, or the active speaker): the main box large, the others a strip below. */
  .stage.spotlight {
    display: grid;
    grid-template-rows: minmax(0, 1fr) auto;
    gap: var(--_gap);
  }
  .spotlight-main {
    display: grid;
    place-items: center;
    min-inline-size: 0;
    min-block-size: 0;
    container-type: size;
  }
  .strip {
    display: flex;
    gap: var(--_gap);
    overflow-x: auto;
    overflow-y: hidden;
    justify-content: safe center;
    padding-block-end: 2px;
  }
  .strip call-tile {
    flex: none;
    block-size: var(--_strip);
    inline-size: auto;
    aspect-ratio: 16 / 9;
  }
  /* Hold and reconnecting: over the stage, never beside it. */
  .overlay {
    position: absolute;
    inset: 0;
    z-index: 2;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 0.35rem;
    padding: 1rem;
    border-radius: ${sys.radius};
    background: var(--_overlay-bg);
    color: #fff;
    text-align: center;
  }
  .overlay p {
    margin: 0;
    max-inline-size: 36ch;
  }
  .overlay-title {
    font-size: 1.2rem;
    font-weight: 600;
  }
  .overlay .spinner {
    border-color: rgb(255 255 255 / 0.3);
    border-block-start-color: #fff;
  }
  .overlay svg.icon {
    inline-size: 2.5rem;
    block-size: 2.5rem;
  }
  /* Walkie-talkie channel */
  /* Taller than the widget (the message list): it scrolls inside, and the top never goes out of reach. */
  .view.walkie-talkie {
    justify-content: safe center;
    overflow-y: auto;
  }
  .walkie-talkie ptt-messages {
    inline-size: min(100%, 26rem);
    flex: none;
  }
  .tuned-in {
    display: grid;
    justify-items: center;
    gap: 0.35rem;
  }
  .people {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .mini-avatar,
  .talker-avatar {
    display: inline-grid;
    place-items: center;
    inline-size: 2rem;
    aspect-ratio: 1;
    border-radius: 50%;
    overflow: hidden;
    background-color: var(--_avatar-bg);
    color: var(--_avatar-fg);
    font-size: 0.8rem;
    font-weight: 600;
  }
  .talker-avatar {
    inline-size: 3rem;
    font-size: 1.1rem;
    box-shadow: 0 0 0 3px var(--_warning);
  }
  .mini-avatar img,
  .talker-avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .talker {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    min-block-size: 3rem;
    font-weight: 600;
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
    flex: none;
    align-self: stretch;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
`;
