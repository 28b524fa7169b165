/**
 * WidgetTransport: MatrixTransport over matrix-widget-api's WidgetApi, for a kit running as a
 * widget inside a host client (Element Web, or the demo host).
 *
 * Owns: the capability negotiation (only what `start(needs)` asks, reported back as refused needs),
 * the widget API's incoming actions (send_event, send_to_device with its encrypted flag,
 * update_state), TURN servers and RTC transports (MSC4515) from the host, and mapping every
 * MatrixTransport call onto the widget API. Never: parses event contents, keeps call state, or touches the DOM.
 *
 * Negotiation: a host asks the widget for capabilities once the iframe has loaded. The transport
 * answers that request itself (instead of WidgetApi's built-in answer) so it can hold it until the
 * kit knows its needs: create the transport as the page loads and call `start` within a few
 * seconds. Later `start` calls with new needs renegotiate (MSC2974) when the host supports it, and
 * report the new needs as refused when it does not. Approved capabilities come from the host's
 * notification (MSC2871); a host without it is taken to approve what was asked.
 *
 * State: hosts that push room state (MSC2762 update_state) answer state reads from the timeline, so
 * the transport keeps the state it is pushed and merges it with what a read returns.
 */
import {
  MatrixCapabilities,
  UnstableApiVersion,
  WidgetApi,
  WidgetApiFromWidgetAction,
  WidgetApiToWidgetAction,
  type IRoomEvent,
  type IWidgetApiRequest,
} from 'matrix-widget-api';
import {
  CapabilityDeniedError,
  type DelayedEventAction,
  type MatrixTransport,
  type Need,
  type OpenIdToken,
  type RawRoomEvent,
  type RawToDeviceEvent,
  type TurnServer,
  type Unsubscribe,
} from './transport.js';
import { needCovers, needKey, uniqueNeeds } from './needs.js';
import { capabilitiesToRequest, refusedNeeds } from './widget-capabilities.js';
import type { WidgetParams } from './widget-params.js';
import { acceptOnlyFromHost } from './parent-only.js';

export interface WidgetTransportOptions {
  /** A WidgetApi to use instead of a new one (it must not have been started). */
  readonly api?: WidgetApi;
  /** How long `start` waits for the host's capability exchange. Default 15 s. */
  readonly negotiationTimeoutMs?: number;
}

type CustomActionEvent = CustomEvent<IWidgetApiRequest>;

export class WidgetTransport implements MatrixTransport {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly api: WidgetApi;

  private readonly timeoutMs: number;
  private readonly asked: Need[] = [];
  private readonly requested = new Set<string>();
  private approved = new Set<string>();
  private refused: Need[] = [];
  private heldRequest: IWidgetApiRequest | undefined;
  private firstStarted = false;
  private firstAnswered = false;
  private firstDone: ((error?: Error) => void) | undefined;
  private readonly notifyWaiters: Array<() => void> = [];
  private startQueue: Promise<unknown> = Promise.resolve();

  private readonly roomListeners = new Set<(event: RawRoomEvent) => void>();
  private readonly toDeviceListeners = new Set<(event: RawToDeviceEvent) => void>();
  private readonly turnListeners = new Set<(servers: readonly TurnServer[]) => void>();
  private turn: readonly TurnServer[] | undefined;
  private watchingTurn = false;
  private readonly pushedState = new Map<string, RawRoomEvent>();
  private closed = false;
  private contentLoaded: Promise<void> | undefined;
  private readonly hostGuard: { readonly dropped: () => number };

