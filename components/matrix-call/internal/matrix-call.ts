/**
 * Behaviour of <matrix-call>: the whole call UI for one room. It picks a screen from the controller's
 * snapshot (see view-model.ts): starting, error, idle, incoming, in call (1:1 or group), walkie-talkie,
 * ended; hands its controller to the elements inside it through context; plays the remote sound
 * through hidden <audio> elements; announces each transition in a live region.
 *
 * Where the controller comes from: the `.controller` property, else a context provider above, else
 * `MatrixCallElement.controllerFactory` (the widget entry sets it to build one from the widget URL
 * parameters), else a clear message on screen.
 *
 * Who ends the calls when the element goes away: a controller the page passed in (`.controller`,
 * context) belongs to the page, and removing the element leaves its calls running: the page ends them
 * (hang up, leave, or `close()` the CallController). A controller the element built through the
 * factory belongs to the elements that built it: when the last of them leaves the document (and is not
 * put back at once, as a move does), its calls end and their media is released (owned-controller.ts).
 *
 * Layout (docs/theming.md has the parts): a 1:1 video call shows the other side large in its own
 * aspect ratio with the self view as a small movable picture-in-picture (click it to swap); a voice
 * call shows an avatar and name; a group call a grid whose tile count per row follows the stage's shape
 * (see stage-layout.ts), or a spotlight on the active speaker; a screen share takes the main area with
 * the cameras as a strip. Hold and reconnecting are overlays on the stage; errors from actions during
 * a call show as a banner on the screen in use. Focus moves only while it is already inside the
 * element (or this frame has focus and nothing holds it), so the widget never takes it from the host.
 *
 * Never: touches RTCPeerConnection, the transport or Matrix events; every action is a controller call.
 */
import { ContextProvider } from '@lit/context';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type {
  CallControllerApi,
  CallControllerView,
  CallKind,
  CallView,
  ConnectionHealth,
  KitError,
  PersonView,
  StreamView,
} from '../../../src/snapshot.js';
import { GROUP_CALL_ID, isPending } from '../../../src/snapshot.js';
import type { FocusApprovals, FocusChooser } from '../../../src/group/focus-approvals.js';
import { KitElement } from '../../internal/base-element.js';
import { callControllerContext } from '../../internal/context.js';
import { ControllerSubscription, missingControllerMessage } from '../../internal/controller-subscription.js';
import {
  JoinGroupRequestEvent,
  PlaceCallRequestEvent,
  WalkieTalkieRequestEvent,
  type TileAspectEvent,
} from '../../internal/events.js';
import { icon } from '../../internal/icons.js';
import { formatDuration, initials, msg, type MessageKey } from '../../internal/messages.js';
import type { TileQuality } from '../../call-tile/internal/call-tile.js';
import { fitGrid, nearestCorner, type Corner } from './stage-layout.js';
import { renderUnreceived } from './focus-question.js';
import { focusAsking, loadFocusAsking } from './focus-asking-loader.js';
import { ownControllerElementLeft, showsOwnController } from './owned-controller.js';
import { defineWalkieElements } from './walkie-elements.js';
import {
  announcementOf,
  callStatusText,
  declinedText,
  ringingOutText,
  durationText,
  endReasonText,
  endedTitle,
  modeAllows,
  viewModelOf,
  membershipNotice,
  formatList,
  type MatrixCallView,
  type ViewModel,
} from './view-model.js';
import '../../call-tile/call-tile.js';
import '../../call-controls/call-controls.js';
import '../../incoming-call/incoming-call.js';

/** Builds a controller for an element that was given none (the widget entry installs one). */
export type ControllerFactory = (host: HTMLElement) => CallControllerApi | Promise<CallControllerApi>;

const QUALITY: Record<ConnectionHealth, TileQuality> = {
  new: 'unknown',
  checking: 'fair',
  connected: 'good',
  disconnected: 'poor',
  failed: 'lost',
  closed: 'unknown',
};

const ALL_VIEWS: readonly MatrixCallView[] = [
  'no-controller',
  'starting',
  'error',
  'idle',
  'incoming',
  'in-call',
  'group-call',
  'walkie-talkie',
  'ended',
];

/** One tile on the stage. */
interface TileSpec {
  readonly key: string;
  readonly person: PersonView;
  readonly stream?: StreamView;
  readonly local: boolean;
  readonly screenShare: boolean;
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
  readonly quality: TileQuality;
  /** Speaking from the snapshot (group calls); undefined lets the tile measure it. */
  readonly speaking?: boolean;
}

