/**
 * Design tokens and the styles every element shares. Three layers, as in shared/STYLE.md:
 *   public component token (--mck-tile-background)  ->  global system token (--mck-color-surface-variant)
 *   ->  the kit's default (light-dark(...)),  all read into a private --_x on :host; the rules read
 * only the private ones. docs/theming.md lists every token.
 *
 * Light and dark: the defaults use light-dark(), so they follow the element's `color-scheme`. The
 * `theme` attribute sets it (any value containing "light" or "dark", as hosts send "light",
 * "dark", "light-high-contrast"...). "auto" (and no attribute) sets nothing, so the element inherits
 * the page's `color-scheme`: a page that declares `color-scheme: light dark` follows the system, a page
 * that declares nothing stays light (a dark OS never turns the element into a black box on a white
 * page). Elements inside <matrix-call> follow its theme.
 *
 * Never: holds per-component rules beyond the shared button and visually-hidden helpers.
 */
import { css, unsafeCSS, type CSSResult } from 'lit';

const token = (name: string, fallback: string): CSSResult => unsafeCSS(`var(--mck-${name}, ${fallback})`);
const themed = (name: string, light: string, dark: string): CSSResult =>
  token(name, `light-dark(${light}, ${dark})`);

/** The global system tokens, each with its default. */
export const sys = {
  surface: themed('color-surface', '#ffffff', '#101418'),
  onSurface: themed('color-on-surface', '#1b1d21', '#e8ecf0'),
  surfaceVariant: themed('color-surface-variant', '#eceff3', '#1f252c'),
  onSurfaceVariant: themed('color-on-surface-variant', '#454d59', '#aeb7c2'),
  primary: themed('color-primary', '#0a6e50', '#4fd8a4'),
  onPrimary: themed('color-on-primary', '#ffffff', '#06251a'),
  danger: themed('color-danger', '#c0271d', '#ff7a6e'),
  onDanger: themed('color-on-danger', '#ffffff', '#2b0704'),
  warning: themed('color-warning', '#8a5a00', '#f2c14e'),
  outline: themed('color-outline', '#8b94a0', '#56606c'),
  focus: themed('color-focus', '#1a5fd0', '#8ab4ff'),
  scrim: token('color-scrim', 'rgb(0 0 0 / 0.62)'),
  fontFamily: token('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'),
  fontSize: token('font-size', '1rem'),
  radius: token('radius', '12px'),
  radiusControl: token('radius-control', '999px'),
  space: token('space', '8px'),
  motion: token('motion-duration', '160ms'),
};

/** Shared by every element: theme switch, box sizing, hidden helper, icons, reduced motion. */
export const kitStyles = css`
  :host {
    --_font: ${sys.fontFamily};
    --_focus: ${sys.focus};
    --_motion: ${sys.motion};
    font-family: var(--_font);
    box-sizing: border-box;
  }
  :host([theme*='light']) {
    color-scheme: light;
  }
  :host([theme*='dark']) {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  svg.icon {
    inline-size: 1.5em;
    block-size: 1.5em;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0s !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0s !important;
    }
  }
`;

/**
 * Round control buttons (call controls, answer / decline, idle actions). Tokens:
 * --mck-control-background, --mck-control-color, --mck-control-size, --mck-control-active-background,
 * --mck-control-active-color, --mck-color-danger / --mck-color-primary for hang up and answer.
 */
export const buttonStyles = css`
  :host {
    --_control-bg: var(--mck-control-background, ${sys.surfaceVariant});
    --_control-fg: var(--mck-control-color, ${sys.onSurface});
    --_control-active-bg: var(--mck-control-active-background, ${sys.onSurface});
    --_control-active-fg: var(--mck-control-active-color, ${sys.surface});
    --_control-size: var(--mck-control-size, 3.25rem);
    --_control-radius: ${sys.radiusControl};
    --_primary: ${sys.primary};
    --_on-primary: ${sys.onPrimary};
    --_danger: ${sys.danger};
    --_on-danger: ${sys.onDanger};
  }
  .control {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    min-inline-size: var(--_control-size);
    min-block-size: var(--_control-size);
    padding: 0 0.9em;
    border: 1px solid transparent;
    border-radius: var(--_control-radius);
    background-color: var(--_control-bg);
    color: var(--_control-fg);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    transition:
      background-color var(--_motion),
      transform var(--_motion);
  }
  .control.icon-only {
    padding: 0;
    inline-size: var(--_control-size);
  }
  .control:hover {
    filter: brightness(0.95);
  }
  .control:active {
    transform: scale(0.96);
  }
  .control[aria-pressed='true'],
  .control[data-active='true'],
  .control[aria-expanded='true'] {
    background-color: var(--_control-active-bg);
    color: var(--_control-active-fg);
  }
  .control.primary {
    background-color: var(--_primary);
    color: var(--_on-primary);
  }
  .control.danger {
    background-color: var(--_danger);
    color: var(--_on-danger);
  }
  .control:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
`;