  constructor(params: WidgetParams, options: WidgetTransportOptions = {}) {
    this.userId = params.userId;
    this.deviceId = params.deviceId;
    this.roomId = params.roomId;
    this.timeoutMs = options.negotiationTimeoutMs ?? 15_000;
    this.api = options.api ?? new WidgetApi(params.widgetId, params.parentOrigin);
    // Only the host may speak to the widget: not a sibling iframe, not another origin (docs/security.md).
    this.hostGuard = acceptOnlyFromHost(this.api, params.parentOrigin);
    this.api.on(`action:${WidgetApiToWidgetAction.Capabilities}`, this.onCapabilitiesRequest);
    this.api.on(`action:${WidgetApiToWidgetAction.NotifyCapabilities}`, this.onNotifyCapabilities);
    this.api.on(`action:${WidgetApiToWidgetAction.SendEvent}`, this.onSendEvent);
    this.api.on(`action:${WidgetApiToWidgetAction.SendToDevice}`, this.onSendToDevice);
    this.api.on(`action:${WidgetApiToWidgetAction.UpdateState}`, this.onUpdateState);
    this.api.start();
  }

  /**
   * Tells the host the page is ready (`content_loaded`). Hosts that wait for it before asking for
   * capabilities (a widget with waitForIframeLoad=false, as Element Web sets for Element Call) start
   * then; hosts that started on the iframe's load event answer with an "improper sequence" error,
   * which is expected and ignored. Sent once; later calls return the first answer.
   */
  announceContentLoaded(): Promise<void> {
    this.contentLoaded ??= this.api.sendContentLoaded().then(
      () => undefined,
      (error: unknown) => {
        // Hosts that began on iframe load refuse it by design; anything else is worth a look.
        const message = error instanceof Error ? error.message : String(error);
        if (!/improper sequence/i.test(message)) console.warn('The host refused content_loaded:', message);
      },
    );
    return this.contentLoaded;
  }

  /** Widget-API messages dropped because they came from a window other than the host. */
  get droppedForeignMessages(): number {
    return this.hostGuard.dropped();
  }

  /** Capabilities the host approved, as it last said. */
  get approvedCapabilities(): ReadonlySet<string> {
    return new Set(this.approved);
  }

  start(needs: readonly Need[]): Promise<readonly Need[]> {
    const run = this.startQueue.then(() => this.negotiate(uniqueNeeds(needs)));
    this.startQueue = run.catch(() => undefined);
    return run;
  }

  async sendRoomEvent(type: string, content: object): Promise<{ event_id: string }> {
    this.require({ kind: 'send-event', type });
    const response = await this.api.sendRoomEvent(type, content, this.roomId);
    return { event_id: response.event_id ?? '' };
  }

  async sendStateEvent(type: string, stateKey: string, content: object): Promise<{ event_id: string }> {
    this.require({ kind: 'send-state', type, stateKey });
    const response = await this.api.sendStateEvent(type, stateKey, content, this.roomId);
    return { event_id: response.event_id ?? '' };
  }

  async sendToDevice(
    type: string,
    encrypted: boolean,
    messages: Readonly<Record<string, Readonly<Record<string, object>>>>,
  ): Promise<void> {
    this.require({ kind: 'send-to-device', type });
    await this.api.sendToDevice(type, encrypted, messages as Record<string, Record<string, object>>);
  }

  async readState(type: string, stateKey?: string): Promise<RawRoomEvent[]> {
    this.require({ kind: 'receive-state', type, ...(stateKey !== undefined ? { stateKey } : {}) });
    const read = (await this.api.readStateEvents(type, undefined, stateKey, [this.roomId])) as RawRoomEvent[];
    // Newest per state key, from the read and from what the host pushed.
    const current = new Map<string, RawRoomEvent>();
    const candidates = [...read, ...this.pushedState.values()].filter(
      (e) =>
        e.room_id === this.roomId &&
        e.type === type &&
        e.state_key !== undefined &&
        (stateKey === undefined || e.state_key === stateKey),
    );
    for (const event of candidates) {
      const known = current.get(event.state_key!);
      if (!known || event.origin_server_ts > known.origin_server_ts) current.set(event.state_key!, event);
    }
    return [...current.values()];
  }

  async readTimeline(type: string, limit: number): Promise<RawRoomEvent[]> {
    this.require({ kind: 'read-timeline' });
    const events = (await this.api.readRoomEvents(type, limit, undefined, [this.roomId])) as RawRoomEvent[];
    return events
      .filter((e) => e.room_id === this.roomId && e.type === type)
      .sort((a, b) => b.origin_server_ts - a.origin_server_ts)
      .slice(0, limit);
  }

