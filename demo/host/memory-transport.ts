/**
 * MemoryTransport: MatrixTransport for one (user, device, room) over the TestHomeserver double.
 * Used by fast integration tests, interop tests and benchmarks; not shipped in the kit.
 *
 * Owns: acting like a widget host would: `start(needs)` grants what is asked minus an optional deny
 * list, every operation checks what was granted (a missing need rejects with CapabilityDeniedError),
 * and incoming events are filtered to this room and to the granted types, as a host filters them.
 * Never: calls, parsing of contents, or state of its own beyond subscriptions.
 *
 * Like a widget that just loaded, it sees only events that arrive after `start`; earlier ones
 * are read with readTimeline / readState. Own events are echoed back, as from a real host.
 */
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
} from '../../src/transport/transport.js';
import { needCovers, uniqueNeeds } from '../../src/transport/needs.js';
import type { TestHomeserver } from './homeserver.js';

export interface MemoryTransportOptions {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  /**
   * Needs the simulated host refuses: a list (a state need without stateKey refuses every key)
   * or a predicate.
   */
  readonly deny?: readonly Need[] | ((need: Need) => boolean);
  /** Check operations and incoming events against the granted needs. Default true. */
  readonly enforceNeeds?: boolean;
}

export class MemoryTransport implements MatrixTransport {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;

  private readonly granted: Need[] = [];
  private readonly refused: Need[] = [];
  private readonly isDenied: (need: Need) => boolean;
  private readonly enforce: boolean;
  private readonly roomListeners = new Set<(event: RawRoomEvent) => void>();
  private readonly toDeviceListeners = new Set<(event: RawToDeviceEvent) => void>();
  private readonly turnListeners = new Set<(servers: readonly TurnServer[]) => void>();
  private readonly cleanups: Unsubscribe[] = [];
  private subscribed = false;
  private turnWired = false;
  private closed = false;

  constructor(
    private readonly homeserver: TestHomeserver,
    options: MemoryTransportOptions,
  ) {
    this.userId = options.userId;
    this.deviceId = options.deviceId;
    this.roomId = options.roomId;
    this.enforce = options.enforceNeeds ?? true;
    const deny = options.deny ?? [];
    this.isDenied = typeof deny === 'function' ? deny : (need) => deny.some((d) => needCovers(d, need));
    homeserver.addDevice(this.userId, this.deviceId);
  }

  /** What the simulated host granted so far. */
  get grantedNeeds(): readonly Need[] {
    return [...this.granted];
  }

  async start(needs: readonly Need[]): Promise<readonly Need[]> {
    this.assertOpen();
    const fresh = uniqueNeeds(needs).filter(
      (need) =>
        !this.granted.some((g) => needCovers(g, need)) && !this.refused.some((r) => needCovers(r, need)),
    );
    for (const need of fresh) (this.isDenied(need) ? this.refused : this.granted).push(need);
    if (!this.subscribed) {
      this.subscribed = true;
      this.cleanups.push(
        this.homeserver.subscribe(this.userId, this.deviceId, {
          onRoomEvent: (event) => this.deliverRoomEvent(event),
          onToDevice: (event) => this.deliverToDevice(event),
        }),
      );
    }
    if (!this.turnWired && this.has({ kind: 'turn-servers' })) {
      this.turnWired = true;
      this.cleanups.push(this.homeserver.onTurnServersChanged((servers) => this.emitTurn(servers)));
      const current = this.homeserver.turnServers;
      if (current.length > 0) queueMicrotask(() => this.emitTurn(current));
    }
    // Everything asked and refused, including refusals from earlier calls that were asked again.
    return uniqueNeeds(needs).filter((need) => this.refused.some((r) => needCovers(r, need)));
  }

  async sendRoomEvent(type: string, content: object): Promise<{ event_id: string }> {
    this.require({ kind: 'send-event', type });
    const event = this.homeserver.sendEvent(this.roomId, this.userId, type, content, {
      senderDevice: this.deviceId,
    });
    return { event_id: event.event_id };
  }

