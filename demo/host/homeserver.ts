/**
 * TEST DOUBLE of a Matrix homeserver, running inside the page. No real homeserver can be installed
 * where the kit is developed, so the demo, the tests and the benchmarks talk to this instead.
 *
 * Owns: users and their devices, rooms (members with join state and display names, join rule,
 * encryption state), one timeline per room, room state by (type, state_key), to-device queues per
 * (user, device), delayed events (MSC4157), media uploads, the TURN servers it hands out and OpenID
 * tokens; per-device subscriptions for room events and to-device messages; an observer hook that
 * sees every event flowing.
 * Never: federation, sync tokens, encryption (the `encrypted` flag of to-device messages is carried
 * as the sender set it, the way a host reports a message it decrypted), power levels, or anything
 * about calls. It is not shipped in the kit.
 *
 * Behaviour that matters to callers:
 * - Calls are synchronous and deterministic (ids are counters); delivery to subscribers is async,
 *   through one FIFO queue drained in a microtask (or a task, by option), so every device sees
 *   events in the server's order, after the sender's call has returned.
 * - Room events go to every device of every joined member, the sender's own devices included (a
 *   real server echoes your own events back through sync). A member event also reaches its target.
 * - `unsigned.age` is computed when an event is delivered or read, from the clock.
 * - To-device messages wait in a queue until their device has a subscriber, then are delivered
 *   in order. Device '*' means every device the user has at send time.
 * - Sending into a room the sender has not joined throws a HomeserverError (M_FORBIDDEN).
 */
import type {
  OpenIdToken,
  RawRoomEvent,
  RawToDeviceEvent,
  TurnServer,
  Unsubscribe,
} from '../../src/transport/transport.js';

/** Time source; pass test/support/fake-clock.ts's FakeClock to drive delayed events by hand. */
export interface HomeserverClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HomeserverOptions {
  /** The part after the colon in ids. Default 'test.invalid'. */
  readonly serverName?: string;
  readonly clock?: HomeserverClock;
  /** 'microtask' (default, works with a fake clock) or 'task' (setTimeout 0, like a network). */
  readonly delivery?: 'microtask' | 'task';
}

export type Membership = 'join' | 'invite' | 'leave' | 'ban' | 'knock';
export type JoinRule = 'public' | 'invite';

export interface RoomMember {
  readonly userId: string;
  readonly membership: Membership;
  readonly displayName?: string;
}

export interface CreateRoomOptions {
  /** Chosen id; default `!room<N>:<serverName>`. */
  readonly roomId?: string;
  readonly creator: string;
  /** Other users that join right after creation (in order). */
  readonly members?: readonly string[];
  /** Users invited by the creator (membership 'invite'). */
  readonly invited?: readonly string[];
  readonly name?: string;
  /** Default 'invite'. */
  readonly joinRule?: JoinRule;
  /** Adds an m.room.encryption state event (megolm). Default false. */
  readonly encrypted?: boolean;
}

/** An event as it flows, for the demo's event panel and the benchmarks' counts. */
export interface FlowRecord {
  readonly kind: 'room' | 'to-device';
  readonly type: string;
  readonly sender: string;
  /** The sending device, when known (to-device always; room events when sent via a device). */
  readonly senderDevice?: string;
  /** Room id for room events; `userId/deviceId` (deviceId may be '*') for to-device. */
  readonly target: string;
  readonly stateKey?: string;
  readonly encrypted?: boolean;
  /** UTF-8 length of JSON.stringify(content). */
  readonly bytes: number;
  readonly ts: number;
  readonly content: unknown;
  /** Room events only. */
  readonly eventId?: string;
}

export interface DeviceSubscriber {
  /** Every room event of every room this user is joined to (filter by room_id). */
  onRoomEvent?(event: RawRoomEvent): void;
  onToDevice?(event: RawToDeviceEvent): void;
}

