/**
 * <call-controls>: registers the tag. Behaviour lives in ./internal/call-controls.ts.
 */
import { buttonStyles, kitStyles } from '../internal/tokens.js';
import { CallControlsElement } from './internal/call-controls.js';
import { callControlsStyles } from './call-controls.styles.js';

/**
 * The buttons of a call in progress.
 *
 * @tagname call-controls
 * @summary Microphone, camera, screen share, hold, devices, keypad (1:1) and hang up.
 *
 * @event request-media-toggle - Before muting, unmuting, sharing or holding ({callId, toggle, on}); cancel to veto.
 * @event request-hangup - Before hanging up or leaving ({callId}); cancel to veto.
 * @event request-device-select - From the device panel; see <device-select>.
 * @event dtmf-tone - From the keypad; see <dtmf-keypad>.
 *
 * @csspart base - Bar and panels together.
 * @csspart bar - The toolbar.
 * @csspart control - Every button.
 * @csspart mic-button - Microphone (pressed = muted).
 * @csspart camera-button - Camera (pressed = off).
 * @csspart screen-share-button - Screen share (pressed = sharing).
 * @csspart hold-button - Hold (pressed = on hold).
 * @csspart devices-button - Opens the device panel.
 * @csspart keypad-button - Opens the keypad.
 * @csspart hangup-button - Hang up / leave.
 * @csspart panel - The open device or keypad panel.
 *
 * @cssproperty [--mck-controls-background=transparent] - Behind the toolbar.
 * @cssproperty [--mck-controls-gap=0.6rem] - Between buttons.
 * @cssproperty [--mck-controls-panel-background=var(--mck-color-surface)] - Device / keypad panel.
 * @cssproperty [--mck-controls-panel-color=var(--mck-color-on-surface)] - Panel text.
 * @cssproperty [--mck-control-background=var(--mck-color-surface-variant)] - A button at rest.
 * @cssproperty [--mck-control-color=var(--mck-color-on-surface)] - A button's icon at rest.
 * @cssproperty [--mck-control-active-background=var(--mck-color-on-surface)] - A pressed button.
 * @cssproperty [--mck-control-active-color=var(--mck-color-surface)] - A pressed button's icon.
 * @cssproperty [--mck-control-size=3.25rem] - Button size.
 */
export class CallControls extends CallControlsElement {
  static override styles = [kitStyles, buttonStyles, callControlsStyles];
}

CallControls.define('call-controls');

declare global {
  interface HTMLElementTagNameMap {
    'call-controls': CallControls;
  }
}
