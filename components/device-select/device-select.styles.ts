/** Styles of <device-select>: reads only the private tokens set on :host. */
import { css } from 'lit';
import { sys } from '../internal/tokens.js';

export const deviceSelectStyles = css`
  :host {
    --_bg: var(--mck-device-select-background, ${sys.surface});
    --_fg: var(--mck-device-select-color, ${sys.onSurface});
    --_border: var(--mck-device-select-border-color, ${sys.outline});
    --_radius: var(--mck-device-select-radius, 8px);
    display: block;
    color: var(--_fg);
  }
  .devices {
    display: grid;
    gap: 0.75rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  label {
    font-size: 0.875rem;
    font-weight: 600;
  }
  select {
    min-block-size: 2.5rem;
    padding-inline: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background-color: var(--_bg);
    color: var(--_fg);
    font: inherit;
    max-inline-size: 100%;
  }
`;
