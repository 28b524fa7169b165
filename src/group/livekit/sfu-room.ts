/**
 * The narrow seam between the LiveKit group call and a LiveKit room: what the call asks of a room
 * (connect, publish, mute, screen share, disconnect; for the walkie-talkie, reliable data messages
 * with a topic and a named audio track) and what it reads back (remote participants as plain inputs,
 * active speakers, connection state, data messages).
 *
 * livekit-room-adapter.ts implements it over livekit-client's Room; tests may implement it with a
 * labelled test double to drive the Matrix side without a LiveKit server.
 *
 * Owns: the types and the connection error every implementation throws. Never: imports
 * livekit-client (this file is in the small, always loaded part of the kit).
 */
import type { ConnectionHealth } from '../../snapshot.js';
import type { Unsubscribe } from '../../transport/transport.js';
import type { KeyProviderSink } from './key-ring.js';

/** One remote participant of the LiveKit room, as the call needs it. */
export interface SfuRemoteParticipant {
  /** The LiveKit participant identity (which names the Matrix device, see participant-identity.ts). */
  readonly identity: string;
  /** Microphone and camera tracks, in one stream kept stable for the participant's stay. */
  readonly userMedia?: MediaStream;
  /** Screen share (video and its audio, if any). */
  readonly screen?: MediaStream;
  readonly audioMuted: boolean;
  readonly videoMuted: boolean;
  readonly speaking: boolean;
  readonly connection: ConnectionHealth;
  /**
   * The walkie-talkie's live voice: the audio track published under LIVE_AUDIO_TRACK_NAME while this
   * participant holds the floor (kept apart from `userMedia`, which is the call's microphone).
   */
  readonly liveAudio?: MediaStream;
}

/** The data topic of the walkie-talkie's floor frames (docs/msc4002-walkie-talkie-protocol.md). */
export const FLOOR_DATA_TOPIC = 'org.matrix.msc4002.floor';
/** The track name the walkie-talkie's talker publishes its microphone under while it holds the floor. */
export const LIVE_AUDIO_TRACK_NAME = 'org.matrix.msc4002.live_audio';

/** A data message received: its bytes, the sender's participant identity, and its topic. */
export interface SfuDataMessage {
  readonly payload: Uint8Array;
  /** The LiveKit participant identity the SFU names as the sender. */
  readonly from: string;
  readonly topic: string | undefined;
}

export type SfuConnectionState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface SfuRoomState {
  readonly connection: SfuConnectionState;
  readonly remotes: readonly SfuRemoteParticipant[];
  /** Identities, loudest first. */
  readonly activeSpeakers: readonly string[];
  readonly localSpeaking: boolean;
}

export type SfuConnectionErrorKind =
  | 'unreachable' // nothing answered at the URL, or the websocket failed
  | 'refused' // the server answered but refused the token (401/403)
  | 'timeout'
  | 'cancelled'
  | 'server' // the server failed (5xx, internal error)
  | 'other';

/** A LiveKit connection that failed or broke, in terms the call can put into plain words. */
export class SfuConnectionError extends Error {
  override readonly name = 'SfuConnectionError';
  constructor(
    readonly kind: SfuConnectionErrorKind,
    /** The LiveKit URL connected to. */
    readonly url: string,
    /** What the library said, for the detail line. */
    readonly cause_: string,
    readonly status?: number,
  ) {
    super(`LiveKit connection to ${url} failed (${kind}${status ? ` ${status}` : ''}): ${cause_}`);
  }
}

export interface SfuRoom {
  /** Where received and own media keys go; present when the room was made with E2EE. */
  readonly keySink: KeyProviderSink | undefined;
  readonly state: SfuRoomState;
  /** Called after every change of `state`. */
  onChange(listener: () => void): Unsubscribe;
  /** The room ended without disconnect() being called (server gone, kicked, network lost for good). */
  onEnded(listener: (reason: string) => void): Unsubscribe;
  /** Rejects with SfuConnectionError. */
  connect(url: string, jwt: string): Promise<void>;
  /** Publishes the stream's microphone and camera tracks (the caller keeps ownership of them). */
  publishUserMedia(stream: MediaStream, muted: { audio: boolean; video: boolean }): Promise<void>;
  setMuted(kind: 'audio' | 'video', muted: boolean): Promise<void>;
  publishScreen(stream: MediaStream): Promise<void>;
  unpublishScreen(): Promise<void>;
  /** Leaves the room; never rejects; tracks are not stopped (their owner stops them). */
  disconnect(): Promise<void>;
  /**
   * Sends a reliable data message with a topic to everyone in the room (or the identities in `to`).
   * Optional: rooms without it carry no walkie-talkie fast path.
   */
  publishData?(payload: Uint8Array, options: { readonly topic: string; readonly to?: readonly string[] }): Promise<void>;
  /** Data messages from the other participants (never this one's own). */
  onData?(listener: (message: SfuDataMessage) => void): Unsubscribe;
  /** Publishes an audio track under a name (the walkie-talkie's live voice); the caller keeps the track. */
  publishNamedAudio?(track: MediaStreamTrack, name: string): Promise<void>;
  /** Unpublishes a track published with publishNamedAudio; the track is not stopped. */
  unpublishNamedAudio?(track: MediaStreamTrack): Promise<void>;
}

export interface SfuRoomLoadOptions {
  /** Encrypt and decrypt media with per-participant keys (the key exchange fills `keySink`). */
  readonly e2ee: boolean;
  readonly log?: (message: string) => void;
}

/** Makes a room; the default loads livekit-client lazily (load-sfu-room.ts). */
export type SfuRoomLoader = (options: SfuRoomLoadOptions) => Promise<SfuRoom>;
