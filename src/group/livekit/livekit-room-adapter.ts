/**
 * SfuRoom over livekit-client's Room: connects with the JWT service's URL and token, publishes the
 * kit's own microphone and camera tracks (opened by the kit's LocalMediaSource, never by LiveKit) and
 * the walkie-talkie's named live voice, sends and receives reliable data messages with a topic,
 * and turns LiveKit's room events into SfuRoomState (participant-reader.ts does the reading).
 *
 * Media E2EE, when asked for: livekit-client's E2EE worker (e2ee-worker.js, started as a module
 * worker next to this file) with the kit's per-participant key provider (livekit-key-provider.ts);
 * the key exchange hands keys to `keySink`.
 *
 * This module imports livekit-client. Reach it only through `await import()` (load-sfu-room.ts) so
 * livekit-client stays in a lazy chunk.
 *
 * Owns: one Room, its listeners, and turning its connection errors into SfuConnectionError.
 * Never: reads Matrix, chooses foci, or stops the kit's own tracks.
 */
import {
  ConnectionError,
  ConnectionErrorReason,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type LocalTrackPublication,
  type RoomOptions,
} from 'livekit-client';
import type { Unsubscribe } from '../../transport/transport.js';
import { MatrixKeyProvider } from './livekit-key-provider.js';
import { RemoteStreams } from './participant-reader.js';
import {
  SfuConnectionError,
  type SfuConnectionState,
  type SfuDataMessage,
  type SfuRoom,
  type SfuRoomLoadOptions,
  type SfuRoomState,
} from './sfu-room.js';

export interface LiveKitRoomAdapterOptions extends SfuRoomLoadOptions {
  /** Makes the Room (tests wrap livekit-client's Room to see what it is given). */
  readonly createRoom?: (options: Partial<RoomOptions>) => Room;
  /** Starts the E2EE worker. Default: e2ee-worker.js as a module worker next to this module. */
  readonly createWorker?: () => Worker;
}

/** The Room options the kit uses, E2EE included when asked for. */
export function liveKitRoomOptions(e2ee?: {
  keyProvider: MatrixKeyProvider;
  worker: Worker;
}): Partial<RoomOptions> {
  return {
    adaptiveStream: true,
    dynacast: true,
    // The kit stops its own tracks; LiveKit must not stop them when unpublishing.
    stopLocalTrackOnUnpublish: false,
    ...(e2ee ? { encryption: e2ee } : {}),
  };
}

function defaultWorker(): Worker {
  return new Worker(new URL('./e2ee-worker.js', import.meta.url), { type: 'module' });
}

/**
 * livekit-client's failure as the kit's kind of failure. `leaving`: the kit itself was leaving, so a
 * Cancelled connect was ours; otherwise Cancelled is livekit-client giving up on a server that never
 * answered (2.22 reports a dead WebSocket so), which the user should read as unreachable.
 */
function connectionErrorOf(error: unknown, url: string, leaving: boolean): SfuConnectionError {
  if (error instanceof SfuConnectionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ConnectionError) {
    const status = typeof error.status === 'number' ? error.status : undefined;
    switch (error.reason) {
      case ConnectionErrorReason.NotAllowed:
        return new SfuConnectionError('refused', url, message, status);
      case ConnectionErrorReason.ServerUnreachable:
      case ConnectionErrorReason.WebSocket:
      case ConnectionErrorReason.ServiceNotFound:
        return status !== undefined && status >= 500
          ? new SfuConnectionError('server', url, message, status)
          : status === 401 || status === 403
            ? new SfuConnectionError('refused', url, message, status)
            : new SfuConnectionError('unreachable', url, message, status);
      case ConnectionErrorReason.Timeout:
        return new SfuConnectionError('timeout', url, message);
      case ConnectionErrorReason.Cancelled:
        return new SfuConnectionError(leaving ? 'cancelled' : 'unreachable', url, message);
      case ConnectionErrorReason.InternalError:
        return new SfuConnectionError('server', url, message);
      default:
        return new SfuConnectionError('other', url, message, status);
    }
  }
  return new SfuConnectionError('other', url, message);
}

