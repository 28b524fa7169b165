/**
 * Behaviour of <ptt-button>: push-to-talk held with the pointer or with Space / Enter, or toggled
 * (mode="toggle"). Shows the floor: idle, requesting, talking (with the time left), someone else
 * talking (with their name), not permitted, off. While someone else talks the button itself reads
 * "Alice is talking" and is marked disabled (aria-disabled): it never offers "Hold to talk" then.
 *
 * The floor comes from the controller's `snapshot.ptt` when there is a controller with one, else from
 * the `floor`, `talker` and `ends-at` attributes. Presses are `ptt-press` / `ptt-release` events
 * (press is cancelable); unless vetoed, the controller's optional pttPress() / pttRelease() are called
 * when it has them.
 *
 * Sounds a short cue when this device starts talking, when its transmission ends and when a press is
 * refused (components/internal/ptt-sounds.ts), unless `silent`.
 *
 * Never: arbitrates the floor or records audio; the floor-control engine does.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallControllerApi, FloorState } from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { ControllerSubscription } from '../../internal/controller-subscription.js';
import { PttPressEvent, PttReleaseEvent } from '../../internal/events.js';
import { icon } from '../../internal/icons.js';
import { msg } from '../../internal/messages.js';
import {
  cueForFloorChange,
  defaultPttSounds,
  type PttCue,
  type PttSoundPlayer,
} from '../../internal/ptt-sounds.js';

export type PttMode = 'hold' | 'toggle';

export class PttButtonElement extends KitElement {
  static override shadowRootOptions: ShadowRootInit = {
    ...KitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  @property({ attribute: false }) controller?: CallControllerApi;
  /** hold: talk while held. toggle: press once to talk, again to stop. */
  @property({ reflect: true }) mode: PttMode = 'hold';
  /** The floor when no controller gives one. Mirrored from the controller's snapshot otherwise. */
  @property({ reflect: true }) floor: FloorState = 'idle';
  /** Who holds the floor while `floor` is "listening" (without a controller). */
  @property() talker = '';
  /** Epoch ms when this side's transmission must end (without a controller). */
  @property({ type: Number, attribute: 'ends-at' }) endsAt?: number;
  /** True while this button is held down (or toggled on). */
  @property({ type: Boolean, reflect: true }) pressed = false;
  /** No start, end or blocked sounds. */
  @property({ type: Boolean, reflect: true }) silent = false;
  /** What the cues are played through; the page's shared Web Audio context unless replaced. */
  @property({ attribute: false }) sounds: PttSoundPlayer = defaultPttSounds;

  @state() private now = Date.now();
  protected readonly subscription = new ControllerSubscription(this);
  private ticker?: ReturnType<typeof setInterval>;
  /** The floor the last cue was chosen from; undefined until the first render. */
  private cuedFloor?: FloorState;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('blur', this.onWindowBlur);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('blur', this.onWindowBlur);
    this.stopTicker();
    if (this.pressed) this.release();
  }

  private get ptt() {
    return this.subscription.snapshot?.ptt;
  }

  private get talkerName(): string {
    return this.ptt?.talker?.displayName ?? this.talker;
  }

  private get floorEndsAt(): number | undefined {
    return this.ptt ? this.ptt.floorEndsAt : this.endsAt;
  }

  /** Pressing would do nothing: not permitted, off, or someone else holds the floor. */
  private get blocked(): boolean {
    return this.floor === 'denied' || this.floor === 'off' || this.floor === 'listening';
  }

  /** The button's own words: what pressing does, or why it does nothing now ("Alice is talking"). */
  private buttonLabel(): string {
    if (this.blocked) return this.statusText();
    return msg(this.mode === 'toggle' ? 'ptt.toggle' : 'ptt.hold');
  }

  protected override willUpdate(): void {
    const ptt = this.ptt;
    if (ptt) this.floor = ptt.floor;
    this.now = Date.now();
    if (this.blocked && this.pressed) this.release();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('floor')) {
      const cue = cueForFloorChange(this.cuedFloor, this.floor);
      this.cuedFloor = this.floor;
      if (cue) this.cue(cue);
      if (this.floor === 'talking' && this.floorEndsAt !== undefined) this.startTicker();
      else this.stopTicker();
    }
    this.setCustomStates({
      pressed: this.pressed,
      talking: this.floor === 'talking',
      requesting: this.floor === 'requesting',
      listening: this.floor === 'listening',
      denied: this.floor === 'denied',
    });
  }

  /** Asks for the floor. Returns false when vetoed or not allowed. */
  press(): boolean {
    if (this.pressed) return false;
    if (this.blocked) {
      if (this.floor === 'denied' || this.floor === 'listening') this.cue('blocked');
      return false;
    }
    if (!this.emit(new PttPressEvent())) return false;
    if (!this.silent) this.sounds.prepare?.();
    this.pressed = true;
    const controller = this.subscription.controller;
    controller?.pttPress();
    return true;
  }

  /** Gives the floor back. */
  release(): void {
    if (!this.pressed) return;
    this.pressed = false;
    this.emit(new PttReleaseEvent());
    const controller = this.subscription.controller;
    controller?.pttRelease();
  }

  private cue(cue: PttCue): void {
    if (!this.silent) this.sounds.play(cue);
  }

  private startTicker(): void {
    this.stopTicker();
    this.ticker = setInterval(() => (this.now = Date.now()), 250);
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private readonly onWindowBlur = () => {
    if (this.mode === 'hold') this.release();
  };

  private onPointerDown(event: PointerEvent) {
    if (this.mode !== 'hold' || event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    (event.currentTarget as HTMLElement).focus();
    this.press();
  }

  private onPointerUp() {
    if (this.mode === 'hold') this.release();
  }

  private onKeyDown(event: KeyboardEvent) {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    if (this.mode !== 'hold') return; // toggle mode uses the button's own click
    event.preventDefault();
    if (!event.repeat) this.press();
  }

  private onKeyUp(event: KeyboardEvent) {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    if (this.mode !== 'hold') return;
    event.preventDefault();
    this.release();
  }

  private onClick() {
    if (this.mode !== 'toggle') return;
    if (this.pressed) this.release();
    else this.press();
  }

  private onBlur() {
    if (this.mode === 'hold') this.release();
  }

  /** The status line under the button (the countdown is shown, not announced every second). */
  statusText(): string {
    switch (this.floor) {
      case 'requesting':
        return msg('ptt.requesting');
      case 'talking': {
        const endsAt = this.floorEndsAt;
        if (endsAt === undefined) return msg('ptt.talkingNoLimit');
        return msg('ptt.talking', { seconds: Math.max(0, Math.ceil((endsAt - this.now) / 1000)) });
      }
      case 'listening':
        return this.talkerName
          ? msg('ptt.listening', { name: this.talkerName })
          : msg('ptt.listeningUnknown');
      case 'denied':
        return msg('ptt.denied');
      case 'off':
        return msg('ptt.off');
      default:
        return '';
    }
  }

  private remainingFraction(): number | undefined {
    const endsAt = this.floorEndsAt;
    const max = this.ptt?.maxTransmitMs;
    if (this.floor !== 'talking' || endsAt === undefined || !max) return undefined;
    return Math.min(1, Math.max(0, (endsAt - this.now) / max));
  }

  protected override render() {
    const status = this.statusText();
    const fraction = this.remainingFraction();
    const queued = this.ptt?.queuedRecordings ?? 0;
    return html`
      <div part="base" class="ptt" data-floor=${this.floor}>
        <button
          part="button"
          class="talk"
          aria-pressed=${this.pressed || this.floor === 'talking' ? 'true' : 'false'}
          aria-disabled=${this.blocked ? 'true' : 'false'}
          aria-describedby="status"
          @pointerdown=${this.onPointerDown}
          @pointerup=${this.onPointerUp}
          @pointercancel=${this.onPointerUp}
          @lostpointercapture=${this.onPointerUp}
          @keydown=${this.onKeyDown}
          @keyup=${this.onKeyUp}
          @click=${this.onClick}
          @blur=${this.onBlur}
          @contextmenu=${(e: Event) => e.preventDefault()}
        >
          ${icon('walkie')}
          <span part="label">${this.buttonLabel()}</span>
        </button>
        ${
          fraction !== undefined
            ? html`<div part="progress" class="progress" aria-hidden="true">
                <span style="inline-size:${(fraction * 100).toFixed(1)}%"></span>
              </div>`
            : nothing
        }
        <p id="status" part="status" class="status" role="status">
          ${
            this.floor === 'talking' && this.floorEndsAt !== undefined
              ? html`<span class="visually-hidden">${msg('ptt.talkingNoLimit')}</span
                  ><span aria-hidden="true">${status}</span>`
              : status
          }
        </p>
        ${queued > 0 ? html`<p part="queued" class="queued">${queued === 1 ? msg('ptt.queuedOne') : msg('ptt.queued', { count: queued })}</p>` : nothing}
      </div>
    `;
  }
}