  async sendStateEvent(type: string, stateKey: string, content: object): Promise<{ event_id: string }> {
    this.require({ kind: 'send-state', type, stateKey });
    const event = this.homeserver.sendState(this.roomId, this.userId, type, stateKey, content, this.deviceId);
    return { event_id: event.event_id };
  }

  async sendToDevice(
    type: string,
    encrypted: boolean,
    messages: Readonly<Record<string, Readonly<Record<string, object>>>>,
  ): Promise<void> {
    this.require({ kind: 'send-to-device', type });
    this.homeserver.sendToDevice(this.userId, this.deviceId, type, encrypted, messages);
  }

  async readState(type: string, stateKey?: string): Promise<RawRoomEvent[]> {
    this.require({ kind: 'receive-state', type, ...(stateKey !== undefined ? { stateKey } : {}) });
    return this.homeserver.state(this.roomId, type, stateKey);
  }

  async readTimeline(type: string, limit: number): Promise<RawRoomEvent[]> {
    // As a widget host does: reading needs the timeline and the right to receive that type.
    this.require({ kind: 'read-timeline' });
    this.require({ kind: 'receive-event', type });
    return this.homeserver.readTimeline(this.roomId, { type, limit });
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
    const current = this.homeserver.turnServers;
    if (this.turnWired && current.length > 0) {
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
    return this.homeserver.requestOpenIdToken(this.userId);
  }

  async downloadFile(contentUri: string): Promise<Blob> {
    this.require({ kind: 'download-file' });
    const blob = this.homeserver.download(contentUri);
    if (!blob) throw new Error(`No file at ${contentUri}`);
    return blob;
  }

  async uploadFile(file: Blob): Promise<{ content_uri: string }> {
    this.require({ kind: 'upload-file' });
    return { content_uri: this.homeserver.upload(this.userId, file) };
  }

  async sendDelayedStateEvent(
    type: string,
    stateKey: string,
    content: object,
    delayMs: number,
  ): Promise<{ delay_id: string }> {
    this.require({ kind: 'delayed-events' });
    this.require({ kind: 'send-state', type, stateKey });
    const delayId = this.homeserver.scheduleDelayedEvent(
      this.roomId,
      this.userId,
      { type, stateKey, content },
      delayMs,
    );
    return { delay_id: delayId };
  }

  async updateDelayedEvent(delayId: string, action: DelayedEventAction): Promise<void> {
    this.require({ kind: 'delayed-events' });
    this.homeserver.updateDelayedEvent(delayId, this.userId, action);
  }

  close(): void {
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.roomListeners.clear();
    this.toDeviceListeners.clear();
    this.turnListeners.clear();
  }

  private has(need: Need): boolean {
    return !this.enforce || this.granted.some((g) => needCovers(g, need));
  }

  private require(need: Need): void {
    this.assertOpen();
    if (this.has(need)) return;
    const refused = this.refused.some((r) => needCovers(r, need));
    throw new CapabilityDeniedError(
      [need],
      refused ? 'The host refused it.' : 'It was not asked for in start().',
    );
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryTransport is closed');
  }

  private mayReceive(event: RawRoomEvent): boolean {
    return event.state_key !== undefined
      ? this.has({ kind: 'receive-state', type: event.type, stateKey: event.state_key })
      : this.has({ kind: 'receive-event', type: event.type });
  }

  private deliverRoomEvent(event: RawRoomEvent): void {
    if (this.closed || event.room_id !== this.roomId || !this.mayReceive(event)) return;
    for (const listener of [...this.roomListeners]) listener(event);
  }

  private deliverToDevice(event: RawToDeviceEvent): void {
    if (this.closed || !this.has({ kind: 'receive-to-device', type: event.type })) return;
    for (const listener of [...this.toDeviceListeners]) listener(event);
  }

  private emitTurn(servers: readonly TurnServer[]): void {
    if (this.closed) return;
    for (const listener of [...this.turnListeners]) listener(servers);
  }
}
