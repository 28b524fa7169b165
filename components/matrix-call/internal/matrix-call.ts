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
 * Never: touches RTCPeerConnection, the transport or Matrix events; every action is a controller call.
 */
import { ContextProvider } from '@lit/context';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type {
  CallControllerApi,
  CallControllerView,
  CallKind,
  CallView,
  ConnectionHealth,
  PersonView,
  StreamView,
} from '../../../src/snapshot.js';
import { KitElement } from '../../internal/base-element.js';
import { callControllerContext } from '../../internal/context.js';
import { ControllerSubscription, missingControllerMessage } from '../../internal/controller-subscription.js';
import { JoinGroupRequestEvent, PlaceCallRequestEvent, WalkieTalkieRequestEvent } from '../../internal/events.js';
import { icon } from '../../internal/icons.js';
import { formatDuration, msg, type MessageKey } from '../../internal/messages.js';
import { hasGroupActions, hasPttOptIn } from '../../internal/optional-actions.js';
import type { TileQuality } from '../../call-tile/internal/call-tile.js';
import {
  announcementOf,
  callStatusText,
  declinedText,
  durationText,
  endReasonText,
  endedTitle,
  modeAllows,
  viewModelOf,
  type MatrixCallView,
  type ViewModel,
} from './view-model.js';
import '../../call-tile/call-tile.js';
import '../../call-controls/call-controls.js';
import '../../incoming-call/incoming-call.js';
import '../../ptt-button/ptt-button.js';

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
  /**
   * The hook that builds a controller when a page gives none (no `.controller`, no context). The
   * widget entry sets it, e.g. `MatrixCallElement.controllerFactory = (el) => controllerFromWidgetUrl(...)`.
   */
  static controllerFactory?: ControllerFactory;

  @property({ attribute: false }) controller?: CallControllerApi;
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

  protected readonly subscription = new ControllerSubscription(this);
  private readonly provider = new ContextProvider(this, { context: callControllerContext });
  private model: ViewModel = { view: 'no-controller' };
  private announcementKey?: string;
  private ticker?: ReturnType<typeof setInterval>;
  private sinkId?: string;
  private factoryStarted = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('request-device-select', this.onDeviceSelect);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('request-device-select', this.onDeviceSelect);
    this.stopTicker();
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
      if (!this.subscription.controller) this.controller = built;
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
    const said = snapshot ? announcementOf(this.model, snapshot) : undefined;
    if (said && said.key !== this.announcementKey) {
      this.announcementKey = said.key;
      this.announcement = said.text;
    }
    const ticking = this.model.view === 'in-call' && this.model.call?.connectedAt !== undefined;
    if (ticking && !this.ticker) this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!ticking) this.stopTicker();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.syncAudio();
    this.setCustomStates(Object.fromEntries(ALL_VIEWS.map((v) => [v, v === this.view])));
    if (changed.has('view') && changed.get('view') !== undefined) this.moveFocusToView();
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** Focus follows the screen when it was inside the element or lost (the pressed button vanished). */
  private moveFocusToView(): void {
    const active = document.activeElement;
    if (active !== this && active !== document.body && active !== null) return;
    if (this.view === 'incoming') {
      this.renderRoot.querySelector('incoming-call')?.focus();
      return;
    }
    this.renderRoot.querySelector<HTMLElement>('[data-view-heading]')?.focus();
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
    if (!hasGroupActions(controller) || !this.emit(new JoinGroupRequestEvent(kind))) return;
    void controller.joinGroupCall(kind);
  }

  /** Turns walkie-talkie mode on or off (after the cancelable request-walkie-talkie event). */
  setWalkieTalkie(on: boolean): void {
    const controller = this.subscription.controller;
    if (!hasPttOptIn(controller) || !this.emit(new WalkieTalkieRequestEvent(on))) return;
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

  private renderNoController(): TemplateResult {
    const factoryPending = this.factoryStarted && !this.factoryError;
    if (factoryPending) {
      return html`<section part="view starting" class="view centered">
        <div class="spinner" aria-hidden="true"></div>
        <p role="status">${msg('status.starting')}</p>
      </section>`;
    }
    return html`<section part="view error" class="view centered" role="alert">
      <h2 data-view-heading tabindex="-1">${msg('status.noController')}</h2>
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
      <h2 data-view-heading tabindex="-1">${msg('error.title')}</h2>
      <p part="error-message" class="error-message">${what}</p>
      ${fix ? html`<p part="error-fix">${fix}</p>` : nothing}
      ${detail
        ? html`<details part="error-details">
            <summary>${msg('error.details')}</summary>
            <p>${detail}</p>
          </details>`
        : nothing}
    </section>`;
  }

  private renderIdle(snapshot: CallControllerView): TemplateResult {
    const controller = this.subscription.controller;
    const room = snapshot.room;
    const peer = room.members.find((m) => m.userId !== snapshot.self.userId);
    const allowCall = modeAllows(this.mode, 'call');
    const group = modeAllows(this.mode, 'group') && snapshot.group && hasGroupActions(controller) ? snapshot.group : undefined;
    const ptt = modeAllows(this.mode, 'walkie-talkie') && snapshot.ptt && hasPttOptIn(controller) ? snapshot.ptt : undefined;
    const note = allowCall && !room.canCall ? msg(room.isPublic ? 'idle.publicRoom' : 'idle.notTwoPeople') : '';
    const nothingToDo = !(allowCall && room.canCall) && !group && !ptt;
    return html`<section part="view idle" class="view centered idle">
      <h2 data-view-heading tabindex="-1">${room.canCall && peer ? peer.displayName : msg('idle.heading')}</h2>
      ${this.renderProblem(snapshot)}
      ${allowCall && room.canCall
        ? html`<div part="actions" class="actions">
            <button part="voice-call-button" class="control primary" @click=${() => this.placeCall('voice')}>
              ${icon('phone')}<span>${msg('idle.voiceCall')}</span>
            </button>
            <button part="video-call-button" class="control primary" @click=${() => this.placeCall('video')}>
              ${icon('camera')}<span>${msg('idle.videoCall')}</span>
            </button>
          </div>`
        : nothing}
      ${note && !(group || ptt) ? html`<p part="note" class="note">${note}</p>` : nothing}
      ${group
        ? html`<div part="group" class="actions">
            ${group.ongoing ? html`<p class="note">${msg('idle.groupOngoing')}</p>` : nothing}
            <button part="join-group-button" class="control" @click=${() => this.joinGroupCall('video')}>
              ${icon('group')}<span>${msg(group.ongoing ? 'idle.joinGroup' : 'idle.startGroup')}</span>
            </button>
          </div>`
        : nothing}
      ${ptt
        ? html`<div part="walkie-talkie" class="actions">
            <button part="walkie-talkie-button" class="control" @click=${() => this.setWalkieTalkie(true)}>
              ${icon('walkie')}<span>${msg('idle.walkieTalkie')}</span>
            </button>
          </div>`
        : nothing}
      ${nothingToDo && !note ? html`<p part="note" class="note">${msg('idle.nothing')}</p>` : nothing}
    </section>`;
  }

  /**
   * What the last action or a call that ended by itself ran into (status stays 'ready'): the kit's own
   * plain words, which name the failing part (media server, sign-in service), with the detail folded.
   */
  private renderProblem(snapshot: CallControllerView): TemplateResult | typeof nothing {
    const error = snapshot.error;
    if (!error) return nothing;
    return html`<div part="problem" class="problem" role="alert">
      <p part="problem-message" class="error-message">${error.message}</p>
      ${error.detail
        ? html`<details part="error-details">
            <summary>${msg('error.details')}</summary>
            <p>${error.detail}</p>
          </details>`
        : nothing}
    </div>`;
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

  private oneToOneTiles(snapshot: CallControllerView, call: CallView): TileSpec[] {
    const me = this.selfPerson(snapshot);
    const quality = QUALITY[call.connection];
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
    const tiles = [...remote, ...local];
    if (!remote.some((t) => !t.screenShare)) {
      tiles.unshift({
        key: `placeholder:${call.peer.userId}`,
        person: call.peer,
        local: false,
        screenShare: false,
        audioMuted: false,
        videoMuted: true,
        quality: call.state === 'connected' ? quality : 'unknown',
      });
    }
    return tiles;
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
        ? media.map((s) => ({ ...base, key: s.id, stream: s, screenShare: false, videoMuted: p.videoMuted || s.videoMuted }))
        : [{ ...base, key: `${p.userId}:${p.deviceId}`, screenShare: false, videoMuted: true }];
      for (const s of shares) tiles.push({ ...base, key: s.id, stream: s, screenShare: true, videoMuted: false, speaking: false });
      return tiles;
    });
  }

  private renderTile(tile: TileSpec, spotlight = false): TemplateResult {
    return html`<call-tile
      part="tile"
      role="listitem"
      .stream=${tile.stream?.stream}
      name=${tile.person.displayName || tile.person.userId}
      avatar-url=${tile.person.avatarUrl ?? nothing}
      ?local=${tile.local}
      ?screen-share=${tile.screenShare}
      ?audio-muted=${tile.audioMuted}
      ?video-muted=${tile.videoMuted}
      ?spotlight=${spotlight}
      ?no-speaking-detection=${tile.speaking !== undefined}
      .speaking=${tile.speaking ?? false}
      quality=${tile.quality}
    ></call-tile>`;
  }

  private renderStage(tiles: TileSpec[]): TemplateResult {
    const share = tiles.find((t) => t.screenShare);
    if (share) {
      return html`<div part="stage" class="stage spotlight">
        <div class="spotlight-main" role="list" aria-label=${msg('call.tiles')}>${this.renderTile(share, true)}</div>
        <div class="strip" role="list" aria-label=${msg('call.tiles')}>
          ${tiles.filter((t) => t !== share).map((t) => this.renderTile(t))}
        </div>
      </div>`;
    }
    return html`<div part="stage" class="stage grid" role="list" aria-label=${msg('call.tiles')} data-count=${tiles.length}>
      ${tiles.map((t) => this.renderTile(t))}
    </div>`;
  }

  private renderAudio(): TemplateResult {
    const streams = this.remoteAudioStreams().filter((s) => s.stream.getAudioTracks().length > 0);
    return html`${streams.map((s) => html`<audio data-stream=${s.id} autoplay hidden></audio>`)}
    ${this.audioBlocked
      ? html`<div part="audio-blocked" class="audio-blocked" role="alert">
          <span>${msg('audio.blocked')}</span>
          <button class="control" @click=${() => this.enableSound()}>${icon('speaker')}<span>${msg('audio.enable')}</span></button>
        </div>`
      : nothing}`;
  }

  private renderInCall(snapshot: CallControllerView, call: CallView): TemplateResult {
    const name = call.peer.displayName || call.peer.userId;
    const duration = call.connectedAt !== undefined ? formatDuration(Math.max(0, this.now - call.connectedAt)) : '';
    return html`<section part="view in-call" class="view in-call" data-state=${call.state}>
      <header part="header" class="header">
        <h2 data-view-heading tabindex="-1">${msg('call.with', { name })}</h2>
        <p part="status" class="status">
          <span part="call-state">${callStatusText(call)}</span>
          ${duration
            ? html`<time part="duration" role="timer" aria-label=${msg('call.duration')} datetime="PT${Math.floor(
                (this.now - call.connectedAt!) / 1000,
              )}S">${duration}</time>`
            : nothing}
          ${call.connection === 'disconnected' || call.connection === 'failed'
            ? html`<span part="connection" class="connection" role="alert" data-health=${call.connection}
                >${msg(`connection.${call.connection}` as MessageKey)}</span
              >`
            : nothing}
        </p>
      </header>
      ${this.model.incoming ? this.renderIncoming(true) : nothing} ${this.renderStage(this.oneToOneTiles(snapshot, call))}
      ${this.renderAudio()}
      <call-controls part="controls" call-id=${call.id}></call-controls>
    </section>`;
  }

  private renderGroupCall(snapshot: CallControllerView): TemplateResult {
    const group = snapshot.group!;
    const declined = declinedText(group);
    // This device lost its connection to the call (the SFU went away) and is trying again.
    const selfLost = group.participants.some((p) => p.local && p.connection === 'disconnected');
    return html`<section part="view group-call" class="view in-call" data-state=${group.state}>
      <header part="header" class="header">
        <h2 data-view-heading tabindex="-1">${msg('call.group')}</h2>
        <p part="status" class="status">${msg('call.participants', { count: group.participants.length })}</p>
        ${declined ? html`<p part="declined" class="status declined">${declined}</p>` : nothing}
        ${selfLost
          ? html`<p part="connection" class="status" role="status">${msg('connection.disconnected')}</p>`
          : nothing}
      </header>
      ${this.model.incoming ? this.renderIncoming(true) : nothing} ${this.renderStage(this.groupTiles(snapshot))}
      ${this.renderAudio()}
      <call-controls part="controls"></call-controls>
    </section>`;
  }

  private renderWalkieTalkie(snapshot: CallControllerView): TemplateResult {
    const others = snapshot.room.members.filter((m) => m.userId !== snapshot.self.userId);
    return html`<section part="view walkie-talkie" class="view centered walkie-talkie">
      <h2 data-view-heading tabindex="-1">${msg('idle.walkieTalkie')}</h2>
      <p class="note">${others.map((m) => m.displayName).join(', ')}</p>
      <ptt-button part="ptt-button" ?silent=${this.silent}></ptt-button>
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
      <h2 data-view-heading tabindex="-1">${endedTitle(call)}</h2>
      ${reason ? html`<p part="reason" class="reason">${reason}</p>` : nothing}
      ${lasted ? html`<p part="duration" class="note">${lasted}</p>` : nothing}
      <div part="actions" class="actions">
        ${canCallAgain
          ? html`<button part="call-again-button" class="control primary" @click=${() => this.placeCall(call.kind)}>
              ${icon(call.kind === 'video' ? 'camera' : 'phone')}<span>${msg('ended.callAgain')}</span>
            </button>`
          : nothing}
        <button part="close-button" class="control" @click=${() => this.closeEnded()}>
          ${icon('close')}<span>${msg('ended.close')}</span>
        </button>
      </div>
    </section>`;
  }
}
