/**
 * MatrixTransport: the only door between the kit and Matrix.
 *
 * Owns: the shape of everything the kit sends to or receives from Matrix (room events, state,
 * to-device, timeline and state reads, TURN servers, OpenID tokens, delayed events, uploads) and
 * the capability vocabulary the features ask for.
 * Never: parses event contents (that is signalling/), keeps call state, or touches the DOM.
 *
 * Implementations: WidgetTransport (matrix-widget-api, for real hosts) and MemoryTransport
 * (an in-memory homeserver hub for fast tests).
 */

/** An event as Matrix delivers it. Contents are untrusted until a parser has looked at them. */
export interface RawRoomEvent {
  readonly type: string;
  readonly sender: string;
  readonly event_id: string;
  readonly room_id: string;
  readonly origin_server_ts: number;
  readonly content: unknown;
  readonly state_key?: string;
  readonly unsigned?: { readonly age?: number; readonly [key: string]: unknown };
}

export interface RawToDeviceEvent {
  readonly type: string;
  readonly sender: string;
  readonly content: unknown;
  /** True when the host decrypted it (it travelled end-to-end encrypted). */
  readonly encrypted: boolean;
}

export interface TurnServer {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

export interface OpenIdToken {
  readonly access_token: string;
  readonly token_type: string;
  readonly matrix_server_name: string;
  readonly expires_in: number;
}

/** Delayed events (MSC4157): scheduled by the server, cancelled or restarted by the client. */
export type DelayedEventAction = 'cancel' | 'restart' | 'send';

/**
 * What a feature needs from Matrix. The widget transport turns these into widget capabilities,
 * so a kit that only does 1:1 calls never asks for to-device or uploads.
 */
export type Need =
  | { readonly kind: 'send-event'; readonly type: string }
  | { readonly kind: 'receive-event'; readonly type: string }
  | { readonly kind: 'send-state'; readonly type: string; readonly stateKey?: string }
  | { readonly kind: 'receive-state'; readonly type: string; readonly stateKey?: string }
  | { readonly kind: 'send-to-device'; readonly type: string }
  | { readonly kind: 'receive-to-device'; readonly type: string }
  | { readonly kind: 'turn-servers' }
  | { readonly kind: 'read-timeline' }
  | { readonly kind: 'openid' }
  | { readonly kind: 'upload-file' }
  | { readonly kind: 'download-file' }
  | { readonly kind: 'delayed-events' }
  /**
   * The host's RTC transports (MSC4143 through MSC4515): optional, never refused up front; a host
   * without it fails `getRtcTransports` and the caller falls back to other sources.
   */
  | { readonly kind: 'rtc-transports' };

/** Thrown (or reported) when the host refuses something the kit needs. Says which, and why. */
export class CapabilityDeniedError extends Error {
  override readonly name = 'CapabilityDeniedError';
  constructor(
    readonly denied: readonly Need[],
    readonly why: string,
  ) {
    super(`The host did not allow: ${denied.map(describeNeed).join(', ')}. ${why}`);
  }
}

export function describeNeed(need: Need): string {
  switch (need.kind) {
    case 'send-event':
      return `sending ${need.type} events`;
    case 'receive-event':
      return `receiving ${need.type} events`;
    case 'send-state':
      return `writing ${need.type} state`;
    case 'receive-state':
      return `reading ${need.type} state`;
    case 'send-to-device':
      return `sending ${need.type} to devices`;
    case 'receive-to-device':
      return `receiving ${need.type} from devices`;
    case 'turn-servers':
      return 'TURN servers';
    case 'read-timeline':
      return 'reading recent room events';
    case 'openid':
      return 'an OpenID token';
    case 'upload-file':
      return 'uploading files';
    case 'download-file':
      return 'downloading files';
    case 'delayed-events':
      return 'delayed events';
    case 'rtc-transports':
      return "the homeserver's call servers (RTC transports)";
  }
}

export type Unsubscribe = () => void;

/** Who the kit runs as, and where. Known once `start` has resolved. */
export interface TransportIdentity {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
}

export interface MatrixTransport extends TransportIdentity {
  /**
   * Negotiates the needs with the host. Resolves with the needs that were refused (an empty list
   * when all were granted); the caller decides what a refusal means for its feature.
   * Calling it again with more needs asks for the new ones only.
   */
  start(needs: readonly Need[]): Promise<readonly Need[]>;

  sendRoomEvent(type: string, content: object): Promise<{ event_id: string }>;
  sendStateEvent(type: string, stateKey: string, content: object): Promise<{ event_id: string }>;
  /** messages[userId][deviceId] = content; deviceId '*' is every device of that user. */
  sendToDevice(
    type: string,
    encrypted: boolean,
    messages: Readonly<Record<string, Readonly<Record<string, object>>>>,
  ): Promise<void>;

  /** Current state events of a type in the room (all state keys, or one). */
  readState(type: string, stateKey?: string): Promise<RawRoomEvent[]>;
  /** Recent timeline events of a type, newest first, at most `limit`. */
  readTimeline(type: string, limit: number): Promise<RawRoomEvent[]>;

  /** Room events (message and state) as they arrive after start. */
  onRoomEvent(listener: (event: RawRoomEvent) => void): Unsubscribe;
  onToDevice(listener: (event: RawToDeviceEvent) => void): Unsubscribe;
  /** Called with the current servers as soon as they are known, then on every refresh. */
  onTurnServers(listener: (servers: readonly TurnServer[]) => void): Unsubscribe;

  requestOpenIdToken(): Promise<OpenIdToken>;
  uploadFile(file: Blob): Promise<{ content_uri: string }>;
  /** The bytes of an mxc:// URI, through the host (which holds the access token). */
  downloadFile(contentUri: string): Promise<Blob>;

  /** Schedules a state event to be sent after `delayMs` unless restarted or cancelled. */
  sendDelayedStateEvent(
    type: string,
    stateKey: string,
    content: object,
    delayMs: number,
  ): Promise<{ delay_id: string }>;
  updateDelayedEvent(delayId: string, action: DelayedEventAction): Promise<void>;

  /**
   * The RTC transports the user's homeserver offers (MSC4143 `GET /_matrix/client/v1/rtc/transports`),
   * unparsed: `[{ type: 'livekit', livekit_service_url }, ...]`. Optional: transports that cannot ask
   * leave it out; it rejects, saying why, when the host or homeserver does not offer them.
   */
  getRtcTransports?(): Promise<readonly unknown[]>;

  close(): void;
}
