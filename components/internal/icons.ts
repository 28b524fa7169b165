/**
 * The kit's icons: small stroke drawings on a 24-unit grid, coloured by currentColor. Always
 * decorative (aria-hidden); the button or label next to them carries the words.
 *
 * Never: carries text or state.
 */
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

const phonePath = svg`<path d="M5 3.5h3.5l2 5-2.5 1.5a11 11 0 0 0 6 6l1.5-2.5 5 2V19a2 2 0 0 1-2 2A17 17 0 0 1 3 5.5a2 2 0 0 1 2-2z"/>`;

const shapes = {
  mic: svg`<rect x="9" y="2.5" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3.5M8.5 21.5h7"/>`,
  micOff: svg`<rect x="9" y="2.5" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v3.5M8.5 21.5h7M3 3l18 18"/>`,
  camera: svg`<rect x="2.5" y="6" width="13" height="12" rx="2"/><path d="M15.5 10.5l6-3.5v10l-6-3.5z"/>`,
  cameraOff: svg`<rect x="2.5" y="6" width="13" height="12" rx="2"/><path d="M15.5 10.5l6-3.5v10l-6-3.5zM3 3l18 18"/>`,
  screen: svg`<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 21h8M12 16.5V21M12 13V7.5M9 10l3-3 3 3"/>`,
  pause: svg`<path d="M9 6v12M15 6v12"/>`,
  play: svg`<path d="M8 5.5v13l10.5-6.5z"/>`,
  phone: phonePath,
  hangup: svg`<g transform="rotate(135 12 12)">${phonePath}</g>`,
  keypad: svg`<g fill="currentColor" stroke="none"><circle cx="6" cy="4" r="1.6"/><circle cx="12" cy="4" r="1.6"/><circle cx="18" cy="4" r="1.6"/><circle cx="6" cy="10" r="1.6"/><circle cx="12" cy="10" r="1.6"/><circle cx="18" cy="10" r="1.6"/><circle cx="6" cy="16" r="1.6"/><circle cx="12" cy="16" r="1.6"/><circle cx="18" cy="16" r="1.6"/><circle cx="12" cy="21.5" r="1.6"/></g>`,
  settings: svg`<path d="M3 6h11M18 6h3M3 12h4M11 12h10M3 18h13M20 18h1"/><circle cx="16" cy="6" r="2"/><circle cx="9" cy="12" r="2"/><circle cx="18" cy="18" r="2"/>`,
  walkie: svg`<rect x="6.5" y="7" width="11" height="15" rx="2"/><path d="M9 7V2M9.5 12h5M9.5 16h5"/>`,
  group: svg`<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/><circle cx="17" cy="9" r="2.5"/><path d="M16 14a5 5 0 0 1 6 5"/>`,
  close: svg`<path d="M6 6l12 12M18 6L6 18"/>`,
  signal: svg`<path d="M4 20v-3M9 20v-7M14 20v-11M19 20V4"/>`,
  speaker: svg`<path d="M4 9.5h4l5-4v13l-5-4H4z"/><path d="M16.5 9a4 4 0 0 1 0 6M19 6.5a8 8 0 0 1 0 11"/>`,
} satisfies Record<string, SVGTemplateResult>;

export type IconName = keyof typeof shapes;

export function icon(name: IconName): TemplateResult {
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${shapes[name]}</svg>`;
}
