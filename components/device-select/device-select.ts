/**
 * <device-select>: registers the tag. Behaviour lives in ./internal/device-select.ts.
 */
import { kitStyles } from '../internal/tokens.js';
import { DeviceSelectElement } from './internal/device-select.js';
import { deviceSelectStyles } from './device-select.styles.js';

/**
 * Microphone, camera and speaker choice, kept current as devices come and go.
 *
 * @tagname device-select
 * @summary Lists of media devices; choosing one calls the controller's selectDevice().
 *
 * @event request-device-select - Before switching ({kind, deviceId}); cancel to veto.
 *
 * @csspart base - The group of lists.
 * @csspart field - One label and list.
 * @csspart label - A list's label.
 * @csspart select - A list.
 *
 * @cssproperty [--mck-device-select-background=var(--mck-color-surface)] - List background.
 * @cssproperty [--mck-device-select-color=var(--mck-color-on-surface)] - Text.
 * @cssproperty [--mck-device-select-border-color=var(--mck-color-outline)] - List border.
 * @cssproperty [--mck-device-select-radius=8px] - List corner radius.
 */
export class DeviceSelect extends DeviceSelectElement {
  static override styles = [kitStyles, deviceSelectStyles];
}

DeviceSelect.define('device-select');

declare global {
  interface HTMLElementTagNameMap {
    'device-select': DeviceSelect;
  }
}
