/**
 * The host side's WidgetDriver for one widget (one user, device and room), backed by the
 * TestHomeserver double. It is what a real client's driver does against a real homeserver:
 * approve capabilities, send and read events, to-device, TURN, upload, delayed events, OpenID, and the
 * homeserver's RTC transports (MSC4515, answered from the double's MSC4143 endpoint).
 *
 * Owns: translating matrix-widget-api driver calls into TestHomeserver calls, and a capability
 * policy (approve everything asked unless the policy refuses it; tests use that to simulate a
 * strict host). Never: feeds events to the widget (widget-host.ts does), or shows UI.
 */
import {
  OpenIDRequestState,
  WidgetDriver,
  type Capability,
  type IGetMediaConfigResult,
  type IOpenIDUpdate,
  type IRoomEvent,
  type ISendDelayedEventDetails,
  type ISendEventDetails,
  type IRtcTransportsResult,
  type ITurnServer,
  type SimpleObservable,
} from 'matrix-widget-api';
import type { RawRoomEvent, TurnServer } from '../../src/transport/transport.js';
import type { TestHomeserver } from './homeserver.js';

export interface HostPolicy {
  /** Return true to refuse a capability the widget asks for. */
  readonly refuseCapability?: (capability: Capability) => boolean;
  /** Refuse OpenID token requests (as a user clicking "deny" would). */
  readonly refuseOpenId?: boolean;
  /**
   * Behave as a host from before MSC4515: the widget's `get_rtc_transports` request is answered with
   * an error, as WidgetDriver's default does.
   */
  readonly withoutRtcTransports?: boolean;
}

export interface DriverIdentity {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
}

export class HomeserverWidgetDriver extends WidgetDriver {
  /** Every capability set the widget asked for, in order (for tests and the demo's panel). */
  readonly capabilityRequests: Array<ReadonlySet<Capability>> = [];

  constructor(
    private readonly homeserver: TestHomeserver,
    readonly identity: DriverIdentity,
    private readonly policy: HostPolicy = {},
  ) {
    super();
  }

  override async validateCapabilities(requested: Set<Capability>): Promise<Set<Capability>> {
    this.capabilityRequests.push(new Set(requested));
    const refuse = this.policy.refuseCapability ?? (() => false);
    return new Set([...requested].filter((capability) => !refuse(capability)));
  }

  override async sendEvent(
    eventType: string,
    content: unknown,
    stateKey?: string | null,
    roomId?: string | null,
  ): Promise<ISendEventDetails> {
    const room = roomId ?? this.identity.roomId;
    const event = this.homeserver.sendEvent(room, this.identity.userId, eventType, asObject(content), {
      ...(typeof stateKey === 'string' ? { stateKey } : {}),
      senderDevice: this.identity.deviceId,
    });
    return { roomId: room, eventId: event.event_id };
  }

  override async sendDelayedEvent(
    delay: number,
    eventType: string,
    content: unknown,
    stateKey?: string | null,
    roomId?: string | null,
  ): Promise<ISendDelayedEventDetails> {
    const room = roomId ?? this.identity.roomId;
    const delayId = this.homeserver.scheduleDelayedEvent(
      room,
      this.identity.userId,
      { type: eventType, content: asObject(content), ...(typeof stateKey === 'string' ? { stateKey } : {}) },
      delay,
    );
    return { roomId: room, delayId };
  }

  override async cancelScheduledDelayedEvent(delayId: string): Promise<void> {
    this.homeserver.updateDelayedEvent(delayId, this.identity.userId, 'cancel');
  }

  override async restartScheduledDelayedEvent(delayId: string): Promise<void> {
    this.homeserver.updateDelayedEvent(delayId, this.identity.userId, 'restart');
  }

  override async sendScheduledDelayedEvent(delayId: string): Promise<void> {
    this.homeserver.updateDelayedEvent(delayId, this.identity.userId, 'send');
  }

  override async sendToDevice(
    eventType: string,
    encrypted: boolean,
    contentMap: { [userId: string]: { [deviceId: string]: object } },
  ): Promise<void> {
    this.homeserver.sendToDevice(
      this.identity.userId,
      this.identity.deviceId,
      eventType,
      encrypted,
      contentMap,
    );
  }