export class MatrixCallElement extends KitElement {
  /** Focusing the element (or clicking a part of it that takes no focus) focuses its first control. */
  static override shadowRootOptions: ShadowRootInit = {
    ...KitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /**
   * The hook that builds a controller when a page gives none (no `.controller`, no context). The
   * widget entry sets it, e.g. `MatrixCallElement.controllerFactory = (el) => controllerFromWidgetUrl(...)`.
   */
  static controllerFactory?: ControllerFactory;

  @property({ attribute: false }) controller?: CallControllerApi;

  /**
   * The person's answers about media servers their side does not trust: the question shown, and the
   * servers agreed to in this session. Made (with its code loaded) when the first question is asked.
   */
  focusApprovals?: FocusApprovals;

  /**
   * Asks the person, in this element, whether to join through a media server that another member chose
   * and their side does not trust; resolves true to join. Hand it to the LiveKit backend as
   * `liveKitBackend({ approveFocus: el.approveFocus })` (the widget entry does). Asked while the element
   * is not in the document, the answer is no.
   */
  readonly approveFocus = (
    focus: { readonly serviceUrl: string },
    namedBy: FocusChooser,
  ): Promise<boolean> => {
    if (!this.isConnected) return Promise.resolve(false);
    if (this.focusApprovals) return this.focusApprovals.approveFocus(focus, namedBy);
    return loadFocusAsking().then(
      ({ FocusApprovals }) => {
        if (!this.isConnected) return false;
        if (!this.focusApprovals) {
          this.focusApprovals = new FocusApprovals();
          this.focusApprovals.addEventListener('change', this.onFocusQuestion);
        }
        return this.focusApprovals.approveFocus(focus, namedBy);
      },
      (error: unknown) => {
        // The question's code could not be fetched: nobody can agree, so the answer is no.
        console.warn('matrix call kit: the media server question did not load', error);
        return false;
      },
    );
  };
  /** light, dark or auto (prefers-color-scheme); any value containing "light" or "dark" works. */
  @property({ reflect: true }) theme = 'auto';
  /** auto, or any of: call group walkie-talkie (space separated). */
  @property({ reflect: true }) mode = 'auto';
  /** No ringtone for incoming calls, and no walkie-talkie sounds. */
  @property({ type: Boolean, reflect: true }) silent = false;
  /** The screen shown; reflected for styling and tests. Read only. */
  @property({ reflect: true }) view: MatrixCallView = 'no-controller';

  @state() private factoryError?: string;
  @state() private closedCallId?: string;
  @state() private announcement = '';
  @state() private audioBlocked = false;
  @state() private now = Date.now();
  /** 1:1: the self view is large and the other side small. */
  @state() private swapped = false;
  @state() private pipCorner: Corner = 'bottom-end';
  /** Group: the active speaker large, the others in a strip. */
  @state() private spotlightOn = false;
  @state() private stageSize = { width: 0, height: 0 };
  @state() private aspects: Record<string, number> = {};
  @state() private dismissedError?: KitError;
  @state() private groupNotice = '';

  protected readonly subscription = new ControllerSubscription(this);
  private readonly provider = new ContextProvider(this, { context: callControllerContext });
  private model: ViewModel = { view: 'no-controller' };
  private announcementKey?: string;
  private ticker?: ReturnType<typeof setInterval>;
  private sinkId?: string;
  private factoryStarted = false;
  /** The controller this element built through the factory (it ends its calls on leaving: see above). */
  private ownController?: CallControllerApi;
  private groupMembers?: Map<string, string>;
  private stageObserver?: ResizeObserver;
  private observedStage?: Element;
  private drag?: { pointerId: number; dx: number; dy: number; moved: boolean };

  override connectedCallback(): void {
    super.connectedCallback();
    this.focusApprovals?.addEventListener('change', this.onFocusQuestion);
    this.addEventListener('request-device-select', this.onDeviceSelect);
    if (this.ownController) showsOwnController(this.ownController, this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.focusApprovals?.removeEventListener('change', this.onFocusQuestion);
    // Nobody sees a question any more: no. A move in the document (back at once) keeps it.
    queueMicrotask(() => {
      if (!this.isConnected) this.focusApprovals?.declineAll();
    });
    if (this.ownController) void ownControllerElementLeft(this.ownController, this);
    this.removeEventListener('request-device-select', this.onDeviceSelect);
    this.stopTicker();
    this.stageObserver?.disconnect();
    this.observedStage = undefined;
  }

  protected override firstUpdated(): void {
    void this.buildControllerIfNeeded();
  }

  private async buildControllerIfNeeded(): Promise<void> {
    const factory = (this.constructor as typeof MatrixCallElement).controllerFactory;
    if (this.subscription.controller || !factory || this.factoryStarted) return;
    this.factoryStarted = true;
    try {
      const built = await factory(this);
      if (!this.subscription.controller) {
        this.controller = built;
        this.ownController = built;
        showsOwnController(built, this);
        // Removed while the factory was building: nothing shows the calls.
        if (!this.isConnected) void ownControllerElementLeft(built, this);
      }
    } catch (error) {
      this.factoryError = error instanceof Error ? error.message : String(error);
    }
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const controller = this.subscription.controller;
    if (this.provider.value !== controller) this.provider.setValue(controller);
    const snapshot = controller?.snapshot;
    this.model = snapshot ? viewModelOf(snapshot, this.mode, this.closedCallId) : { view: 'no-controller' };
    this.view = this.model.view;
    const said = snapshot ? announcementOf(this.model, snapshot, this.announcementKey) : undefined;
    if (said && said.key !== this.announcementKey) {
      this.announcementKey = said.key;
      this.announcement = said.text;
    }
    if (snapshot) this.trackGroupMembers(snapshot);
    const ticking = this.model.view === 'in-call' && this.model.call?.connectedAt !== undefined;
    if (ticking && !this.ticker) this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!ticking) this.stopTicker();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.syncAudio();
    this.observeStage();
    this.setCustomStates(Object.fromEntries(ALL_VIEWS.map((v) => [v, v === this.view])));
    if (changed.has('view') && changed.get('view') !== undefined) this.moveFocusToView();
    this.followFocusQuestion();
  }

  private readonly onFocusQuestion = () => this.requestUpdate();

  /** The question shown last, to move focus once when one appears and back when it is answered. */
  private shownQuestion?: string;

  /**
   * Focus goes into a new question (on its safe answer, "Don't join") when it was inside the element
   * or lost, as it does for a new screen; after the answer it goes back to the screen's heading.
   */
  private followFocusQuestion(): void {
    const question = this.focusApprovals?.pending;
    const key = question ? `${question.serviceUrl}|${question.namedBy.userId}` : undefined;
    if (key === this.shownQuestion) return;
    const hadQuestion = this.shownQuestion !== undefined;
    this.shownQuestion = key;
    const active = document.activeElement;
    const mayMove = active === this || ((active === document.body || active === null) && document.hasFocus());
    if (!mayMove) return;
    if (question) {
      this.renderRoot.querySelector<HTMLElement>('[part~="focus-decline-button"]')?.focus();
    } else if (hadQuestion) {
      this.focusHeading();
    }
  }

  /** Whether keyboard focus is inside the focus question. */
  private focusInQuestion(): boolean {
    const inner = (this.renderRoot as ShadowRoot).activeElement;
    return !!inner?.closest('[part~="focus-question"]');
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** Focus follows the screen when it was inside the element or lost (the pressed button vanished). */
  private moveFocusToView(): void {
    // The question about a media server keeps focus until it is answered.
    if (this.focusInQuestion()) return;
    const active = document.activeElement;
    if (active !== this && active !== document.body && active !== null) return;
    // In a widget iframe the host page may hold focus: then this document has none to move.
    if (active !== this && !document.hasFocus()) return;
    // A ring never takes focus: it is announced, and Answer is one Tab away.
    if (active !== this && this.view === 'incoming') return;
    if (this.view === 'incoming') {
      this.renderRoot.querySelector('incoming-call')?.focus();
      return;
    }
    this.focusHeading();
  }

  /** Focus on the screen's heading, focusable only while it holds focus (the host's delegated focus
   * goes to the first control). */
  private focusHeading(): void {
    const heading = this.renderRoot.querySelector<HTMLElement>('[data-view-heading]');
    if (!heading) return;
    heading.tabIndex = -1;
    heading.addEventListener('blur', () => heading.removeAttribute('tabindex'), { once: true });
    heading.focus();
  }

  // ---- sound ---------------------------------------------------------------------------------------

  private remoteAudioStreams(): StreamView[] {
    const snapshot = this.subscription.snapshot;
    if (!snapshot) return [];
    if (this.model.view === 'in-call' && this.model.call) return [...this.model.call.remoteStreams];
    if (this.model.view === 'group-call' && snapshot.group) {
      return snapshot.group.participants.filter((p) => !p.local).flatMap((p) => p.streams);
    }
    return [];
  }

  private syncAudio(): void {
    for (const audio of this.renderRoot.querySelectorAll<HTMLAudioElement>('audio[data-stream]')) {
      const view = this.remoteAudioStreams().find((s) => s.id === audio.dataset.stream);
      if (!view || audio.srcObject === view.stream) continue;
      audio.srcObject = view.stream;
      if (this.sinkId && 'setSinkId' in audio) void audio.setSinkId(this.sinkId).catch(() => {});
      audio.play().then(
        () => (this.audioBlocked = false),
        (error: unknown) => {
          if (error instanceof DOMException && error.name === 'NotAllowedError') this.audioBlocked = true;
        },
      );
    }
  }

  private enableSound(): void {
    for (const audio of this.renderRoot.querySelectorAll<HTMLAudioElement>('audio[data-stream]')) {
      void audio.play().catch(() => {});
    }
    this.audioBlocked = false;
  }

  private readonly onDeviceSelect = (event: Event & { kind?: MediaDeviceKind; deviceId?: string }) => {
    if (event.kind !== 'audiooutput' || event.defaultPrevented || !event.deviceId) return;
    this.sinkId = event.deviceId;
    for (const audio of this.renderRoot.querySelectorAll<HTMLAudioElement>('audio[data-stream]')) {
      if ('setSinkId' in audio) void audio.setSinkId(event.deviceId).catch(() => {});
    }
  };

  // ---- actions -------------------------------------------------------------------------------------

  /** Places a 1:1 call (after the cancelable request-place-call event). */
  placeCall(kind: CallKind): void {
    const controller = this.subscription.controller;
    if (!controller || !this.emit(new PlaceCallRequestEvent(kind))) return;
    void controller.placeCall(kind);
  }

  /** Joins (or starts) the room's group call (after the cancelable request-join-group event). */
  joinGroupCall(kind: CallKind): void {
    const controller = this.subscription.controller;
    if (!controller || !this.emit(new JoinGroupRequestEvent(kind))) return;
    void controller.joinGroupCall(kind);
  }

  /** Turns walkie-talkie mode on or off (after the cancelable request-walkie-talkie event). */
  setWalkieTalkie(on: boolean): void {
    const controller = this.subscription.controller;
    if (!controller || !this.emit(new WalkieTalkieRequestEvent(on))) return;
    void controller.setPttOptIn(on);
  }

  private closeEnded(): void {
    this.closedCallId = this.model.call?.id;
  }

  // ---- rendering -----------------------------------------------------------------------------------

  protected override render() {
    const snapshot = this.subscription.snapshot;
    return html`
      <div part="base" class="base" data-view=${this.view}>
        ${snapshot ? this.renderView(snapshot) : this.renderNoController()}
        ${this.renderFocusQuestion(snapshot)}
        <div part="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          ${this.announcement}
        </div>
      </div>
    `;
  }

  private renderView(snapshot: CallControllerView): TemplateResult {
    switch (this.model.view) {
      case 'starting':
        return html`<section part="view starting" class="view centered">
          <div class="spinner" aria-hidden="true"></div>
          <p role="status">${msg('status.starting')}</p>
        </section>`;
      case 'error':
        return this.renderError(snapshot);
      case 'incoming':
        return this.renderIncoming(false);
      case 'in-call':
        return this.renderInCall(snapshot, this.model.call!);
      case 'group-call':
        return this.renderGroupCall(snapshot);
      case 'walkie-talkie':
        return this.renderWalkieTalkie(snapshot);
      case 'ended':
        return this.renderEnded(snapshot, this.model.call!);
      default:
        return this.renderIdle(snapshot);
    }
  }

  /** The question about a media server the person's side does not trust, over any screen. */
  private renderFocusQuestion(snapshot: CallControllerView | undefined): TemplateResult | typeof nothing {
    const approvals = this.focusApprovals;
    const question = approvals?.pending;
    const markup = focusAsking();
    if (!question || !markup) return nothing;
    return markup.renderFocusQuestion(
      question,
      markup.chooserName(question, snapshot?.room.members),
      (agree) => approvals.answer(agree),
    );
  }

  private renderNoController(): TemplateResult {
    const factoryPending = this.factoryStarted && !this.factoryError;
    if (factoryPending) {
      return html`<section part="view starting" class="view centered">
        <div class="spinner" aria-hidden="true"></div>
        <p role="status">${msg('status.starting')}</p>
      </section>`;
    }
    return html`<section part="view error" class="view centered" role="alert">
      <h2 data-view-heading>${msg('status.noController')}</h2>
      <p part="error-message">${this.factoryError ?? missingControllerMessage(this.tagName)}</p>
    </section>`;
  }

  private renderError(snapshot: CallControllerView): TemplateResult {
    const error = snapshot.error;
    const code = error?.code;
    const what = code ? msg(`error.${code}` as MessageKey) : (error?.message ?? msg('error.title'));
    const fix = code ? msg(`error.${code}.fix` as MessageKey) : '';
    const detail = [error?.message, error?.detail].filter((s) => s && s !== what).join(' — ');
    return html`<section part="view error" class="view centered error" role="alert">
      <h2 data-view-heading>${msg('error.title')}</h2>
      <p part="error-message" class="error-message">${what}</p>
      ${fix ? html`<p part="error-fix">${fix}</p>` : nothing}
      ${
        detail
          ? html`<details part="error-details">
              <summary>${msg('error.details')}</summary>
              <p>${detail}</p>
            </details>`
          : nothing
      }
    </section>`;
  }

  private renderIdle(snapshot: CallControllerView): TemplateResult {
    const room = snapshot.room;
    const peer = room.members.find((m) => m.userId !== snapshot.self.userId);
    const allowCall = modeAllows(this.mode, 'call');
    const group = modeAllows(this.mode, 'group') && snapshot.group ? snapshot.group : undefined;
    const ptt = modeAllows(this.mode, 'walkie-talkie') && snapshot.ptt ? snapshot.ptt : undefined;
    const note =
      allowCall && !room.canCall ? msg(room.isPublic ? 'idle.publicRoom' : 'idle.notTwoPeople') : '';
    const nothingToDo = !(allowCall && room.canCall) && !group && !ptt;
    return html`<section part="view idle" class="view centered idle">
      <h2 data-view-heading>${room.canCall && peer ? peer.displayName : msg('idle.heading')}</h2>
      ${this.renderActionError(snapshot)}
      ${
        allowCall && room.canCall
          ? html`<div part="actions" class="actions">
              <button
                part="voice-call-button"
                class="control primary"
                @click=${() => this.placeCall('voice')}
              >
                ${icon('phone')}<span>${msg('idle.voiceCall')}</span>
              </button>
              <button
                part="video-call-button"
                class="control primary"
                @click=${() => this.placeCall('video')}
              >
                ${icon('camera')}<span>${msg('idle.videoCall')}</span>
              </button>
            </div>`
          : nothing
      }
      ${note && !(group || ptt) ? html`<p part="note" class="note">${note}</p>` : nothing}
      ${
        group
          ? html`<div part="group" class="actions">
              ${group.ongoing ? html`<p class="note">${msg('idle.groupOngoing')}</p>` : nothing}
              <button
                part="join-group-button"
                class="control"
                ?disabled=${isPending(snapshot, 'joinGroupCall', GROUP_CALL_ID)}
                @click=${() => this.joinGroupCall('video')}
              >
                ${icon('group')}<span>${msg(group.ongoing ? 'idle.joinGroup' : 'idle.startGroup')}</span>
              </button>
            </div>`
          : nothing
      }
      ${
        ptt
          ? html`<div part="walkie-talkie" class="actions">
              ${
                ptt.talker
                  ? html`<p part="channel-in-use" class="note" role="status">
                      ${msg('ptt.channelInUse', { name: ptt.talker.displayName || ptt.talker.userId })}
                    </p>`
                  : nothing
              }
              <button part="walkie-talkie-button" class="control" @click=${() => this.setWalkieTalkie(true)}>
                ${icon('walkie')}<span>${msg(ptt.talker ? 'ptt.tuneIn' : 'idle.walkieTalkie')}</span>
              </button>
            </div>`
          : nothing
      }
      ${nothingToDo && !note ? html`<p part="note" class="note">${msg('idle.nothing')}</p>` : nothing}
    </section>`;
  }

  private renderIncoming(waiting: boolean): TemplateResult {
    const incoming = this.model.incoming!;
    return html`<section part="view incoming" class=${waiting ? 'waiting' : 'view centered'}>
      <incoming-call
        part="incoming-call"
        .caller=${incoming.caller}
        call-id=${incoming.callId}
        kind=${incoming.kind}
        ?group=${incoming.group}
        ?waiting=${waiting}
        ?silent=${this.silent}
      ></incoming-call>
    </section>`;
  }

  private selfPerson(snapshot: CallControllerView): PersonView {
    const me = snapshot.room.members.find((m) => m.userId === snapshot.self.userId);
    return me ?? { userId: snapshot.self.userId, displayName: snapshot.self.userId };
  }

  // ---- membership notices (group) ------------------------------------------------------------------

  /** "Bob left" / "Carol joined" after the group call's people change; said in the live region too. */
  private trackGroupMembers(snapshot: CallControllerView): void {
    const group = snapshot.group;
    if (this.model.view !== 'group-call' || !group) {
      this.groupMembers = undefined;
      this.groupNotice = '';
      return;
    }
    const now = new Map(
      group.participants.filter((p) => !p.local).map((p) => [p.userId, p.displayName || p.userId]),
    );
    if (this.groupMembers) {
      const notice = membershipNotice(this.groupMembers, now);
      if (notice && notice !== this.groupNotice) {
        this.groupNotice = notice;
        this.announcement = notice;
        this.announcementKey = `group:notice:${[...now.keys()].join(',')}`;
      }
    }
    this.groupMembers = now;
  }

  // ---- stage measuring -----------------------------------------------------------------------------

  private observeStage(): void {
    const stage = this.renderRoot.querySelector('[data-fit]');
    if (stage === this.observedStage) return;
    this.stageObserver?.disconnect();
    this.observedStage = stage ?? undefined;
    if (!stage) return;
    this.stageObserver ??= new ResizeObserver((entries) => {
      const box = entries.at(-1)?.contentRect;
      if (!box) return;
      const width = Math.round(box.width);
      const height = Math.round(box.height);
      if (width !== this.stageSize.width || height !== this.stageSize.height)
        this.stageSize = { width, height };
    });
    this.stageObserver.observe(stage);
  }

  private readonly onTileAspect = (event: TileAspectEvent) => {
    const key = (event.target as HTMLElement).dataset.key;
    if (!key || this.aspects[key] === event.aspect) return;
    this.aspects = { ...this.aspects, [key]: event.aspect };
  };

  private aspectOf(tile: TileSpec | undefined): number {
    const known = tile ? this.aspects[tile.key] : undefined;
    return known && Number.isFinite(known) && known > 0.2 && known < 5 ? known : 16 / 9;
  }

  // ---- picture-in-picture --------------------------------------------------------------------------

  private onPipDown(event: PointerEvent): void {
    if (event.button !== 0 || (event.target as Element).closest('button')) return;
    const pip = event.currentTarget as HTMLElement;
    const box = pip.getBoundingClientRect();
    this.drag = {
      pointerId: event.pointerId,
      dx: event.clientX - box.left,
      dy: event.clientY - box.top,
      moved: false,
    };
    pip.setPointerCapture(event.pointerId);
  }

  private onPipMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const pip = event.currentTarget as HTMLElement;
    const frame = pip.offsetParent?.getBoundingClientRect();
    if (!frame) return;
    drag.moved = true;
    pip.classList.add('dragging');
    pip.style.left = `${event.clientX - drag.dx - frame.left}px`;
    pip.style.top = `${event.clientY - drag.dy - frame.top}px`;
  }

  private onPipUp(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    this.drag = undefined;
    const pip = event.currentTarget as HTMLElement;
    pip.classList.remove('dragging');
    pip.style.left = '';
    pip.style.top = '';
    const frame = pip.offsetParent?.getBoundingClientRect();
    if (!drag.moved || !frame) return;
    const rtl = getComputedStyle(this).direction === 'rtl';
    this.pipCorner = nearestCorner(
      event.clientX - frame.left,
      event.clientY - frame.top,
      frame.width,
      frame.height,
      rtl,
    );
  }

  /** Arrow keys on the swap button move the self view to another corner. */
  private onPipKey(event: KeyboardEvent): void {
    const [v, h] = this.pipCorner.split('-') as ['top' | 'bottom', 'start' | 'end'];
    const rtl = getComputedStyle(this).direction === 'rtl';
    const toStart = rtl ? 'ArrowRight' : 'ArrowLeft';
    const toEnd = rtl ? 'ArrowLeft' : 'ArrowRight';
    const next = {
      ArrowUp: `top-${h}`,
      ArrowDown: `bottom-${h}`,
      [toStart]: `${v}-start`,
      [toEnd]: `${v}-end`,
    }[event.key] as Corner | undefined;
    if (!next) return;
    event.preventDefault();
    this.pipCorner = next;
  }

  // ---- tiles ---------------------------------------------------------------------------------------

  private oneToOneTiles(
    snapshot: CallControllerView,
    call: CallView,
  ): { remote: TileSpec[]; local: TileSpec[] } {
    const me = this.selfPerson(snapshot);
    const quality = call.connection === 'disconnected' ? 'lost' : QUALITY[call.connection];
    const tileOf = (s: StreamView): TileSpec => ({
      key: s.id,
      person: s.local ? me : call.peer,
      stream: s,
      local: s.local,
      screenShare: s.purpose === 'm.screenshare',
      audioMuted: s.audioMuted,
      videoMuted: s.videoMuted || (call.kind === 'voice' && s.purpose === 'm.usermedia'),
      quality: s.local ? 'unknown' : quality,
    });
    const remote = call.remoteStreams.map(tileOf);
    const local = call.localStreams.map(tileOf);
    if (!remote.some((t) => !t.screenShare)) {
      remote.unshift({
        key: `placeholder:${call.peer.userId}`,
        person: call.peer,
        local: false,
        screenShare: false,
        audioMuted: false,
        videoMuted: true,
        quality: call.state === 'connected' ? quality : 'unknown',
      });
    }
    return { remote, local };
  }

  private groupTiles(snapshot: CallControllerView): TileSpec[] {
    const group = snapshot.group!;
    return group.participants.flatMap((p) => {
      const base = {
        person: p,
        local: p.local,
        audioMuted: p.audioMuted,
        quality: p.local ? ('unknown' as const) : QUALITY[p.connection],
        speaking: p.speaking || group.activeSpeaker === p.userId,
      };
      const media = p.streams.filter((s) => s.purpose === 'm.usermedia');
      const shares = p.streams.filter((s) => s.purpose === 'm.screenshare');
      const tiles: TileSpec[] = media.length
        ? media.map((s) => ({
            ...base,
            key: s.id,
            stream: s,
            screenShare: false,
            videoMuted: p.videoMuted || s.videoMuted,
          }))
        : [{ ...base, key: `${p.userId}:${p.deviceId}`, screenShare: false, videoMuted: true }];
      for (const s of shares) {
        tiles.push({
          ...base,
          key: s.id,
          stream: s,
          screenShare: true,
          videoMuted: false,
          audioMuted: false,
          speaking: false,
        });
      }
      return tiles;
    });
  }

  private renderTile(tile: TileSpec, role: 'main' | 'pip' | 'grid' | 'strip' = 'grid'): TemplateResult {
    return html`<call-tile
      part="tile ${role}-tile"
      class=${role}
      data-key=${tile.key}
      role=${role === 'pip' ? nothing : 'listitem'}
      .stream=${tile.stream?.stream}
      name=${tile.person.displayName || tile.person.userId}
      avatar-url=${tile.person.avatarUrl ?? nothing}
      ?local=${tile.local}
      ?screen-share=${tile.screenShare}
      ?audio-muted=${tile.audioMuted}
      ?video-muted=${tile.videoMuted}
      ?spotlight=${role === 'main'}
      ?no-speaking-detection=${tile.speaking !== undefined}
      .speaking=${tile.speaking ?? false}
      quality=${tile.quality}
      @tile-aspect=${this.onTileAspect}
    ></call-tile>`;
  }

  /** One tile large in its own shape (a screen share or the spotlight), the rest as a strip below. */
  private renderSpotlight(
    main: TileSpec,
    others: TileSpec[],
    overlay: TemplateResult | typeof nothing,
  ): TemplateResult {
    return html`<div part="stage" class="stage spotlight" data-layout="spotlight">
      <div class="spotlight-main" role="list" aria-label=${msg('call.tiles')}>
        <div class="fit" style=${styleMap({ '--_aspect': String(this.aspectOf(main)) })}>
          ${this.renderTile(main, 'main')}
        </div>
      </div>
      ${
        others.length
          ? html`<div part="strip" class="strip" role="list" aria-label=${msg('call.tiles')} tabindex="0">
              ${others.map((t) => this.renderTile(t, 'strip'))}
            </div>`
          : nothing
      }
      ${overlay}
    </div>`;
  }

  private renderOneToOneStage(
    call: CallView,
    remote: TileSpec[],
    local: TileSpec[],
    overlay: TemplateResult | typeof nothing,
  ): TemplateResult {
    const share = [...remote, ...local].find((t) => t.screenShare);
    if (share)
      return this.renderSpotlight(
        share,
        [...remote, ...local].filter((t) => t !== share),
        overlay,
      );
    const peerTile = remote[0]!;
    const selfTile = local.find((t) => !t.screenShare);
    const [main, pip] = this.swapped && selfTile ? [selfTile, peerTile] : [peerTile, selfTile];
    const name = call.peer.displayName || call.peer.userId;
    return html`<div part="stage" class="stage one-to-one" data-layout="one-to-one">
      <div
        class="fit"
        role="list"
        aria-label=${msg('call.tiles')}
        style=${styleMap({ '--_aspect': String(this.aspectOf(main)) })}
      >
        ${this.renderTile(main, 'main')}
        ${
          pip
            ? html`<div
                part="pip"
                class="pip-frame"
                role="listitem"
                data-corner=${this.pipCorner}
                style=${styleMap({ '--_pip-aspect': String(this.aspectOf(pip)) })}
                @pointerdown=${this.onPipDown}
                @pointermove=${this.onPipMove}
                @pointerup=${this.onPipUp}
                @pointercancel=${this.onPipUp}
              >
                ${this.renderTile(pip, 'pip')}
                <button
                  part="swap-button"
                  class="swap"
                  aria-label=${msg('call.swapViews', { name })}
                  title=${msg('call.swapViews', { name })}
                  @click=${() => (this.swapped = !this.swapped)}
                  @keydown=${this.onPipKey}
                ></button>
              </div>`
            : nothing
        }
      </div>
      ${overlay}
    </div>`;
  }

  private renderVoiceStage(call: CallView, overlay: TemplateResult | typeof nothing): TemplateResult {
    const peer = call.peer;
    const name = peer.displayName || peer.userId;
    return html`<div part="stage" class="stage voice" data-layout="voice">
      <div part="voice-avatar" class="voice-avatar" aria-hidden="true">
        ${peer.avatarUrl ? html`<img src=${peer.avatarUrl} alt="" />` : html`<span>${initials(name)}</span>`}
      </div>
      <p part="voice-name" class="voice-name">${name}</p>
      ${overlay}
    </div>`;
  }

  private renderGridStage(tiles: TileSpec[], snapshot: CallControllerView): TemplateResult {
    const share = tiles.find((t) => t.screenShare);
    if (share)
      return this.renderSpotlight(
        share,
        tiles.filter((t) => t !== share),
        nothing,
      );
    const group = snapshot.group;
    if (this.spotlightOn && tiles.length > 1) {
      const speaker =
        tiles.find((t) => !t.local && t.person.userId === group?.activeSpeaker) ??
        tiles.find((t) => !t.local && t.speaking) ??
        tiles.find((t) => !t.local) ??
        tiles[0]!;
      return this.renderSpotlight(
        speaker,
        tiles.filter((t) => t !== speaker),
        nothing,
      );
    }
    const gap = 8;
    const { width, height } = this.stageSize;
    const fit = fitGrid(tiles.length, width, height, 16 / 9, gap, 144);
    // Only a grid too long for its box scrolls; then it takes focus so the keyboard can scroll it.
    return html`<div
      part="stage"
      class="stage grid ${fit.scrolls ? 'scrolls' : ''}"
      data-layout="grid"
      data-fit
      tabindex=${fit.scrolls ? '0' : nothing}
      aria-label=${fit.scrolls ? msg('call.tiles') : nothing}
    >
      <div
        class="grid-tiles"
        role="list"
        aria-label=${msg('call.tiles')}
        data-count=${tiles.length}
        data-columns=${fit.columns}
        data-fitted=${`${width}x${height}`}
        style=${styleMap(width ? { '--_columns': String(fit.columns), '--_tile-width': `${Math.floor(fit.tileWidth)}px` } : {})}
      >
        ${tiles.map((t) => this.renderTile(t))}
      </div>
    </div>`;
  }

  /** Hold and reconnecting, over the stage: one clear state instead of a frozen frame. */
  private stageOverlay(call: CallView): TemplateResult | typeof nothing {
    const name = call.peer.displayName || call.peer.userId;
    if (call.connection === 'disconnected') {
      return html`<div part="overlay reconnecting-overlay" class="overlay" data-overlay="reconnecting">
        <div class="spinner" aria-hidden="true"></div>
        <p class="overlay-title">${msg('call.reconnecting')}</p>
        <p class="overlay-detail">${msg('call.reconnectingDetail', { name })}</p>
      </div>`;
    }
    if (call.onHold || call.remoteOnHold) {
      return html`<div part="overlay hold-overlay" class="overlay" data-overlay="hold">
        ${icon('pause')}
        <p class="overlay-title">${msg('call.holdOverlay')}</p>
        <p class="overlay-detail">
          ${call.onHold ? msg('call.holdOverlayLocal') : msg('call.holdOverlayRemote', { name })}
        </p>
      </div>`;
    }
    return nothing;
  }

  /** An error from an action taken during a call (a failed join, a refused screen share...). */
  private renderActionError(snapshot: CallControllerView): TemplateResult | typeof nothing {
    const error = snapshot.error;
    if (!error || error === this.dismissedError) return nothing;
    const what = msg(`error.${error.code}` as MessageKey) || error.message;
    const fix = msg(`error.${error.code}.fix` as MessageKey) || '';
    // The controller's own sentence names what exactly failed (which server, which device).
    const specific = error.message && error.message !== what ? error.message : '';
    return html`<div part="action-error" class="action-error" role="alert">
      <p><strong>${what}</strong> ${fix}</p>
      ${specific ? html`<p part="action-error-detail">${specific}</p>` : nothing}
      <button class="control small" @click=${() => (this.dismissedError = error)}>
        ${icon('close')}<span>${msg('call.errorDismiss')}</span>
      </button>
    </div>`;
  }

  private renderAudio(): TemplateResult {
    const streams = this.remoteAudioStreams().filter((s) => s.stream.getAudioTracks().length > 0);
    return html`${streams.map((s) => html`<audio data-stream=${s.id} autoplay hidden></audio>`)}
    ${
      this.audioBlocked
        ? html`<div part="audio-blocked" class="audio-blocked" role="alert">
            <span>${msg('audio.blocked')}</span>
            <button class="control" @click=${() => this.enableSound()}>
              ${icon('speaker')}<span>${msg('audio.enable')}</span>
            </button>
          </div>`
        : nothing
    }`;
  }

  private renderInCall(snapshot: CallControllerView, call: CallView): TemplateResult {
    const name = call.peer.displayName || call.peer.userId;
    const reconnecting = call.connection === 'disconnected';
    // While reconnecting the timer is hidden: a running clock next to a frozen frame says the wrong thing.
    const duration =
      call.connectedAt !== undefined && !reconnecting
        ? formatDuration(Math.max(0, this.now - call.connectedAt))
        : '';
    const { remote, local } = this.oneToOneTiles(snapshot, call);
    const overlay = this.stageOverlay(call);
    const voice = call.kind === 'voice' && ![...remote, ...local].some((t) => t.screenShare);
    return html`<section
      part="view in-call"
      class="view in-call"
      data-state=${call.state}
      data-kind=${call.kind}
    >
      <header part="header" class="header">
        <h2 data-view-heading>${msg(call.kind === 'voice' ? 'call.voiceWith' : 'call.with', { name })}</h2>
        <p part="status" class="status">
          <span part="call-state">${reconnecting ? msg('call.reconnecting') : callStatusText(call)}</span>
          ${
            duration
              ? html`<time
                  part="duration"
                  role="timer"
                  aria-label=${msg('call.duration')}
                  datetime="PT${Math.floor((this.now - call.connectedAt!) / 1000)}S"
                  >${duration}</time
                >`
              : nothing
          }
          ${
            call.connection === 'failed'
              ? html`<span part="connection" class="connection" role="alert" data-health=${call.connection}
                  >${msg(`connection.${call.connection}` as MessageKey)}</span
                >`
              : nothing
          }
        </p>
      </header>
      ${this.renderActionError(snapshot)} ${this.model.incoming ? this.renderIncoming(true) : nothing}
      ${voice ? this.renderVoiceStage(call, overlay) : this.renderOneToOneStage(call, remote, local, overlay)}
      ${this.renderAudio()}
      <call-controls part="controls" call-id=${call.id}></call-controls>
    </section>`;
  }

  private renderGroupCall(snapshot: CallControllerView): TemplateResult {
    const group = snapshot.group!;
    const declined = declinedText(group);
    const ringingOut = ringingOutText(snapshot);
    const tiles = this.groupTiles(snapshot);
    const canSpotlight = tiles.length > 1 && !tiles.some((t) => t.screenShare);
    // This device lost its connection to the call (the SFU went away) and is trying again.
    const selfLost = group.participants.some((p) => p.local && p.connection === 'disconnected');
    return html`<section part="view group-call" class="view in-call" data-state=${group.state}>
      <header part="header" class="header">
        <h2 data-view-heading>${msg('call.group')}</h2>
        <p part="status" class="status">
          <span>${msg('call.participants', { count: group.participants.length })}</span>
          ${this.groupNotice ? html`<span part="membership-notice">${this.groupNotice}</span>` : nothing}
        </p>
        ${ringingOut ? html`<p part="ringing-out" class="status ringing-out">${ringingOut}</p>` : nothing}
        ${declined ? html`<p part="declined" class="status declined">${declined}</p>` : nothing}
        ${renderUnreceived(group)}
        ${
          canSpotlight
            ? html`<button
                part="layout-button"
                class="control small"
                aria-pressed=${this.spotlightOn ? 'true' : 'false'}
                title=${msg('call.layoutLabel')}
                @click=${() => (this.spotlightOn = !this.spotlightOn)}
              >
                ${icon('group')}<span>${msg('call.layoutSpotlight')}</span>
              </button>`
            : nothing
        }
        ${
          selfLost
            ? html`<p part="connection" class="status" role="status">${msg('connection.disconnected')}</p>`
            : nothing
        }
      </header>
      ${this.renderActionError(snapshot)} ${this.model.incoming ? this.renderIncoming(true) : nothing}
      ${this.renderGridStage(tiles, snapshot)} ${this.renderAudio()}
      <call-controls part="controls"></call-controls>
    </section>`;
  }

  /** A person's avatar (picture or initials) at a given size class. */
  private avatar(person: PersonView, className: string): TemplateResult {
    const name = person.displayName || person.userId;
    return html`<span class=${className} aria-hidden="true"
      >${person.avatarUrl ? html`<img src=${person.avatarUrl} alt="" />` : initials(name)}</span
    >`;
  }

  /**
   * The channel: who is tuned in (opted-in devices, not room members), who is talking with their
   * avatar, the push-to-talk button, how many messages wait to be played, and the recent messages.
   */
  private renderWalkieTalkie(snapshot: CallControllerView): TemplateResult {
    // <ptt-button> and <ptt-messages> are defined on first use; they upgrade when they arrive.
    defineWalkieElements();
    const ptt = snapshot.ptt;
    const tuned = ptt?.tunedIn;
    const talker = ptt?.floor === 'listening' || ptt?.floor === 'talking' ? ptt.talker : undefined;
    const names = tuned?.map((p) => p.displayName || p.userId) ?? [];
    return html`<section part="view walkie-talkie" class="view centered walkie-talkie">
      <h2 data-view-heading>${msg('idle.walkieTalkie')}</h2>
      ${this.renderActionError(snapshot)}
      ${
        tuned
          ? html`<div part="tuned-in" class="tuned-in">
              <p class="note">
                ${names.length ? msg('ptt.tunedIn', { names: formatList(names) }) : msg('ptt.nobodyTunedIn')}
              </p>
              <ul class="people" aria-hidden="true">
                ${tuned.map((p) => html`<li title=${p.displayName || p.userId}>${this.avatar(p, 'mini-avatar')}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <div part="talker" class="talker" data-talking=${talker ? 'true' : 'false'}>
        ${
          talker && ptt?.floor === 'listening'
            ? html`${this.avatar(talker, 'talker-avatar')}<span>${talker.displayName || talker.userId}</span>`
            : html`<span class="note"
                >${ptt?.floor === 'talking' ? msg('ptt.talkingNoLimit') : msg('ptt.channelQuiet')}</span
              >`
        }
      </div>
      <ptt-button part="ptt-button" ?silent=${this.silent}></ptt-button>
      ${ptt?.transmissions ? html`<ptt-messages part="ptt-messages"></ptt-messages>` : nothing}
      <button part="leave-walkie-talkie-button" class="control" @click=${() => this.setWalkieTalkie(false)}>
        ${icon('close')}<span>${msg('idle.walkieTalkieOff')}</span>
      </button>
    </section>`;
  }

  private renderEnded(snapshot: CallControllerView, call: CallView): TemplateResult {
    const reason = endReasonText(call);
    const lasted = durationText(call);
    const canCallAgain = snapshot.room.canCall && modeAllows(this.mode, 'call');
    return html`<section part="view ended" class="view centered ended">
      <h2 data-view-heading>${endedTitle(call)}</h2>
      ${reason ? html`<p part="reason" class="reason">${reason}</p>` : nothing}
      ${lasted ? html`<p part="duration" class="note">${lasted}</p>` : nothing}
      <div part="actions" class="actions">
        ${
          canCallAgain
            ? html`<button
                part="call-again-button"
                class="control primary"
                @click=${() => this.placeCall(call.kind)}
              >
                ${icon(call.kind === 'video' ? 'camera' : 'phone')}<span>${msg('ended.callAgain')}</span>
              </button>`
            : nothing
        }
        <button part="close-button" class="control" @click=${() => this.closeEnded()}>
          ${icon('close')}<span>${msg('ended.close')}</span>
        </button>
      </div>
    </section>`;
  }
}
