/**
 * Behaviour of <ptt-messages>: the walkie-talkie channel's recent transmissions, oldest first, from the
 * controller's `snapshot.ptt.transmissions`. Each item names its sender, time and length, and says whether
 * it is new (missed, or said before this device came), queued, playing or paused; its button plays it, or
 * pauses it while it plays ("Play Alice’s message, 0:04"). The playing one is marked (aria-current).
 * Arrow keys move between the items' buttons; Tab leaves the list.
 *
 * Never: plays audio or fetches files (the controller's pttPlay / pttPause do), or decides what is listed.
 */
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { CallControllerApi, TransmissionView } from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { ControllerSubscription } from '../../internal/controller-subscription.js';
import { icon } from '../../internal/icons.js';
import { formatDuration, initials, msg, type MessageKey } from '../../internal/messages.js';

export class PttMessagesElement extends KitElement {
  /** Focusing the element (or clicking a part of it that takes no focus) focuses its first control. */
  static override shadowRootOptions: ShadowRootInit = {
    ...KitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  @property({ attribute: false }) controller?: CallControllerApi;

  protected readonly subscription = new ControllerSubscription(this);

  private get transmissions(): readonly TransmissionView[] {
    return this.subscription.snapshot?.ptt?.transmissions ?? [];
  }

  /** Plays the transmission, or pauses it while it plays. */
  toggle(id: string): void {
    const controller = this.subscription.controller;
    if (!controller) return;
    const item = this.transmissions.find((t) => t.id === id);
    if (item?.state === 'playing') controller.pttPause();
    else controller.pttPlay(id);
  }

  private label(t: TransmissionView): string {
    const duration = formatDuration(t.durationMs);
    const playing = t.state === 'playing';
    if (t.own) return msg(playing ? 'ptt.pauseOwn' : 'ptt.playOwn', { duration });
    const name = t.sender.displayName || t.sender.userId;
    return msg(playing ? 'ptt.pause' : 'ptt.play', { name, duration });
  }

  private onKeyDown(event: KeyboardEvent): void {
    const moves: Record<string, (at: number, count: number) => number> = {
      ArrowDown: (at, count) => Math.min(count - 1, at + 1),
      ArrowUp: (at) => Math.max(0, at - 1),
      Home: () => 0,
      End: (_at, count) => count - 1,
    };
    const move = moves[event.key];
    if (!move) return;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[part~="play-button"]')];
    const at = buttons.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    buttons[move(at, buttons.length)]?.focus();
  }

  protected override render() {
    const list = this.transmissions;
    const canPlay = this.subscription.controller !== undefined;
    return html`<section part="base" class="messages" aria-labelledby="title">
      <h3 id="title" part="title" class="title">${msg('ptt.messages')}</h3>
      ${
        list.length === 0
          ? html`<p part="empty" class="empty">${msg('ptt.noMessages')}</p>`
          : html`<ol part="list" class="list" @keydown=${this.onKeyDown}>
              ${list.map((t) => this.renderItem(t, canPlay))}
            </ol>`
      }
    </section>`;
  }

  private renderItem(t: TransmissionView, canPlay: boolean) {
    const name = t.own ? msg('ptt.you') : t.sender.displayName || t.sender.userId;
    const label = this.label(t);
    const stateText = t.state === 'played' ? '' : msg(`ptt.state.${t.state}` as MessageKey);
    const at = new Date(t.sentAt);
    return html`<li
      part="item ${t.state}"
      class="item"
      data-state=${t.state}
      data-id=${t.id}
      aria-current=${t.state === 'playing' ? 'true' : nothing}
    >
      ${
        canPlay
          ? html`<button
              part="play-button"
              class="play"
              aria-label=${label}
              title=${label}
              @click=${() => this.toggle(t.id)}
            >
              ${icon(t.state === 'playing' ? 'pause' : 'play')}
            </button>`
          : nothing
      }
      <span class="avatar" aria-hidden="true"
        >${t.sender.avatarUrl ? html`<img src=${t.sender.avatarUrl} alt="" />` : initials(name)}</span
      >
      <span class="text">
        <span part="sender" class="sender">${name}</span>
        <span class="meta">
          <time part="time" datetime=${at.toISOString()}
            >${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time
          >
          · <span part="duration">${formatDuration(t.durationMs)}</span>
        </span>
      </span>
      ${stateText ? html`<span part="state" class="state">${stateText}</span>` : nothing}
    </li>`;
  }
}
