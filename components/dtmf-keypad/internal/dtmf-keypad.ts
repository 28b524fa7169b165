/**
 * Behaviour of <dtmf-keypad>: the twelve telephone keys. A key (clicked, or typed while the keypad
 * has focus) emits `dtmf-tone` and, with a controller and a `call-id`, calls sendDtmf().
 *
 * Never: generates the tones (the call's RTCDTMFSender does, inside the engine).
 */
import { html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallControllerApi } from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { ControllerSubscription } from '../../internal/controller-subscription.js';
import { DtmfToneEvent } from '../../internal/events.js';
import { msg } from '../../internal/messages.js';

const KEYS = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
] as const;

export class DtmfKeypadElement extends KitElement {
  /** Focusing the element (or clicking a part of it that takes no focus) focuses its first control. */
  static override shadowRootOptions: ShadowRootInit = { ...KitElement.shadowRootOptions, delegatesFocus: true };

  @property({ attribute: false }) controller?: CallControllerApi;
  @property({ attribute: 'call-id' }) callId = '';
  /** The tones sent so far, shown above the keys. */
  @state() sent = '';

  protected readonly subscription = new ControllerSubscription(this);

  press(tone: string): void {
    this.sent = (this.sent + tone).slice(-24);
    this.emit(new DtmfToneEvent(tone));
    const controller = this.subscription.controller;
    if (controller && this.callId) controller.sendDtmf(this.callId, tone);
  }

  private onKeyDown(event: KeyboardEvent) {
    if (/^[0-9*#]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.press(event.key);
    }
  }

  protected override render() {
    return html`<div part="base" class="keypad" role="group" aria-label=${msg('dtmf.label')} @keydown=${this.onKeyDown}>
      <output part="display" class="display" aria-live="polite">${this.sent}</output>
      <div class="keys">
        ${KEYS.map(
          ([digit, letters]) =>
            html`<button part="key" class="key" data-tone=${digit} @click=${() => this.press(digit)}>
              <span class="digit">${digit}</span>
              <span class="letters" aria-hidden="true">${letters}</span>
            </button>`,
        )}
      </div>
    </div>`;
  }
}
