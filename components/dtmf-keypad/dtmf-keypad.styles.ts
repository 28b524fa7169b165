/** Styles of <dtmf-keypad>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const dtmfKeypadStyles = css`
  :host {
    --_key-bg: var(--mck-keypad-key-background, ${sys.surfaceVariant});
    --_key-fg: var(--mck-keypad-key-color, ${sys.onSurface});
    --_key-size: var(--mck-keypad-key-size, 3.5rem);
    --_muted-fg: ${sys.onSurfaceVariant};
    display: inline-block;
    color: var(--_key-fg);
  }
  .display {
    display: block;
    min-block-size: 1.6em;
    margin-block-end: 0.5rem;
    font-size: 1.25rem;
    letter-spacing: 0.15em;
    text-align: center;
    direction: ltr;
  }
  .keys {
    display: grid;
    grid-template-columns: repeat(3, var(--_key-size));
    gap: 0.5rem;
    direction: ltr;
  }
  .key {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    block-size: var(--_key-size);
    border: none;
    border-radius: 50%;
    background-color: var(--_key-bg);
    color: var(--_key-fg);
    font: inherit;
    cursor: pointer;
  }
  .digit {
    font-size: 1.3rem;
    font-weight: 600;
    line-height: 1;
  }
  .letters {
    min-block-size: 0.8em;
    font-size: 0.625rem;
    color: var(--_muted-fg);
  }
`;
