/**
 * A matrix-js-sdk peer for interop tests and benchmarks: a real MatrixClient (the one Element Web
 * uses) for one (user, device) of the in-page homeserver TEST DOUBLE (demo/host/homeserver.ts),
 * placing and answering 1:1 calls with matrix-js-sdk's own MatrixCall, unchanged.
 *
 * How it reaches the double: the client is given a `fetchFn`, and this module is a TEST DOUBLE of
 * the homeserver's client-server HTTP API in front of TestHomeserver. It answers the routes the
 * client's start-up, sync loop and MatrixCall use (versions, capabilities, push rules, filters,
 * /sync as a long poll fed by the double's room events and to-device messages, /voip/turnServer,
 * PUT send / state / sendToDevice). The client runs its normal sync loop, so its CallEventHandler
 * sees call events exactly as it would from a server: batched per sync, own events echoed back with
 * their transaction id, `unsigned.age` for invite lifetimes.
 *
 * Owns: the fake HTTP routes, the per-device sync queue, and a small call API over MatrixCall
 * (place, incoming-call promise, answer, reject, hangup, mute, state and media checks), and two
 * knobs for ordering races such as glare: holding back its sync, and slowing its camera.
 * Never: changes MatrixCall's behaviour, fakes media or connection state, or talks to a network.
 * Unknown routes answer 404 M_UNRECOGNIZED and are recorded in `unhandledRoutes`, so a test can
 * see when matrix-js-sdk needed something this double does not serve.
 */
import { createClient, createNewMatrixCall, MemoryStore, type MatrixClient } from 'matrix-js-sdk';
import type { MatrixCall } from 'matrix-js-sdk/lib/webrtc/call.js';
import type { CallFeed } from 'matrix-js-sdk/lib/webrtc/callFeed.js';
import { HomeserverError, type TestHomeserver } from '../../demo/host/homeserver.js';
import type { RawRoomEvent, RawToDeviceEvent } from '../../src/transport/transport.js';

export type { MatrixCall };
export type JsSdkCallKind = 'voice' | 'video';

/** MatrixCall's states (matrix-js-sdk's CallState values, which its index does not export). */
export type JsSdkCallState =
  | 'fledgling'
  | 'wait_local_media'
  | 'create_offer'
  | 'invite_sent'
  | 'create_answer'
  | 'connecting'
  | 'connected'
  | 'ringing'
  | 'ended';

/** matrix-js-sdk's CallEventHandlerEvent.Incoming. */
const INCOMING_CALL = 'Call.incoming';
const BASE_URL = 'https://homeserver.test.invalid';

export interface JsSdkPeerOptions {
  readonly userId: string;
  readonly deviceId: string;
  /** Longest a /sync long poll is held, whatever the client asks. Default 30 s (the client's own). */
  readonly maxSyncWaitMs?: number;
}

export interface RouteRecord {
  readonly method: string;
  readonly path: string;
}

interface SyncWaiter {
  resolve(): void;
}

/** A sync response's JSON; loose on purpose, matrix-js-sdk reads only what it needs. */
type Json = Record<string, unknown>;

/** Starts a client for one device and waits for its first sync, so it is ready to call. */
export async function startJsSdkPeer(
  homeserver: TestHomeserver,
  options: JsSdkPeerOptions,
): Promise<JsSdkPeer> {
  const peer = new JsSdkPeer(homeserver, options);
  await peer.start();
  return peer;
}

export class JsSdkPeer {
  readonly userId: string;
  readonly deviceId: string;
  readonly client: MatrixClient;
  /** Every call this client saw or made, oldest first. */
  readonly calls: MatrixCall[] = [];
  /** Every route asked for, in order. */
  readonly routes: RouteRecord[] = [];
  /** Routes this double does not serve (answered 404 M_UNRECOGNIZED). */
  readonly unhandledRoutes: RouteRecord[] = [];
  /** Errors MatrixCall emitted ('error' events), with their call id. */
  readonly callErrors: Array<{ callId: string; code: string; message: string }> = [];