  onRoomEvent(listener: (event: RawRoomEvent) => void): Unsubscribe {
    this.roomListeners.add(listener);
    return () => {
      this.roomListeners.delete(listener);
    };
  }

  onToDevice(listener: (event: RawToDeviceEvent) => void): Unsubscribe {
    this.toDeviceListeners.add(listener);
    return () => {
      this.toDeviceListeners.delete(listener);
    };
  }

  onTurnServers(listener: (servers: readonly TurnServer[]) => void): Unsubscribe {
    this.turnListeners.add(listener);
    const current = this.turn;
    if (current) {
      queueMicrotask(() => {
        if (this.turnListeners.has(listener)) listener(current);
      });
    }
    return () => {
      this.turnListeners.delete(listener);
    };
  }

  async requestOpenIdToken(): Promise<OpenIdToken> {
    this.require({ kind: 'openid' });
    let credentials;
    try {
      credentials = await this.api.requestOpenIDConnectToken();
    } catch (error) {
      if (error instanceof Error && /declined/i.test(error.message)) {
        throw new CapabilityDeniedError([{ kind: 'openid' }], 'The user or the host declined to share it.');
      }
      throw error;
    }
    if (!credentials.access_token || !credentials.matrix_server_name) {
      throw new Error('The host answered the OpenID request without a token.');
    }
    return {
      access_token: credentials.access_token,
      token_type: credentials.token_type ?? 'Bearer',
      matrix_server_name: credentials.matrix_server_name,
      expires_in: credentials.expires_in ?? 0,
    };
  }

  async downloadFile(contentUri: string): Promise<Blob> {
    this.require({ kind: 'download-file' });
    const { file } = await this.api.downloadFile(contentUri);
    return file instanceof Blob ? file : new Blob([file as BlobPart]);
  }

  async uploadFile(file: Blob): Promise<{ content_uri: string }> {
    this.require({ kind: 'upload-file' });
    const response = await this.api.uploadFile(file);
    return { content_uri: response.content_uri };
  }

  async sendDelayedStateEvent(
    type: string,
    stateKey: string,
    content: object,
    delayMs: number,
  ): Promise<{ delay_id: string }> {
    this.require({ kind: 'delayed-events' });
    this.require({ kind: 'send-state', type, stateKey });
    const response = await this.api.sendStateEvent(type, stateKey, content, this.roomId, delayMs);
    if (!response.delay_id) throw new Error('The host scheduled no delayed event (no delay_id).');
    return { delay_id: response.delay_id };
  }

  async updateDelayedEvent(delayId: string, action: DelayedEventAction): Promise<void> {
    this.require({ kind: 'delayed-events' });
    if (action === 'cancel') await this.api.cancelScheduledDelayedEvent(delayId);
    else if (action === 'restart') await this.api.restartScheduledDelayedEvent(delayId);
    else await this.api.sendScheduledDelayedEvent(delayId);
  }