class LiveKitSfuRoom implements SfuRoom {
  readonly keySink: MatrixKeyProvider | undefined;
  private readonly remoteStreams = new RemoteStreams();
  private readonly changeListeners = new Set<() => void>();
  private readonly endListeners = new Set<(reason: string) => void>();
  private readonly dataListeners = new Set<(message: SfuDataMessage) => void>();
  private readonly publications = new Map<MediaStreamTrack, LocalTrackPublication>();
  private screenTracks: MediaStreamTrack[] = [];
  /** Tracks published by name (the walkie-talkie's live voice): the call's mute leaves them alone. */
  private readonly namedTracks = new Set<MediaStreamTrack>();
  private connection: SfuConnectionState = 'new';
  private leaving = false;
  private current: SfuRoomState;

  constructor(
    readonly room: Room,
    keyProvider: MatrixKeyProvider | undefined,
    private readonly log: (message: string) => void,
  ) {
    this.keySink = keyProvider;
    this.current = this.read();
    const refresh = () => this.refresh();
    for (const event of [
      RoomEvent.ParticipantConnected,
      RoomEvent.ParticipantDisconnected,
      RoomEvent.TrackSubscribed,
      RoomEvent.TrackUnsubscribed,
      RoomEvent.TrackPublished,
      RoomEvent.TrackUnpublished,
      RoomEvent.TrackMuted,
      RoomEvent.TrackUnmuted,
      RoomEvent.ActiveSpeakersChanged,
      RoomEvent.ConnectionQualityChanged,
    ] as const) {
      room.on(event, refresh);
    }
    room.on(RoomEvent.DataReceived, (payload: Uint8Array, participant, _kind, topic) => {
      // Only data the SFU attributes to a remote participant: the identity is the sender.
      const from = participant?.identity;
      if (!from) return;
      const message = Object.freeze({ payload, from, topic });
      for (const listener of this.dataListeners) listener(message);
    });
    room.on(RoomEvent.Reconnecting, () => this.setConnection('reconnecting'));
    room.on(RoomEvent.Reconnected, () => this.setConnection('connected'));
    room.on(RoomEvent.EncryptionError, (error?: Error) =>
      this.log(`media encryption error: ${error?.message ?? 'unknown'}`),
    );
    room.on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
      const wasConnected = this.connection === 'connected' || this.connection === 'reconnecting';
      this.setConnection('disconnected');
      if (this.leaving || !wasConnected) return;
      const why = reason === undefined ? 'unknown' : (DisconnectReason[reason] ?? String(reason));
      for (const listener of this.endListeners) listener(`the LiveKit room disconnected: ${why}`);
    });
  }

  get state(): SfuRoomState {
    return this.current;
  }

  onChange(listener: () => void): Unsubscribe {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onEnded(listener: (reason: string) => void): Unsubscribe {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  async connect(url: string, jwt: string): Promise<void> {
    this.setConnection('connecting');
    try {
      if (this.keySink) await this.room.setE2EEEnabled(true);
      await this.room.connect(url, jwt, { autoSubscribe: true });
    } catch (error) {
      this.setConnection('disconnected');
      throw connectionErrorOf(error, url, this.leaving);
    }
    this.setConnection('connected');
  }

  async publishUserMedia(stream: MediaStream, muted: { audio: boolean; video: boolean }): Promise<void> {
    const local = this.room.localParticipant;
    for (const track of stream.getAudioTracks()) {
      const publication = await local.publishTrack(track, { source: Track.Source.Microphone });
      this.publications.set(track, publication);
      if (muted.audio) await publication.mute();
    }
    for (const track of stream.getVideoTracks()) {
      const publication = await local.publishTrack(track, { source: Track.Source.Camera });
      this.publications.set(track, publication);
      if (muted.video) await publication.mute();
    }
    this.refresh();
  }

  async setMuted(kind: 'audio' | 'video', muted: boolean): Promise<void> {
    for (const [track, publication] of this.publications) {
      if (track.kind !== kind || this.screenTracks.includes(track) || this.namedTracks.has(track)) continue;
      if (muted) await publication.mute();
      else await publication.unmute();
    }
    this.refresh();
  }

  async publishScreen(stream: MediaStream): Promise<void> {
    const local = this.room.localParticipant;
    for (const track of stream.getTracks()) {
      const source = track.kind === 'video' ? Track.Source.ScreenShare : Track.Source.ScreenShareAudio;
      this.publications.set(track, await local.publishTrack(track, { source }));
      this.screenTracks.push(track);
    }
    this.refresh();
  }

  async unpublishScreen(): Promise<void> {
    const tracks = this.screenTracks;
    this.screenTracks = [];
    for (const track of tracks) {
      this.publications.delete(track);
      await this.room.localParticipant.unpublishTrack(track, false).catch(() => undefined);
    }
    this.refresh();
  }

  async publishData(payload: Uint8Array, options: { topic: string; to?: readonly string[] }): Promise<void> {
    await this.room.localParticipant.publishData(new Uint8Array(payload), {
      reliable: true,
      topic: options.topic,
      ...(options.to ? { destinationIdentities: [...options.to] } : {}),
    });
  }

  onData(listener: (message: SfuDataMessage) => void): Unsubscribe {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  async publishNamedAudio(track: MediaStreamTrack, name: string): Promise<void> {
    if (this.publications.has(track)) return;
    const publication = await this.room.localParticipant.publishTrack(track, {
      name,
      source: Track.Source.Unknown,
    });
    this.publications.set(track, publication);
    this.namedTracks.add(track);
    this.refresh();
  }

  async unpublishNamedAudio(track: MediaStreamTrack): Promise<void> {
    if (!this.namedTracks.delete(track)) return;
    this.publications.delete(track);
    await this.room.localParticipant.unpublishTrack(track, false).catch(() => undefined);
    this.refresh();
  }

  async disconnect(): Promise<void> {
    this.leaving = true;
    try {
      await this.room.disconnect(false);
    } catch (error) {
      this.log(`disconnecting from LiveKit failed: ${String(error)}`);
    }
    this.publications.clear();
    this.namedTracks.clear();
    this.screenTracks = [];
    this.setConnection('disconnected');
  }

  private setConnection(connection: SfuConnectionState): void {
    this.connection = connection;
    this.refresh();
  }

  private read(): SfuRoomState {
    return Object.freeze({
      connection: this.connection,
      remotes: Object.freeze(this.remoteStreams.read(this.room.remoteParticipants.values())),
      activeSpeakers: Object.freeze(this.room.activeSpeakers.map((p) => p.identity)),
      localSpeaking: this.room.localParticipant.isSpeaking,
    });
  }

  private refresh(): void {
    this.current = this.read();
    for (const listener of this.changeListeners) listener();
  }
}

/** Makes the room (and, with E2EE, the key provider and the worker). */
export async function createLiveKitSfuRoom(options: LiveKitRoomAdapterOptions): Promise<SfuRoom> {
  const log = options.log ?? (() => undefined);
  let e2ee: { keyProvider: MatrixKeyProvider; worker: Worker } | undefined;
  if (options.e2ee) {
    const keyProvider = new MatrixKeyProvider((error) =>
      log(`a media key could not be used: ${String(error)}`),
    );
    e2ee = { keyProvider, worker: (options.createWorker ?? defaultWorker)() };
  }
  const roomOptions = liveKitRoomOptions(e2ee);
  const room = options.createRoom ? options.createRoom(roomOptions) : new Room(roomOptions);
  return new LiveKitSfuRoom(room, e2ee?.keyProvider, log);
}