  private readonly maxSyncWaitMs: number;
  private readonly pendingRoomEvents: RawRoomEvent[] = [];
  private readonly pendingToDevice: RawToDeviceEvent[] = [];
  private readonly knownRooms = new Set<string>();
  private readonly ownTxnIds = new Map<string, string>();
  private readonly waiters = new Set<SyncWaiter>();
  private readonly incomingWaiters: Array<(call: MatrixCall) => void> = [];
  private readonly unclaimedIncoming: MatrixCall[] = [];
  private unsubscribe: (() => void) | undefined;
  private batch = 0;
  private stopped = false;
  private syncPaused = false;
  private mediaGate: Promise<void> | undefined;

  constructor(
    private readonly homeserver: TestHomeserver,
    options: JsSdkPeerOptions,
  ) {
    this.userId = options.userId;
    this.deviceId = options.deviceId;
    this.maxSyncWaitMs = options.maxSyncWaitMs ?? 30000;
    this.client = createClient({
      baseUrl: BASE_URL,
      userId: this.userId,
      deviceId: this.deviceId,
      accessToken: `token_${this.deviceId}`,
      store: new MemoryStore(),
      fetchFn: (resource, init) => this.fetch(resource, init),
      timelineSupport: false,
    });
  }

  async start(): Promise<void> {
    // Listen before the first sync: everything after this point reaches the client through /sync.
    this.unsubscribe = this.homeserver.subscribe(this.userId, this.deviceId, {
      onRoomEvent: (event) => this.enqueue(() => this.pendingRoomEvents.push(event)),
      onToDevice: (event) => this.enqueue(() => this.pendingToDevice.push(event)),
    });
    this.client.on(INCOMING_CALL as never, ((call: MatrixCall) => this.onIncomingCall(call)) as never);
    const prepared = new Promise<void>((resolve, reject) => {
      const onSync = (state: string) => {
        if (state === 'PREPARED' || state === 'SYNCING') {
          this.client.off('sync' as never, onSync as never);
          resolve();
        } else if (state === 'ERROR') {
          reject(new Error(`matrix-js-sdk sync failed for ${this.userId}`));
        }
      };
      this.client.on('sync' as never, onSync as never);
    });
    const mediaHandler = this.client.getMediaHandler();
    const getUserMediaStream = mediaHandler.getUserMediaStream.bind(mediaHandler);
    mediaHandler.getUserMediaStream = async (...args: Parameters<typeof getUserMediaStream>) => {
      await this.mediaGate;
      return getUserMediaStream(...args);
    };
    await this.client.startClient({ initialSyncLimit: 0 });
    await prepared;
    if (!this.client.supportsVoip()) throw new Error('matrix-js-sdk reports no VoIP support in this browser');
  }

  /**
   * Hangs up what is live, lets MatrixCall finish ending its calls (it tidies up asynchronously and
   * needs the running client for that), then stops the client and ends every held /sync.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const call of this.calls) {
      if (call.state !== 'ended') call.hangup('user_hangup' as never, false);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.unsubscribe?.();
    this.client.stopClient();
    for (const waiter of [...this.waiters]) waiter.resolve();
  }

  /**
   * Holds back everything the server has for this device, like a slow network: /sync answers with
   * nothing new until resumeSync(). Sending still works. For ordering races such as glare.
   */
  pauseSync(): void {
    this.syncPaused = true;
  }

  resumeSync(): void {
    this.syncPaused = false;
    for (const waiter of [...this.waiters]) waiter.resolve();
  }

