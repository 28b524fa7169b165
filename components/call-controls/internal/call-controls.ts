/**
 * Behaviour of <call-controls>: the buttons of a call in progress: microphone, camera, screen share,
 * hold, device choice, DTMF keypad (1:1 only) and hang up. It reads the call from the controller's
 * snapshot (explicit `.controller`, else context): the call named by `call-id`, else the first live
 * 1:1 call, else the room's group call when this device joined it.
 *
 * Each toggle's name and tooltip say what pressing it does now ("Unmute microphone" while muted), so
 * it is a plain button, not aria-pressed (a name that changes with the state must not also carry a
 * pressed state); `data-active` gives the pressed look. The
 * device and keypad panels open as overlays above the bar (inside the nearest call box), after the
 * bar in tab order, with focus moved into them; Escape closes them and returns focus to the opener.
 * The bar stays on one row down to 320 px: buttons shrink and Hang up drops its word (not its name).
 *
 * Every button first emits a cancelable request-* event; unless vetoed it calls the controller.
 *
 * Never: keeps call state of its own; pressed states come from the snapshot.
 */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallControllerApi, CallView, ParticipantView } from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { ControllerSubscription, missingControllerMessage } from '../../internal/controller-subscription.js';
import { HangupRequestEvent, MediaToggleRequestEvent, type MediaToggle } from '../../internal/events.js';
import { icon } from '../../internal/icons.js';
import { msg } from '../../internal/messages.js';
import { GROUP_CALL_ID, isPending } from '../../../src/snapshot.js';
import { definePanelElement, type PanelName } from './panel-elements.js';

type Panel = PanelName | undefined;

/** What the controls act on: a 1:1 call, or the group call through this device's participant. */
interface Target {
  readonly callId: string;
  readonly group: boolean;
  readonly kind: 'voice' | 'video';
  readonly micMuted: boolean;
  readonly cameraMuted: boolean;
  readonly screenSharing: boolean;
  readonly onHold: boolean;
  readonly canHold: boolean;
}

function fromCall(call: CallView): Target {
  return {
    callId: call.id,
    group: false,
    kind: call.kind,
    micMuted: call.micMuted,
    cameraMuted: call.cameraMuted,
    screenSharing: call.screenSharing,
    onHold: call.onHold,
    canHold: call.state === 'connected',
  };
}

function fromParticipant(me: ParticipantView | undefined): Target {
  return {
    callId: GROUP_CALL_ID,
    group: true,
    kind: 'video',
    micMuted: me?.audioMuted ?? false,
    cameraMuted: me?.videoMuted ?? false,
    screenSharing: me?.streams.some((s) => s.purpose === 'm.screenshare') ?? false,
    onHold: false,
    canHold: false,
  };
}

export class CallControlsElement extends KitElement {
  /** Focusing the element (or clicking a part of it that takes no focus) focuses its first control. */
  static override shadowRootOptions: ShadowRootInit = { ...KitElement.shadowRootOptions, delegatesFocus: true };

  @property({ attribute: false }) controller?: CallControllerApi;
  /** Which call to control; defaults to the first live call. */
  @property({ attribute: 'call-id' }) callId = '';
  @state() panel: Panel;

  protected readonly subscription = new ControllerSubscription(this);

  /** The call (or group call) these controls act on, if any. */
  target(): Target | undefined {
    const snapshot = this.subscription.snapshot;
    if (!snapshot) return undefined;
    const call = this.callId
      ? snapshot.calls.find((c) => c.id === this.callId)
      : snapshot.calls.find((c) => c.state !== 'ended' && c.state !== 'ringing');
    if (call) return fromCall(call);
    const group = snapshot.group;
    if (group && group.state !== 'idle') return fromParticipant(group.participants.find((p) => p.local));
    return undefined;
  }

  /** Flips one toggle (after the cancelable request-media-toggle event). */
  toggle(which: MediaToggle): void {
    const target = this.target();
    const controller = this.subscription.controller;
    if (!target || !controller) return;
    const on = {
      microphone: !target.micMuted,
      camera: !target.cameraMuted,
      'screen-share': !target.screenSharing,
      hold: !target.onHold,
    }[which];
    // `on` is the state asked for: for microphone and camera that is "muted".
    if (!this.emit(new MediaToggleRequestEvent(target.callId, which, on))) return;
    switch (which) {
      case 'microphone':
        void controller.setMicMuted(target.callId, on);
        break;
      case 'camera':
        void controller.setCameraMuted(target.callId, on);
        break;
      case 'screen-share':
        void controller.setScreenSharing(target.callId, on);
        break;
      case 'hold':
        void controller.setHold(target.callId, on);
        break;
    }
  }

  /** Hangs up the call, or leaves the group call (after the cancelable request-hangup event). */
  hangup(): void {
    const target = this.target();
    const controller = this.subscription.controller;
    if (!target || !controller) return;
    if (!this.emit(new HangupRequestEvent(target.callId))) return;
    this.panel = undefined;
    if (target.group) {
      void controller.leaveGroupCall();
    } else {
      void controller.hangup(target.callId);
    }
  }