export interface DelayedEventInfo {
  readonly delayId: string;
  readonly roomId: string;
  readonly sender: string;
  readonly type: string;
  readonly stateKey?: string;
  readonly content: object;
  readonly delayMs: number;
  /** When it will be sent, by the clock. */
  readonly dueAt: number;
}

export interface StoredUpload {
  readonly mxc: string;
  readonly uploader: string;
  readonly blob: Blob;
}

/** What a client-server API error would carry. */
export class HomeserverError extends Error {
  override readonly name = 'HomeserverError';
  constructor(
    readonly errcode: string,
    message: string,
  ) {
    super(`${errcode}: ${message}`);
  }
}

interface Room {
  readonly roomId: string;
  readonly timeline: RawRoomEvent[];
  /** key: `${type}\u0000${stateKey}` */
  readonly state: Map<string, RawRoomEvent>;
}

interface PendingDelayed extends DelayedEventInfo {
  timer: unknown;
}

const realClock: HomeserverClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const stateKeyOf = (type: string, stateKey: string) => `${type}\u0000${stateKey}`;
const deviceKeyOf = (userId: string, deviceId: string) => `${userId}\u0000${deviceId}`;
const byteLength = (content: unknown) => new TextEncoder().encode(JSON.stringify(content) ?? '').length;

export class TestHomeserver {
  readonly serverName: string;
  private readonly clock: HomeserverClock;
  private readonly delivery: 'microtask' | 'task';

  private readonly devices = new Map<string, string[]>();
  private readonly displayNames = new Map<string, string>();
  private readonly rooms = new Map<string, Room>();
  private readonly subscribers = new Map<string, Set<DeviceSubscriber>>();
  private readonly toDeviceQueues = new Map<string, RawToDeviceEvent[]>();
  private readonly delayed = new Map<string, PendingDelayed>();
  private readonly uploads = new Map<string, StoredUpload>();
  private readonly openIdTokens = new Map<string, string>();
  private readonly observers = new Set<(record: FlowRecord) => void>();
  private readonly turnListeners = new Set<(servers: readonly TurnServer[]) => void>();
  private turn: readonly TurnServer[] = [];
  private rtcTransportList: readonly object[] | undefined;

  private readonly outbox: Array<() => void> = [];
  private drainScheduled = false;
  private counter = 0;

  constructor(options: HomeserverOptions = {}) {
    this.serverName = options.serverName ?? 'test.invalid';
    this.clock = options.clock ?? realClock;
    this.delivery = options.delivery ?? 'microtask';
  }

  // ---- users and devices -------------------------------------------------------------------

  /** Registers a user (idempotent) with devices and an optional global display name. */
  addUser(userId: string, options: { devices?: readonly string[]; displayName?: string } = {}): void {
    if (!this.devices.has(userId)) this.devices.set(userId, []);
    for (const deviceId of options.devices ?? []) this.addDevice(userId, deviceId);
    if (options.displayName !== undefined) this.displayNames.set(userId, options.displayName);
  }

  addDevice(userId: string, deviceId: string): void {
    const list = this.devices.get(userId) ?? [];
    if (!list.includes(deviceId)) list.push(deviceId);
    this.devices.set(userId, list);
  }

  devicesOf(userId: string): readonly string[] {
    return [...(this.devices.get(userId) ?? [])];
  }

  // ---- rooms -------------------------------------------------------------------------------

