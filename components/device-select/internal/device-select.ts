/**
 * Behaviour of <device-select>: one labelled list per device kind (microphone, camera, speaker),
 * kept current on `devicechange`. Choosing one emits the cancelable `request-device-select` event and,
 * unless vetoed, calls the controller's selectDevice() (explicit `.controller`, else context).
 *
 * Speakers: the controller records the choice; playing through it (setSinkId on the call's <audio>
 * elements) is the job of whoever plays the sound, e.g. <matrix-call>, which listens for the event.
 *
 * Never: opens devices itself.
 */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallControllerApi } from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { ControllerSubscription } from '../../internal/controller-subscription.js';
import { DeviceList } from '../../internal/device-list.js';
import { DeviceSelectRequestEvent } from '../../internal/events.js';
import { msg } from '../../internal/messages.js';

const ALL_KINDS: readonly MediaDeviceKind[] = ['audioinput', 'videoinput', 'audiooutput'];

export class DeviceSelectElement extends KitElement {
  /** Focusing the element (or clicking a part of it that takes no focus) focuses its first control. */
  static override shadowRootOptions: ShadowRootInit = { ...KitElement.shadowRootOptions, delegatesFocus: true };

  @property({ attribute: false }) controller?: CallControllerApi;
  /** Which lists to show, space separated: audioinput videoinput audiooutput. */
  @property() kinds = ALL_KINDS.join(' ');

  /** The chosen device per kind (the in-use device when known). */
  @state() selected: Partial<Record<MediaDeviceKind, string>> = {};

  protected readonly subscription = new ControllerSubscription(this);
  readonly deviceList = new DeviceList(this);

  private get shownKinds(): MediaDeviceKind[] {
    const wanted = this.kinds.split(/\s+/);
    const canPickSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
    return ALL_KINDS.filter((k) => wanted.includes(k) && (k !== 'audiooutput' || canPickSpeaker));
  }

  /** The device a live local track uses, so the list starts on what is in use. */
  private inUse(kind: MediaDeviceKind): string | undefined {
    const calls = this.subscription.snapshot?.calls ?? [];
    for (const call of calls) {
      if (call.state === 'ended') continue;
      for (const view of call.localStreams) {
        const tracks = kind === 'audioinput' ? view.stream.getAudioTracks() : view.stream.getVideoTracks();
        const id = tracks.find((t) => t.readyState === 'live')?.getSettings().deviceId;
        if (id) return id;
      }
    }
    return undefined;
  }

  /** Chooses a device (after the cancelable request-device-select event). */
  choose(kind: MediaDeviceKind, deviceId: string): void {
    if (!this.emit(new DeviceSelectRequestEvent(kind, deviceId))) {
      this.requestUpdate();
      return;
    }
    this.selected = { ...this.selected, [kind]: deviceId };
    void this.subscription.controller?.selectDevice(kind, deviceId);
  }

  protected override render() {
    return html`<div part="base" class="devices" role="group" aria-label=${msg('devices.label')}>
      ${this.shownKinds.map((kind) => this.renderKind(kind))}
    </div>`;
  }

  private renderKind(kind: MediaDeviceKind) {
    const devices = this.deviceList.of(kind);
    const current = this.selected[kind] ?? (kind !== 'audiooutput' ? this.inUse(kind) : undefined);
    const kindName = msg(`devices.${kind}`);
    return html`<div class="field" part="field">
      <label part="label" for=${kind}>${kindName}</label>
      <select
        id=${kind}
        part="select"
        ?disabled=${devices.length === 0}
        @change=${(e: Event) => this.choose(kind, (e.target as HTMLSelectElement).value)}
      >
        ${devices.length === 0 ? html`<option value="">${msg('devices.none')}</option>` : nothing}
        ${devices.map(
          (d, i) =>
            html`<option value=${d.deviceId} ?selected=${d.deviceId === current}>
              ${d.label || msg('devices.unnamed', { kind: kindName, n: i + 1 })}
            </option>`,
        )}
      </select>
    </div>`;
  }
}
