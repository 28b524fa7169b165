/**
 * Behaviour of <incoming-call>: who is calling (name, avatar or initials), what kind of call, and
 * answer with voice, answer with video, decline. Escape declines. Plays a generated ringtone while
 * shown (from the first user gesture when the browser's autoplay rules require one) and stops it on
 * answer, decline, or removal.
 *
 * Each choice is first a cancelable event (request-answer / request-reject); unless a listener vetoes
 * it, the element calls the controller (explicit `.controller`, else context) when it has one.
 *
 * Never: decides whether a call rings; it shows what it is given.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { CallControllerApi, CallKind, PersonView } from '../../../src/snapshot.js';
import { GROUP_CALL_ID, isPending } from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { ControllerSubscription } from '../../internal/controller-subscription.js';
import { AnswerRequestEvent, RejectRequestEvent } from '../../internal/events.js';
import { icon } from '../../internal/icons.js';
import { initials, msg } from '../../internal/messages.js';
import { Ringtone } from '../../internal/audio.js';

export class IncomingCallElement extends KitElement {
  /** Focusing the element (or clicking a part of it that takes no focus) focuses its first control. */
  static override shadowRootOptions: ShadowRootInit = {
    ...KitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** Optional: without it the element only emits events. */
  @property({ attribute: false }) controller?: CallControllerApi;
  /** Who is calling. */
  @property({ attribute: false }) caller?: PersonView;
  @property({ attribute: 'call-id' }) callId = '';
  @property({ reflect: true }) kind: CallKind = 'voice';
  /** A group call's ring (MSC4075): answering joins the group call. */
  @property({ type: Boolean, reflect: true }) group = false;
  /** Another call is connected: shown as "call waiting", without a ringtone. */
  @property({ type: Boolean, reflect: true }) waiting = false;
  /** No ringtone. */
  @property({ type: Boolean, reflect: true }) silent = false;

  protected readonly subscription = new ControllerSubscription(this);
  readonly ringtone = new Ringtone();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeydown);
    this.ringtone.stop();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('silent') || changed.has('waiting')) {
      if (this.silent || this.waiting) this.ringtone.stop();
      else if (this.isConnected) this.ringtone.start();
    }
  }

  /** Focus goes to "answer with voice", the safe default for Enter. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLButtonElement>('[part~="answer-voice-button"]')?.focus(options);
  }

  /** Answers (after the cancelable request-answer event). */
  answer(kind: CallKind): void {
    if (!this.emit(new AnswerRequestEvent(this.callId, kind))) return;
    this.ringtone.stop();
    const controller = this.subscription.controller;
    if (!controller) return;
    if (this.group) {
      void controller.joinGroupCall(kind);
    } else {
      void controller.answer(this.callId, kind);
    }
  }

  /**
   * Declines (after the cancelable request-reject event). A group ring is declined to everyone
   * (MSC4310).
   */
  reject(): void {
    if (!this.emit(new RejectRequestEvent(this.callId))) return;
    this.ringtone.stop();
    const controller = this.subscription.controller;
    if (!controller) return;
    if (this.group) void controller.declineGroupCall();
    else void controller.reject(this.callId);
  }

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      this.reject();
    }
  };

  private get kindText(): string {
    if (this.waiting) return msg('incoming.waiting');
    if (this.group) return msg('incoming.group');
    return msg(this.kind === 'video' ? 'incoming.video' : 'incoming.voice');
  }

  /** The answer (or the group join) runs: its buttons wait, so a second click does not answer twice. */
  private get answering(): boolean {
    const snapshot = this.subscription.controller?.snapshot;
    if (!snapshot) return false;
    return this.group
      ? isPending(snapshot, 'joinGroupCall', GROUP_CALL_ID)
      : isPending(snapshot, 'answer', this.callId);
  }

  protected override render() {
    const name = this.caller?.displayName || this.caller?.userId || '';
    const answering = this.answering;
    return html`
      <section
        part="base"
        class="incoming"
        role="alertdialog"
        aria-labelledby="caller"
        aria-describedby="kind"
      >
        <div part="avatar" class="avatar">
          ${
            this.caller?.avatarUrl
              ? html`<img src=${this.caller.avatarUrl} alt="" />`
              : html`<span aria-hidden="true">${initials(name)}</span>`
          }
        </div>
        <h2 id="caller" part="caller">${name}</h2>
        <p id="kind" part="kind">${this.kindText}</p>
        <div part="actions" class="actions">
          <button
            part="answer-voice-button"
            class="control primary"
            ?disabled=${answering}
            @click=${() => this.answer('voice')}
          >
            ${icon('phone')}<span>${msg('incoming.answerVoice')}</span>
          </button>
          ${
            this.kind === 'video'
              ? html`<button
                  part="answer-video-button"
                  class="control primary"
                  ?disabled=${answering}
                  @click=${() => this.answer('video')}
                >
                  ${icon('camera')}<span>${msg('incoming.answerVideo')}</span>
                </button>`
              : nothing
          }
          <button part="reject-button" class="control danger" @click=${() => this.reject()}>
            ${icon('hangup')}<span>${msg('incoming.reject')}</span>
          </button>
        </div>
      </section>
    `;
  }
}
