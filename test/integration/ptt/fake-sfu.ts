/**
 * TEST DOUBLE of a LiveKit SFU in one page, behind the SfuRoom seam (there is no LiveKit server on this
 * machine): rooms of one FakeSfu see each other once connected; data messages and named audio tracks are
 * forwarded between them (a named track as a MediaStream holding the talker's own track). It logs every
 * data message and what each room was asked to publish, so tests can see what crossed.
 *
 * Owns: that forwarding and the logs. Never: encodes media, encrypts, or checks a message's sender (the
 * call under test does).
 */
import {
  LIVE_AUDIO_TRACK_NAME,
  type SfuDataMessage,
  type SfuRemoteParticipant,
  type SfuRoom,
  type SfuRoomState,
} from '../../../src/group/livekit/sfu-room.js';
import type { KeyProviderSink } from '../../../src/group/livekit/key-ring.js';

/** A key sink that keeps every key handed to it (a FakeSfu made with `e2ee`). */
export class RecordingKeySink implements KeyProviderSink {
  readonly keys: { readonly identity: string; readonly index: number; readonly key: string }[] = [];
  setKey(identity: string, bytes: Uint8Array, index: number): void {
    this.keys.push({ identity, index, key: Array.from(bytes).join(',') });
  }
}

export class FakeSfu {
  readonly rooms: FakeSfuRoom[] = [];
  /** Every data message sent through the SFU: sender identity, topic, payload as text. */
  readonly dataLog: { readonly from: string; readonly topic: string; readonly text: string }[] = [];

  /** `e2ee`: each room has a RecordingKeySink, so a call over it can run its media key exchange. */
  constructor(readonly options: { readonly e2ee?: boolean } = {}) {}

  room(identity: string): FakeSfuRoom {
    const room = new FakeSfuRoom(this, identity);
    this.rooms.push(room);
    return room;
  }

  /** The SfuRoomLoader for one participant identity (`${userId}:${deviceId}` for session memberships). */
  loader(identity: string): () => Promise<FakeSfuRoom> {
    return async () => this.room(identity);
  }

  /** The rooms made for an identity, oldest first. */
  roomsOf(identity: string): FakeSfuRoom[] {
    return this.rooms.filter((r) => r.identity === identity);
  }

  remotesFor(self: FakeSfuRoom): SfuRemoteParticipant[] {
    return this.rooms
      .filter((r) => r !== self && r.state.connection === 'connected')
      .map((r) => ({
        identity: r.identity,
        audioMuted: true,
        videoMuted: true,
        speaking: false,
        connection: 'connected' as const,
        ...(r.liveStream ? { liveAudio: r.liveStream } : {}),
      }));
  }

  changed(): void {
    for (const room of this.rooms) room.setRemotes(this.remotesFor(room));
  }

  /**
   * Delivers a data message from `fromRoom` to the others. `identity` is the sender the SFU reports: the
   * room's own by default; a test may name anyone (or send from no room), as a forging participant could.
   */
  deliver(
    fromRoom: FakeSfuRoom | undefined,
    payload: Uint8Array,
    topic: string,
    identity = fromRoom?.identity ?? '',
  ): void {
    this.dataLog.push({ from: identity, topic, text: new TextDecoder().decode(payload) });
    for (const room of this.rooms) {
      if (room === fromRoom || room.state.connection !== 'connected') continue;
      const copy = new Uint8Array(payload);
      setTimeout(() => room.receive({ payload: copy, from: identity, topic }), 0);
    }
  }
}

export class FakeSfuRoom implements SfuRoom {
  readonly keySink: RecordingKeySink | undefined;
  /** What the room was asked to publish and unpublish, in order ('user-media', 'publish <name> <id>', ...). */
  readonly publishLog: string[] = [];
  liveStream: MediaStream | undefined;
  state: SfuRoomState = { connection: 'new', remotes: [], activeSpeakers: [], localSpeaking: false };
  private readonly changes = new Set<() => void>();
  private readonly data = new Set<(message: SfuDataMessage) => void>();

  constructor(
    private readonly sfu: FakeSfu,
    readonly identity: string,
  ) {
    this.keySink = sfu.options.e2ee ? new RecordingKeySink() : undefined;
  }

  onChange(listener: () => void) {
    this.changes.add(listener);
    return () => void this.changes.delete(listener);
  }
  onEnded() {
    return () => undefined;
  }
  async connect() {
    this.state = { ...this.state, connection: 'connected' };
    this.sfu.changed();
  }
  async publishUserMedia(media: MediaStream) {
    this.publishLog.push(`user-media ${media.getTracks().length}`);
  }
  async setMuted() {}
  async publishScreen() {
    this.publishLog.push('screen');
  }
  async unpublishScreen() {}
  async disconnect() {
    this.state = { ...this.state, connection: 'disconnected', remotes: [] };
    this.liveStream = undefined;
    this.sfu.changed();
  }
  async publishData(payload: Uint8Array, options: { topic: string }) {
    this.sfu.deliver(this, payload, options.topic);
  }
  onData(listener: (message: SfuDataMessage) => void) {
    this.data.add(listener);
    return () => void this.data.delete(listener);
  }
  async publishNamedAudio(track: MediaStreamTrack, name: string) {
    this.publishLog.push(`publish ${name} ${track.id}`);
    if (name === LIVE_AUDIO_TRACK_NAME) this.liveStream = new MediaStream([track]);
    this.sfu.changed();
  }
  async unpublishNamedAudio(track: MediaStreamTrack) {
    this.publishLog.push(`unpublish ${track.id}`);
    this.liveStream = undefined;
    this.sfu.changed();
  }
  receive(message: SfuDataMessage) {
    for (const listener of this.data) listener(message);
  }
  setRemotes(remotes: SfuRemoteParticipant[]) {
    this.state = { ...this.state, remotes };
    for (const listener of this.changes) listener();
  }
}