  /**
   * The RTC transports of the user's homeserver, through the host: MSC4515's widget action
   * `org.matrix.msc4515.get_rtc_transports` (request `{}`, answer `{ rtc_transports: [{ type, ... }] }`,
   * capability `org.matrix.msc4515.rtc_transports`), which the host answers from MSC4143's
   * `GET /_matrix/client/v1/rtc/transports`. Unparsed, at most 32. Rejects with a plain reason when the
   * need was not asked for, the host did not grant the capability, does not list the `org.matrix.msc4515`
   * API version (older hosts), or answers with an error (e.g. its homeserver has no such endpoint).
   */
  async getRtcTransports(): Promise<readonly unknown[]> {
    this.require({ kind: 'rtc-transports' });
    if (!this.approved.has(MatrixCapabilities.MSC4515RtcTransports)) {
      throw new Error('the host did not allow reading its RTC transports (MSC4515)');
    }
    const versions = await this.api.getClientVersions();
    if (!versions.includes(UnstableApiVersion.MSC4515)) {
      throw new Error('the host does not offer RTC transports to widgets (no MSC4515)');
    }
    let answer: unknown;
    try {
      answer = await this.api.getRtcTransports();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`the host gave no RTC transports: ${why}`, { cause: error });
    }
    const list = (answer as { rtc_transports?: unknown } | null)?.rtc_transports;
    if (!Array.isArray(list)) throw new Error('the host answered without an rtc_transports list');
    return list.slice(0, 32);
  }

  close(): void {
    this.closed = true;
    this.roomListeners.clear();
    this.toDeviceListeners.clear();
    this.turnListeners.clear();
    this.api.off(`action:${WidgetApiToWidgetAction.Capabilities}`, this.onCapabilitiesRequest);
    this.api.off(`action:${WidgetApiToWidgetAction.NotifyCapabilities}`, this.onNotifyCapabilities);
    this.api.off(`action:${WidgetApiToWidgetAction.SendEvent}`, this.onSendEvent);
    this.api.off(`action:${WidgetApiToWidgetAction.SendToDevice}`, this.onSendToDevice);
    this.api.off(`action:${WidgetApiToWidgetAction.UpdateState}`, this.onUpdateState);
  }

  // ---- negotiation -------------------------------------------------------------------------

  private async negotiate(needs: Need[]): Promise<readonly Need[]> {
    if (this.closed) throw new Error('WidgetTransport is closed');
    const fresh = needs.filter((need) => !this.asked.some((a) => needKey(a) === needKey(need)));
    this.asked.push(...fresh);
    const newCapabilities = capabilitiesToRequest(fresh, this.roomId).filter((c) => !this.requested.has(c));
    for (const capability of newCapabilities) this.requested.add(capability);

    if (!this.firstStarted) {
      this.firstStarted = true;
      await this.firstNegotiation();
    } else if (newCapabilities.length > 0) {
      await this.renegotiate(newCapabilities);
    }
    this.refused = refusedNeeds(this.asked, this.roomId, this.approved);
    if (this.has({ kind: 'turn-servers' })) this.watchTurnServers();
    return needs.filter((need) => this.refused.some((r) => needKey(r) === needKey(need)));
  }

  private firstNegotiation(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.firstDone = undefined;
        reject(
          new Error(
            `The host did not negotiate capabilities within ${this.timeoutMs} ms. ` +
              'Create the WidgetTransport as the page loads, and check the widget is embedded by a widget host.',
          ),
        );
      }, this.timeoutMs);
      this.firstDone = (error) => {
        clearTimeout(timer);
        this.firstDone = undefined;
        if (error) reject(error);
        else resolve();
      };
      if (this.heldRequest) {
        const request = this.heldRequest;
        this.heldRequest = undefined;
        void this.answerCapabilities(request);
      }
    });
  }

  private async answerCapabilities(request: IWidgetApiRequest): Promise<void> {
    this.firstAnswered = true;
    const versions = await this.api.getClientVersions();
    const notified = versions.includes(UnstableApiVersion.MSC2871) ? this.nextNotification() : undefined;
    this.api.transport.reply(request, { capabilities: [...this.requested] });
    if (notified) await notified;
    else this.approved = new Set(this.requested);
    this.firstDone?.();
  }

  private async renegotiate(capabilities: string[]): Promise<void> {
    const versions = await this.api.getClientVersions();
    if (!versions.includes(UnstableApiVersion.MSC2974)) return; // cannot add: they stay unapproved
    const notified = this.nextNotification();
    await this.api.transport.send(WidgetApiFromWidgetAction.MSC2974RenegotiateCapabilities, { capabilities });
    const timedOut = new Promise<void>((resolve) => setTimeout(resolve, this.timeoutMs));
    await Promise.race([notified, timedOut]);
  }

  private nextNotification(): Promise<void> {
    return new Promise((resolve) => this.notifyWaiters.push(resolve));
  }

  private readonly onCapabilitiesRequest = (event: CustomActionEvent): void => {
    event.preventDefault();
    if (this.firstAnswered) {
      // A second request (the iframe was reloaded in place): answer with everything asked so far.
      this.api.transport.reply(event.detail, { capabilities: [...this.requested] });
    } else if (this.firstStarted) {
      void this.answerCapabilities(event.detail);
    } else {
      this.heldRequest = event.detail;
    }
  };

  private readonly onNotifyCapabilities = (event: CustomActionEvent): void => {
    // WidgetApi acknowledges it; we only read the approved list.
    const approved = (event.detail.data as { approved?: unknown }).approved;
    if (Array.isArray(approved))
      this.approved = new Set(approved.filter((c): c is string => typeof c === 'string'));
    for (const resolve of this.notifyWaiters.splice(0)) resolve();
  };

  // ---- incoming ----------------------------------------------------------------------------

  private readonly onSendEvent = (event: CustomActionEvent): void => {
    event.preventDefault();
    this.api.transport.reply(event.detail, {});
    const data = event.detail.data as unknown as IRoomEvent;
    if (this.closed || data.room_id !== this.roomId) return;
    const roomEvent = data as unknown as RawRoomEvent;
    if (roomEvent.state_key !== undefined) this.rememberState(roomEvent);
    for (const listener of [...this.roomListeners]) callSafely(listener, roomEvent);
  };

  private readonly onSendToDevice = (event: CustomActionEvent): void => {
    event.preventDefault();
    this.api.transport.reply(event.detail, {});
    if (this.closed) return;
    const data = event.detail.data as {
      type?: unknown;
      sender?: unknown;
      content?: unknown;
      encrypted?: unknown;
    };
    if (typeof data.type !== 'string' || typeof data.sender !== 'string') return;
    const message: RawToDeviceEvent = {
      type: data.type,
      sender: data.sender,
      content: data.content,
      encrypted: data.encrypted === true,
    };
    for (const listener of [...this.toDeviceListeners]) callSafely(listener, message);
  };

  private readonly onUpdateState = (event: CustomActionEvent): void => {
    event.preventDefault();
    this.api.transport.reply(event.detail, {});
    const state = (event.detail.data as { state?: unknown }).state;
    if (!Array.isArray(state)) return;
    for (const item of state as RawRoomEvent[]) {
      if (item && item.room_id === this.roomId && typeof item.state_key === 'string')
        this.rememberState(item);
    }
  };

  private rememberState(event: RawRoomEvent): void {
    const key = `${event.type}\u0000${event.state_key}`;
    const known = this.pushedState.get(key);
    if (!known || event.origin_server_ts >= known.origin_server_ts) this.pushedState.set(key, event);
  }

  private watchTurnServers(): void {
    if (this.watchingTurn) return;
    this.watchingTurn = true;
    void (async () => {
      try {
        for await (const server of this.api.getTurnServers()) {
          if (this.closed) break;
          const servers: TurnServer[] = [
            { urls: [...server.uris], username: server.username, credential: server.password },
          ];
          this.turn = servers;
          for (const listener of [...this.turnListeners]) callSafely(listener, servers);
        }
      } catch (error) {
        // Hosts without TURN servers often leave the watch request unanswered until it times out:
        // that only means calls connect directly (or through the host's network), not a fault.
        if (/timed? ?out/i.test(error instanceof Error ? error.message : String(error))) {
          console.debug('matrix call kit: the host gave no TURN servers; calls connect without TURN');
        } else {
          console.warn('The host stopped giving TURN servers', error);
        }
      }
    })();
  }

  // ---- checks ------------------------------------------------------------------------------

  private has(need: Need): boolean {
    return this.asked.some((a) => needCovers(a, need)) && !this.refused.some((r) => needCovers(r, need));
  }

  private require(need: Need): void {
    if (this.closed) throw new Error('WidgetTransport is closed');
    if (this.has(need)) return;
    const refused = this.refused.some((r) => needCovers(r, need));
    throw new CapabilityDeniedError(
      [need],
      refused ? 'The host refused it.' : 'It was not asked for in start().',
    );
  }
}

function callSafely<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    console.error('A transport listener failed', error);
  }
}