  /**
   * Makes the camera and microphone slow: the client's media requests wait for `gate` before
   * reaching the browser (the client's own MediaHandler still makes them, unchanged).
   */
  holdUserMedia(gate: Promise<void>): void {
    this.mediaGate = gate;
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Places a call the way Element Web does: createCall(roomId), then placeVoiceCall / placeVideoCall. */
  async placeCall(
    roomId: string,
    kind: JsSdkCallKind,
    options: { invitee?: string } = {},
  ): Promise<MatrixCall> {
    const call = options.invitee
      ? createNewMatrixCall(this.client, roomId, { invitee: options.invitee })
      : this.client.createCall(roomId);
    if (!call) throw new Error('matrix-js-sdk could not create a call');
    this.track(call);
    if (kind === 'video') await call.placeVideoCall();
    else await call.placeVoiceCall();
    return call;
  }

  /** The next incoming call the client announces (Call.incoming); an unclaimed earlier one first. */
  nextIncomingCall(timeoutMs = 10000): Promise<MatrixCall> {
    const ready = this.unclaimedIncoming.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.incomingWaiters.indexOf(take);
        if (index >= 0) this.incomingWaiters.splice(index, 1);
        reject(new Error(`${this.userId}: no incoming call within ${timeoutMs} ms`));
      }, timeoutMs);
      const take = (call: MatrixCall) => {
        clearTimeout(timer);
        resolve(call);
      };
      this.incomingWaiters.push(take);
    });
  }

  /** The newest call, incoming or outgoing. */
  get call(): MatrixCall | undefined {
    return this.calls[this.calls.length - 1];
  }

  get state(): JsSdkCallState | undefined {
    return this.call?.state as JsSdkCallState | undefined;
  }

  /** Answers with audio, and video when asked (default: what the caller offered). */
  async answer(call: MatrixCall = this.requireCall(), kind?: JsSdkCallKind): Promise<void> {
    if (kind === undefined) await call.answer();
    else await call.answer(true, kind === 'video');
  }

  reject(call: MatrixCall = this.requireCall()): void {
    call.reject();
  }

  hangup(call: MatrixCall = this.requireCall()): void {
    call.hangup('user_hangup' as never, false);
  }

  async setMicMuted(muted: boolean, call: MatrixCall = this.requireCall()): Promise<void> {
    await call.setMicrophoneMuted(muted);
  }

  async setCameraMuted(muted: boolean, call: MatrixCall = this.requireCall()): Promise<void> {
    await call.setLocalVideoMuted(muted);
  }

  /** Resolves when the call reaches `state` (immediately if it is there). */
  waitForState(
    state: JsSdkCallState,
    call: MatrixCall = this.requireCall(),
    timeoutMs = 15000,
  ): Promise<void> {
    if (call.state === state) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        call.off('state' as never, onState as never);
        reject(new Error(`${this.userId}: call ${call.callId} stayed ${call.state}, never ${state}`));
      }, timeoutMs);
      const onState = (next: string) => {
        if (next !== state) return;
        clearTimeout(timer);
        call.off('state' as never, onState as never);
        resolve();
      };
      call.on('state' as never, onState as never);
    });
  }

  /** MatrixCall's RTCPeerConnection (a private field of MatrixCall, read for stats only). */
  peerConnection(call: MatrixCall = this.requireCall()): RTCPeerConnection | undefined {
    return (call as unknown as { peerConn?: RTCPeerConnection }).peerConn;
  }

  /** Bytes received and sent on RTP streams, per media kind, from the call's peer connection. */
  async mediaBytes(call: MatrixCall = this.requireCall()): Promise<MediaBytes> {
    const pc = this.peerConnection(call);
    return pc ? mediaBytesOf(pc) : emptyBytes();
  }

  remoteFeeds(call: MatrixCall = this.requireCall()): CallFeed[] {
    return call.getRemoteFeeds();
  }

  private requireCall(): MatrixCall {
    const call = this.call;
    if (!call) throw new Error(`${this.userId} has no call`);
    return call;
  }

  private track(call: MatrixCall): void {
    if (this.calls.includes(call)) return;
    this.calls.push(call);
    // MatrixCall refuses to place a call without an error listener.
    call.on(
      'error' as never,
      ((error: { code?: string; message?: string }) => {
        this.callErrors.push({ callId: call.callId, code: error.code ?? '', message: error.message ?? '' });
      }) as never,
    );
    // In glare, MatrixCall answers the winning incoming call itself and announces it only here.
    call.on('replaced' as never, ((successor: MatrixCall) => this.track(successor)) as never);
  }

  private onIncomingCall(call: MatrixCall): void {
    this.track(call);
    const waiter = this.incomingWaiters.shift();
    if (waiter) waiter(call);
    else this.unclaimedIncoming.push(call);
  }

  // ---- the client-server API double ----------------------------------------------------------

  private enqueue(push: () => void): void {
    push();
    for (const waiter of [...this.waiters]) waiter.resolve();
  }

  private async fetch(resource: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(resource instanceof Request ? resource.url : String(resource));
    const method = (init.method ?? 'GET').toUpperCase();
    const path = decodeURIComponent(url.pathname);
    this.routes.push({ method, path });
    const body = typeof init.body === 'string' && init.body.length > 0 ? (JSON.parse(init.body) as Json) : {};
    try {
      const answer = await this.route(method, url, body, init.signal ?? undefined);
      if (answer === undefined) {
        this.unhandledRoutes.push({ method, path });
        return json(404, {
          errcode: 'M_UNRECOGNIZED',
          error: `${method} ${path} is not served by the test double`,
        });
      }
      return json(200, answer);
    } catch (error) {
      if (error instanceof HomeserverError) {
        const status = error.errcode === 'M_FORBIDDEN' ? 403 : error.errcode === 'M_NOT_FOUND' ? 404 : 400;
        return json(status, { errcode: error.errcode, error: error.message });
      }
      throw error;
    }
  }

  /** The answer for a route, or undefined when the route is not served. */
  private async route(method: string, url: URL, body: Json, signal?: AbortSignal): Promise<Json | undefined> {
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // ['_matrix', 'client', version, ...rest]
    if (segments[0] !== '_matrix' || segments[1] !== 'client') return undefined;
    if (segments[2] === 'versions') {
      return {
        versions: [
          'v1.1',
          'v1.2',
          'v1.3',
          'v1.4',
          'v1.5',
          'v1.6',
          'v1.7',
          'v1.8',
          'v1.9',
          'v1.10',
          'v1.11',
          'v1.12',
        ],
        unstable_features: {},
      };
    }
    const rest = segments.slice(3);
    const [first, second, third, fourth] = rest;
    if (method === 'GET' && first === 'sync') return this.sync(url, signal);
    if (method === 'GET' && first === 'capabilities') return { capabilities: {} };
    if (method === 'GET' && first === 'pushrules') {
      return { global: { override: [], content: [], room: [], sender: [], underride: [] } };
    }
    if (first === 'user' && third === 'filter') {
      return method === 'POST' ? { filter_id: `filter_${this.deviceId}` } : {};
    }
    if (method === 'GET' && first === 'voip' && second === 'turnServer') {
      const [server] = this.homeserver.turnServers;
      if (!server) return {};
      return { uris: [...server.urls], username: server.username, password: server.credential, ttl: 86400 };
    }
    if (method === 'GET' && first === 'account' && second === 'whoami') {
      return { user_id: this.userId, device_id: this.deviceId };
    }
    if (method === 'GET' && first === 'profile' && second !== undefined) return {};
    if (method === 'PUT' && first === 'rooms' && second && third === 'send' && fourth) {
      const txnId = rest[4] ?? '';
      const event = this.homeserver.sendEvent(second, this.userId, fourth, body, {
        senderDevice: this.deviceId,
      });
      this.ownTxnIds.set(event.event_id, txnId);
      return { event_id: event.event_id };
    }
    if (method === 'PUT' && first === 'rooms' && second && third === 'state' && fourth) {
      const event = this.homeserver.sendState(
        second,
        this.userId,
        fourth,
        rest[4] ?? '',
        body,
        this.deviceId,
      );
      return { event_id: event.event_id };
    }
    if (method === 'GET' && first === 'rooms' && second && third === 'members') {
      return { chunk: this.homeserver.state(second, 'm.room.member') };
    }
    if (method === 'PUT' && first === 'sendToDevice' && second) {
      const messages = (body.messages ?? {}) as Record<string, Record<string, object>>;
      this.homeserver.sendToDevice(this.userId, this.deviceId, second, false, messages);
      return {};
    }
    return undefined;
  }

  /** /sync: the first answers with the state of every joined room; later ones long-poll. */
  private async sync(url: URL, signal?: AbortSignal): Promise<Json> {
    const initial = !url.searchParams.get('since');
    const timeout = Math.min(Number(url.searchParams.get('timeout') ?? 0) || 0, this.maxSyncWaitMs);
    const nothingNew = () =>
      this.syncPaused || (this.pendingRoomEvents.length === 0 && this.pendingToDevice.length === 0);
    const deadline = performance.now() + timeout;
    while (!initial && nothingNew() && !this.stopped && !signal?.aborted) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await this.waitForEvents(left, signal);
    }
    if (signal?.aborted) throw new DOMException('sync aborted', 'AbortError');
    const held = this.syncPaused && !initial;
    const roomEvents = held ? [] : this.pendingRoomEvents.splice(0);
    const toDevice = held ? [] : this.pendingToDevice.splice(0);
    const join: Record<string, Json> = {};
    const roomEntry = (roomId: string): Json => {
      let entry = join[roomId];
      if (!entry) {
        // A room seen for the first time comes with its whole state, as a server sends it.
        const fresh = !this.knownRooms.has(roomId);
        this.knownRooms.add(roomId);
        entry = {
          state: { events: fresh ? this.homeserver.state(roomId) : [] },
          timeline: { events: [], limited: false, prev_batch: `p${this.batch}` },
          ephemeral: { events: [] },
          account_data: { events: [] },
          unread_notifications: {},
        };
        join[roomId] = entry;
      }
      return entry;
    };
    if (initial) {
      for (const roomId of this.homeserver.roomIds()) {
        if (this.homeserver.joinedMembers(roomId).includes(this.userId)) roomEntry(roomId);
      }
    }
    for (const event of roomEvents) {
      if (!event.room_id) continue;
      const entry = roomEntry(event.room_id);
      const txnId = event.sender === this.userId ? this.ownTxnIds.get(event.event_id) : undefined;
      const wire =
        txnId === undefined ? event : { ...event, unsigned: { ...event.unsigned, transaction_id: txnId } };
      ((entry.timeline as Json).events as unknown[]).push(wire);
    }
    this.batch += 1;
    return {
      next_batch: `s${this.batch}`,
      rooms: { join, invite: {}, leave: {}, knock: {} },
      to_device: { events: toDevice.map(({ type, sender, content }) => ({ type, sender, content })) },
      account_data: { events: [] },
      presence: { events: [] },
      device_lists: { changed: [], left: [] },
      device_one_time_keys_count: {},
    };
  }

  private waitForEvents(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: SyncWaiter = {
        resolve: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.resolve);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      signal?.addEventListener('abort', waiter.resolve);
      this.waiters.add(waiter);
    });
  }
}