  /** Creates a room with its initial state in the timeline; returns the room id. */
  createRoom(options: CreateRoomOptions): string {
    const roomId = options.roomId ?? `!room${++this.counter}:${this.serverName}`;
    if (this.rooms.has(roomId)) throw new HomeserverError('M_ROOM_IN_USE', `${roomId} exists`);
    this.rooms.set(roomId, { roomId, timeline: [], state: new Map() });
    const creator = options.creator;
    this.addUser(creator);
    this.append(roomId, creator, 'm.room.create', { creator, room_version: '10' }, '');
    this.setMembership(roomId, creator, creator, 'join');
    this.append(roomId, creator, 'm.room.power_levels', { users: { [creator]: 100 } }, '');
    this.append(roomId, creator, 'm.room.join_rules', { join_rule: options.joinRule ?? 'invite' }, '');
    if (options.name !== undefined) this.append(roomId, creator, 'm.room.name', { name: options.name }, '');
    if (options.encrypted) {
      this.append(roomId, creator, 'm.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' }, '');
    }
    for (const userId of options.invited ?? []) this.invite(roomId, creator, userId);
    for (const userId of options.members ?? []) this.join(roomId, userId);
    return roomId;
  }

  join(roomId: string, userId: string, displayName?: string): RawRoomEvent {
    this.addUser(userId);
    return this.setMembership(roomId, userId, userId, 'join', displayName);
  }

  invite(roomId: string, sender: string, userId: string): RawRoomEvent {
    this.addUser(userId);
    return this.setMembership(roomId, sender, userId, 'invite');
  }

  /** Makes a member leave the room (or kicks them, when `sender` is someone else). */
  leave(roomId: string, userId: string, sender: string = userId): RawRoomEvent {
    return this.setMembership(roomId, sender, userId, 'leave');
  }

  members(roomId: string): RoomMember[] {
    return this.state(roomId, 'm.room.member').map((event) => {
      const content = event.content as { membership: Membership; displayname?: string };
      return {
        userId: event.state_key ?? '',
        membership: content.membership,
        ...(content.displayname !== undefined ? { displayName: content.displayname } : {}),
      };
    });
  }

  joinedMembers(roomId: string): string[] {
    return this.members(roomId)
      .filter((member) => member.membership === 'join')
      .map((member) => member.userId);
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  // ---- room events and state ---------------------------------------------------------------

  /** Sends a message event (or a state event with `stateKey`) as `sender`, who must be joined. */
  sendEvent(
    roomId: string,
    sender: string,
    type: string,
    content: object,
    options: { stateKey?: string; senderDevice?: string } = {},
  ): RawRoomEvent {
    this.requireJoined(roomId, sender);
    return this.append(roomId, sender, type, content, options.stateKey, options.senderDevice);
  }

  sendState(
    roomId: string,
    sender: string,
    type: string,
    stateKey: string,
    content: object,
    senderDevice?: string,
  ): RawRoomEvent {
    return this.sendEvent(roomId, sender, type, content, {
      stateKey,
      ...(senderDevice !== undefined ? { senderDevice } : {}),
    });
  }

  /** Current state events in the room, of one type (all state keys, or one) or of every type. */
  state(roomId: string, type?: string, stateKey?: string): RawRoomEvent[] {
    const room = this.room(roomId);
    const now = this.clock.now();
    return [...room.state.values()]
      .filter(
        (e) =>
          (type === undefined || e.type === type) && (stateKey === undefined || e.state_key === stateKey),
      )
      .map((e) => withAge(e, now));
  }

  /** Recent timeline events, newest first, optionally of one type, at most `limit`. */
  readTimeline(roomId: string, options: { type?: string; limit?: number } = {}): RawRoomEvent[] {
    const room = this.room(roomId);
    const now = this.clock.now();
    const out: RawRoomEvent[] = [];
    const limit = options.limit ?? Infinity;
    for (let i = room.timeline.length - 1; i >= 0 && out.length < limit; i--) {
      const event = room.timeline[i]!;
      if (options.type === undefined || event.type === options.type) out.push(withAge(event, now));
    }
    return out;
  }

  /** The whole timeline, oldest first, as stored (no `unsigned.age`). */
  timeline(roomId: string): readonly RawRoomEvent[] {
    return [...this.room(roomId).timeline];
  }

  // ---- to-device ---------------------------------------------------------------------------

  /** messages[userId][deviceId] = content; '*' is every device the user has now. */
  sendToDevice(
    sender: string,
    senderDevice: string,
    type: string,
    encrypted: boolean,
    messages: Readonly<Record<string, Readonly<Record<string, object>>>>,
  ): void {
    const ts = this.clock.now();
    for (const [userId, byDevice] of Object.entries(messages)) {
      for (const [deviceId, content] of Object.entries(byDevice)) {
        const copy = structuredClone(content) as object;
        this.notify({
          kind: 'to-device',
          type,
          sender,
          senderDevice,
          target: `${userId}/${deviceId}`,
          encrypted,
          bytes: byteLength(copy),
          ts,
          content: copy,
        });
        const targets = deviceId === '*' ? this.devicesOf(userId) : [deviceId];
        for (const target of targets) {
          this.enqueueToDevice(userId, target, { type, sender, content: structuredClone(copy), encrypted });
        }
      }
    }
  }

  /** To-device messages waiting for a device that has no subscriber yet. */
  pendingToDevice(userId: string, deviceId: string): readonly RawToDeviceEvent[] {
    return [...(this.toDeviceQueues.get(deviceKeyOf(userId, deviceId)) ?? [])];
  }

  // ---- subscriptions -----------------------------------------------------------------------

  /**
   * Listens as one device (registering it if new). Queued to-device messages are delivered to
   * the first subscriber that takes them. Returns the way to stop listening.
   */
  subscribe(userId: string, deviceId: string, subscriber: DeviceSubscriber): Unsubscribe {
    this.addDevice(userId, deviceId);
    const key = deviceKeyOf(userId, deviceId);
    const set = this.subscribers.get(key) ?? new Set();
    set.add(subscriber);
    this.subscribers.set(key, set);
    if (subscriber.onToDevice) this.flushToDevice(userId, deviceId);
    return () => {
      set.delete(subscriber);
    };
  }

  /** Sees every room event and to-device message as it is accepted. */
  observe(listener: (record: FlowRecord) => void): Unsubscribe {
    this.observers.add(listener);
    return () => {
      this.observers.delete(listener);
    };
  }

  // ---- delayed events (MSC4157) ------------------------------------------------------------

  /** Schedules an event (state when `stateKey` is given) to be sent after `delayMs`. */
  scheduleDelayedEvent(
    roomId: string,
    sender: string,
    event: { type: string; content: object; stateKey?: string },
    delayMs: number,
  ): string {
    this.requireJoined(roomId, sender);
    if (!(delayMs >= 0)) throw new HomeserverError('M_INVALID_PARAM', 'delay must be >= 0');
    const delayId = `syd_${++this.counter}`;
    const pending: PendingDelayed = {
      delayId,
      roomId,
      sender,
      type: event.type,
      ...(event.stateKey !== undefined ? { stateKey: event.stateKey } : {}),
      content: structuredClone(event.content) as object,
      delayMs,
      dueAt: this.clock.now() + delayMs,
      timer: undefined,
    };
    pending.timer = this.clock.setTimeout(() => this.fireDelayed(delayId), delayMs);
    this.delayed.set(delayId, pending);
    return delayId;
  }

  /** Restart, cancel or send now. Only the scheduling user may; unknown ids are M_NOT_FOUND. */
  updateDelayedEvent(delayId: string, sender: string, action: 'restart' | 'cancel' | 'send'): void {
    const pending = this.delayed.get(delayId);
    if (!pending || pending.sender !== sender) {
      throw new HomeserverError('M_NOT_FOUND', `no delayed event ${delayId}`);
    }
    this.clock.clearTimeout(pending.timer);
    if (action === 'cancel') {
      this.delayed.delete(delayId);
    } else if (action === 'send') {
      this.fireDelayed(delayId);
    } else {
      const restarted: PendingDelayed = { ...pending, dueAt: this.clock.now() + pending.delayMs };
      restarted.timer = this.clock.setTimeout(() => this.fireDelayed(delayId), pending.delayMs);
      this.delayed.set(delayId, restarted);
    }
  }

  /** Delayed events still waiting, in scheduling order. */
  delayedEvents(): DelayedEventInfo[] {
    return [...this.delayed.values()].map(({ timer: _timer, ...info }) => info);
  }

  // ---- media -------------------------------------------------------------------------------

  upload(uploader: string, blob: Blob): string {
    const mxc = `mxc://${this.serverName}/media${++this.counter}`;
    this.uploads.set(mxc, { mxc, uploader, blob });
    return mxc;
  }

  /** The uploaded blob, or undefined for an unknown URI. */
  download(mxc: string): Blob | undefined {
    return this.uploads.get(mxc)?.blob;
  }

  listUploads(): StoredUpload[] {
    return [...this.uploads.values()];
  }

  // ---- TURN and OpenID ---------------------------------------------------------------------

  get turnServers(): readonly TurnServer[] {
    return this.turn;
  }

  /** Replaces the TURN servers handed out (none by default) and tells every listener. */
  setTurnServers(servers: readonly TurnServer[]): void {
    this.turn = servers.map((s) => ({ ...s, urls: [...s.urls] }));
    for (const listener of [...this.turnListeners]) listener(this.turn);
  }

  /** Hears every change made with setTurnServers. */
  onTurnServersChanged(listener: (servers: readonly TurnServer[]) => void): Unsubscribe {
    this.turnListeners.add(listener);
    return () => {
      this.turnListeners.delete(listener);
    };
  }

  // ---- RTC transports (MSC4143) --------------------------------------------------------------

  /**
   * Sets what this double's `GET /_matrix/client/v1/rtc/transports` (MSC4143) answers, e.g.
   * `[{ type: 'livekit', livekit_service_url }]`; undefined (the default) makes it a homeserver without
   * the endpoint.
   */
  setRtcTransports(transports: readonly object[] | undefined): void {
    this.rtcTransportList = transports?.map((t) => ({ ...t }));
  }

  /** `GET /_matrix/client/v1/rtc/transports`: the call servers, or 404 M_UNRECOGNIZED when there is none. */
  rtcTransports(): { rtc_transports: object[] } {
    if (!this.rtcTransportList) {
      throw new HomeserverError('M_UNRECOGNIZED', 'this homeserver does not serve /rtc/transports');
    }
    return { rtc_transports: this.rtcTransportList.map((t) => ({ ...t })) };
  }

  requestOpenIdToken(userId: string): OpenIdToken {
    const access_token = `openid_${++this.counter}_${encodeURIComponent(userId)}`;
    this.openIdTokens.set(access_token, userId);
    return { access_token, token_type: 'Bearer', matrix_server_name: this.serverName, expires_in: 3600 };
  }

  /** Like the federation /openid/userinfo endpoint: whose token is this? */
  openIdUser(accessToken: string): string | undefined {
    return this.openIdTokens.get(accessToken);
  }

  // ---- internals ---------------------------------------------------------------------------

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new HomeserverError('M_NOT_FOUND', `unknown room ${roomId}`);
    return room;
  }

  private membershipOf(roomId: string, userId: string): Membership | undefined {
    const event = this.room(roomId).state.get(stateKeyOf('m.room.member', userId));
    return (event?.content as { membership?: Membership } | undefined)?.membership;
  }

  private requireJoined(roomId: string, userId: string): void {
    if (this.membershipOf(roomId, userId) !== 'join') {
      throw new HomeserverError('M_FORBIDDEN', `${userId} is not joined to ${roomId}`);
    }
  }

  private setMembership(
    roomId: string,
    sender: string,
    userId: string,
    membership: Membership,
    displayName?: string,
  ): RawRoomEvent {
    const name = displayName ?? this.displayNames.get(userId);
    const content = { membership, ...(name !== undefined ? { displayname: name } : {}) };
    return this.append(roomId, sender, 'm.room.member', content, userId);
  }

  private append(
    roomId: string,
    sender: string,
    type: string,
    content: object,
    stateKey?: string,
    senderDevice?: string,
  ): RawRoomEvent {
    const room = this.room(roomId);
    const copy = structuredClone(content) as object;
    const event: RawRoomEvent = {
      type,
      sender,
      event_id: `$${String(++this.counter).padStart(6, '0')}:${this.serverName}`,
      room_id: roomId,
      origin_server_ts: this.clock.now(),
      content: copy,
      ...(stateKey !== undefined ? { state_key: stateKey } : {}),
    };
    room.timeline.push(event);
    if (stateKey !== undefined) room.state.set(stateKeyOf(type, stateKey), event);
    this.notify({
      kind: 'room',
      type,
      sender,
      ...(senderDevice !== undefined ? { senderDevice } : {}),
      target: roomId,
      ...(stateKey !== undefined ? { stateKey } : {}),
      bytes: byteLength(copy),
      ts: event.origin_server_ts,
      content: copy,
      eventId: event.event_id,
    });
    // Recipients are fixed now (membership after this event), delivery happens later.
    const recipients = new Set(this.joinedMembers(roomId));
    if (type === 'm.room.member' && stateKey !== undefined) recipients.add(stateKey);
    const deviceKeys = [...recipients].flatMap((u) => this.devicesOf(u).map((d) => deviceKeyOf(u, d)));
    this.post(() => {
      const now = this.clock.now();
      for (const key of deviceKeys) {
        for (const subscriber of [...(this.subscribers.get(key) ?? [])]) {
          subscriber.onRoomEvent?.(withAge(event, now));
        }
      }
    });
    return event;
  }

  private fireDelayed(delayId: string): void {
    const pending = this.delayed.get(delayId);
    if (!pending) return;
    this.delayed.delete(delayId);
    // The member may have left meanwhile; a real server then drops the event too.
    if (this.membershipOf(pending.roomId, pending.sender) !== 'join') return;
    this.append(pending.roomId, pending.sender, pending.type, pending.content, pending.stateKey);
  }

  private enqueueToDevice(userId: string, deviceId: string, event: RawToDeviceEvent): void {
    const key = deviceKeyOf(userId, deviceId);
    const queue = this.toDeviceQueues.get(key) ?? [];
    queue.push(event);
    this.toDeviceQueues.set(key, queue);
    this.flushToDevice(userId, deviceId);
  }

  private flushToDevice(userId: string, deviceId: string): void {
    const key = deviceKeyOf(userId, deviceId);
    this.post(() => {
      const receivers = [...(this.subscribers.get(key) ?? [])].filter((s) => s.onToDevice);
      if (receivers.length === 0) return;
      const queue = this.toDeviceQueues.get(key) ?? [];
      this.toDeviceQueues.delete(key);
      for (const event of queue) {
        for (const receiver of receivers) receiver.onToDevice?.(structuredClone(event));
      }
    });
  }

  private notify(record: FlowRecord): void {
    for (const observer of [...this.observers]) observer(record);
  }

  private post(task: () => void): void {
    this.outbox.push(task);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    const drain = () => {
      // Tasks posted while draining run in this same pass, keeping the server's order.
      while (this.outbox.length > 0) {
        const next = this.outbox.shift()!;
        try {
          next();
        } catch (error) {
          // A failing subscriber must not stop delivery to the others.
          console.error('TestHomeserver subscriber failed', error);
        }
      }
      this.drainScheduled = false;
    };
    if (this.delivery === 'task') setTimeout(drain, 0);
    else queueMicrotask(drain);
  }
}

function withAge(event: RawRoomEvent, now: number): RawRoomEvent {
  return {
    ...structuredClone(event),
    unsigned: { ...event.unsigned, age: Math.max(0, now - event.origin_server_ts) },
  };
}