  override async readRoomTimeline(
    roomId: string,
    eventType: string,
    msgtype: string | undefined,
    stateKey: string | undefined,
    limit: number,
  ): Promise<IRoomEvent[]> {
    // Newest first; 0 means no limit. Filtering precedes the limit, as a client scanning back does.
    return this.homeserver
      .readTimeline(roomId, { type: eventType })
      .filter((e) => stateKey === undefined || e.state_key === stateKey)
      .filter((e) => msgtype === undefined || (e.content as { msgtype?: unknown }).msgtype === msgtype)
      .slice(0, limit > 0 ? limit : undefined)
      .map(toWidgetEvent);
  }

  override async readRoomState(
    roomId: string,
    eventType: string,
    stateKey: string | undefined,
  ): Promise<IRoomEvent[]> {
    return this.homeserver.state(roomId, eventType, stateKey).map(toWidgetEvent);
  }

  // The older, room-less reads: they mean the widget's own room.
  override readRoomEvents(
    eventType: string,
    msgtype: string | undefined,
    limit: number,
  ): Promise<IRoomEvent[]> {
    return this.readRoomTimeline(this.identity.roomId, eventType, msgtype, undefined, limit);
  }

  override async readStateEvents(
    eventType: string,
    stateKey: string | undefined,
    limit: number,
  ): Promise<IRoomEvent[]> {
    const events = await this.readRoomState(this.identity.roomId, eventType, stateKey);
    return limit > 0 ? events.slice(0, limit) : events;
  }

  override askOpenID(observer: SimpleObservable<IOpenIDUpdate>): void {
    if (this.policy.refuseOpenId) {
      observer.update({ state: OpenIDRequestState.Blocked });
      return;
    }
    const token = this.homeserver.requestOpenIdToken(this.identity.userId);
    observer.update({ state: OpenIDRequestState.Allowed, token });
  }

  override async *getTurnServers(): AsyncGenerator<ITurnServer> {
    // Yields the current servers (if any), then every change the homeserver announces.
    const pending: Array<readonly TurnServer[]> = [];
    let wake: (() => void) | undefined;
    const stop = this.homeserver.onTurnServersChanged((servers) => {
      pending.push(servers);
      wake?.();
    });
    try {
      if (this.homeserver.turnServers.length > 0) pending.push(this.homeserver.turnServers);
      for (;;) {
        while (pending.length > 0) {
          const first = pending.shift()![0];
          if (first) yield { uris: [...first.urls], username: first.username, password: first.credential };
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      stop();
    }
  }

  override async getRtcTransports(): Promise<IRtcTransportsResult> {
    if (this.policy.withoutRtcTransports) return super.getRtcTransports();
    return this.homeserver.rtcTransports() as IRtcTransportsResult;
  }

  override async getMediaConfig(): Promise<IGetMediaConfigResult> {
    return { 'm.upload.size': 100 * 1024 * 1024 };
  }

  override async uploadFile(file: XMLHttpRequestBodyInit): Promise<{ contentUri: string }> {
    const blob = file instanceof Blob ? file : new Blob([file as BlobPart]);
    return { contentUri: this.homeserver.upload(this.identity.userId, blob) };
  }

  override async downloadFile(contentUri: string): Promise<{ file: XMLHttpRequestBodyInit }> {
    const blob = this.homeserver.download(contentUri);
    if (!blob) throw new Error(`Unknown media ${contentUri}`);
    return { file: blob };
  }

  override getKnownRooms(): string[] {
    return this.homeserver
      .roomIds()
      .filter((roomId) => this.homeserver.joinedMembers(roomId).includes(this.identity.userId));
  }
}

/** The widget API's event shape: `unsigned` always present, content an object. */
export function toWidgetEvent(event: RawRoomEvent): IRoomEvent {
  return {
    ...event,
    content: asObject(event.content) as Record<string, unknown>,
    unsigned: { ...(event.unsigned ?? {}) },
  } as IRoomEvent;
}

function asObject(content: unknown): object {
  return typeof content === 'object' && content !== null ? content : {};
}