export interface MediaBytes {
  readonly audioIn: number;
  readonly videoIn: number;
  readonly audioOut: number;
  readonly videoOut: number;
}

const emptyBytes = (): MediaBytes => ({ audioIn: 0, videoIn: 0, audioOut: 0, videoOut: 0 });

/** RTP bytes per direction and kind, from a peer connection's stats. */
export async function mediaBytesOf(pc: RTCPeerConnection): Promise<MediaBytes> {
  const bytes = { ...emptyBytes() };
  const stats = await pc.getStats();
  stats.forEach((report: { type: string; kind?: string; bytesReceived?: number; bytesSent?: number }) => {
    if (report.type === 'inbound-rtp') {
      if (report.kind === 'audio') bytes.audioIn += report.bytesReceived ?? 0;
      if (report.kind === 'video') bytes.videoIn += report.bytesReceived ?? 0;
    } else if (report.type === 'outbound-rtp') {
      if (report.kind === 'audio') bytes.audioOut += report.bytesSent ?? 0;
      if (report.kind === 'video') bytes.videoOut += report.bytesSent ?? 0;
    }
  });
  return bytes;
}

/**
 * matrix-js-sdk logs every request and call step at debug level to the console; this silences
 * console.debug / log / info (warnings and errors still show) until the returned function runs.
 */
export function quietMatrixJsSdkLogs(): () => void {
  const saved = { debug: console.debug, log: console.log, info: console.info };
  const silent = () => undefined;
  console.debug = silent;
  console.log = silent;
  console.info = silent;
  return () => {
    console.debug = saved.debug;
    console.log = saved.log;
    console.info = saved.info;
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