  private togglePanel(panel: Exclude<Panel, undefined>) {
    this.panel = this.panel === panel ? undefined : panel;
    if (!this.panel) return;
    // The panel's element is defined when a panel first opens: focus moves in once it has rendered.
    void Promise.all([this.updateComplete, definePanelElement(panel)]).then(async () => {
      if (this.panel !== panel) return;
      const inner = this.renderRoot.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>(
        `#${panel}-panel > *`,
      );
      await inner?.updateComplete;
      if (this.panel !== panel) return;
      const first = inner?.shadowRoot?.querySelector<HTMLElement>('select, button, input') ?? inner;
      first?.focus();
    });
  }

  private onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape' && this.panel) {
      event.stopPropagation();
      event.preventDefault();
      const opener = this.panel;
      this.panel = undefined;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`[aria-controls="${opener}-panel"]`)?.focus(),
      );
    }
  }

  protected override render() {
    if (!this.subscription.controller) {
      return html`<p part="error" role="alert">${missingControllerMessage(this.tagName)}</p>`;
    }
    const t = this.target();
    if (!t) return nothing;
    // Hanging up (or leaving) runs: the button waits, so a second click does not do it twice.
    const ending = isPending(
      this.subscription.controller.snapshot,
      t.group ? 'leaveGroupCall' : 'hangup',
      t.callId,
    );
    const canShare = !!navigator.mediaDevices && 'getDisplayMedia' in navigator.mediaDevices;
    const button = (
      part: string,
      label: string,
      iconName: Parameters<typeof icon>[0],
      pressed: boolean,
      onClick: () => void,
    ) => html`<button
      part="control ${part}"
      class="control icon-only"
      aria-label=${label}
      title=${label}
      data-active=${pressed ? 'true' : 'false'}
      @click=${onClick}
    >
      ${icon(iconName)}
    </button>`;
    const hangupLabel = msg(t.group ? 'controls.leave' : 'controls.hangup');
    return html`
      <div part="base" class="wrap" @keydown=${this.onKeyDown}>
        <div part="bar" class="bar" role="toolbar" aria-label=${msg('controls.label')}>
          ${button('mic-button', msg(t.micMuted ? 'controls.micUnmute' : 'controls.mic'), t.micMuted ? 'micOff' : 'mic', t.micMuted, () =>
            this.toggle('microphone'),
          )}
          ${t.kind === 'video'
            ? button(
                'camera-button',
                msg(t.cameraMuted ? 'controls.cameraOn' : 'controls.camera'),
                t.cameraMuted ? 'cameraOff' : 'camera',
                t.cameraMuted,
                () => this.toggle('camera'),
              )
            : nothing}
          ${canShare
            ? button(
                'screen-share-button',
                msg(t.screenSharing ? 'controls.screenShareStop' : 'controls.screenShare'),
                'screen',
                t.screenSharing,
                () => this.toggle('screen-share'),
              )
            : nothing}
          ${t.canHold || t.onHold
            ? button('hold-button', msg(t.onHold ? 'controls.resume' : 'controls.hold'), 'pause', t.onHold, () =>
                this.toggle('hold'),
              )
            : nothing}
          <button
            part="control devices-button"
            class="control icon-only"
            aria-label=${msg('controls.devices')}
            title=${msg('controls.devices')}
            aria-expanded=${this.panel === 'devices' ? 'true' : 'false'}
            aria-controls="devices-panel"
            @click=${() => this.togglePanel('devices')}
          >
            ${icon('settings')}
          </button>
          ${t.group
            ? nothing
            : html`<button
                part="control keypad-button"
                class="control icon-only"
                aria-label=${msg('controls.keypad')}
                title=${msg('controls.keypad')}
                aria-expanded=${this.panel === 'keypad' ? 'true' : 'false'}
                aria-controls="keypad-panel"
                @click=${() => this.togglePanel('keypad')}
              >
                ${icon('keypad')}
              </button>`}
          <button
            part="control hangup-button"
            class="control danger hangup"
            ?disabled=${ending}
            aria-label=${hangupLabel}
            title=${hangupLabel}
            @click=${() => this.hangup()}
          >
            ${icon('hangup')}<span class="hangup-text">${hangupLabel}</span>
          </button>
        </div>
        ${this.panel === 'devices'
          ? html`<div id="devices-panel" part="panel" class="panel" role="group" aria-label=${msg('controls.devices')}>
              <device-select .controller=${this.subscription.controller}></device-select>
            </div>`
          : nothing}
        ${this.panel === 'keypad'
          ? html`<div id="keypad-panel" part="panel" class="panel" role="group" aria-label=${msg('controls.keypad')}>
              <dtmf-keypad call-id=${t.callId} .controller=${this.subscription.controller}></dtmf-keypad>
            </div>`
          : nothing}
      </div>
    `;
  }
}
