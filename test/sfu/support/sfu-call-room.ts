/**
 * CallControllers in one SFU call against the real rig: each over its own MemoryTransport on one
 * TestHomeserver (a labelled test double of a homeserver, which tells the rig's OpenID userinfo double
 * about each token it issues), with groupBackend 'livekit', real livekit-client rooms (kept here to read
 * their stats and E2EE errors), and the test browser's fake camera and microphone.
 *
 * Owns: building members, reading what a member receives (inbound RTP bytes, decoded video frames,
 * decryption errors) per remote identity, and tidying up. Never: fakes media or a server.
 */
import { Room, RoomEvent, Track, type RoomOptions } from 'livekit-client';
import { CallController, type CallControllerOptions } from '../../../src/controller.js';
import { liveKitBackend, LiveKitGroupCall, livekitNeeds } from '../../../src/group/livekit/index.js';
import { createLiveKitSfuRoom } from '../../../src/group/livekit/livekit-room-adapter.js';
import type { OpenIdToken } from '../../../src/transport/transport.js';
import type { CallKind } from '../../../src/snapshot.js';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';

/** A transport whose homeserver double reports each OpenID token it issues to the userinfo double. */
class OpenIdReportingTransport extends MemoryTransport {
  constructor(
    homeserver: TestHomeserver,
    options: ConstructorParameters<typeof MemoryTransport>[1],
    private readonly userinfoUrl: string,
  ) {
    super(homeserver, options);
  }

  override async requestOpenIdToken(): Promise<OpenIdToken> {
    const token = await super.requestOpenIdToken();
    const response = await fetch(`${this.userinfoUrl}/_double/issued`, {
      method: 'POST',
      body: JSON.stringify({ access_token: token.access_token, user_id: this.userId }),
    });
    if (!response.ok) throw new Error(`the userinfo double refused the token (${response.status})`);
    return token;
  }
}

/** The browser's media, keeping every stream handed out (to see them stopped). */
export class KeepingMediaSource extends RecordingMediaSource {
  readonly streams: MediaStream[] = [];
  override async getUserMedia(kind: CallKind): Promise<MediaStream> {
    const stream = await super.getUserMedia(kind);
    this.streams.push(stream);
    return stream;
  }
  /** Tracks of streams handed out that are still live. */
  liveTracks(): MediaStreamTrack[] {
    return this.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live');
  }
}

export interface MemberOptions {
  /** Configured foci (JWT service URLs); default none. */
  readonly foci?: readonly unknown[];
  readonly hostTransports?: () => Promise<readonly unknown[]>;
  readonly e2ee?: boolean;
  /** Key timings for the key ring (shorter rotation delays make leave tests quicker). */
  readonly keyTimings?: { leaveRotationDelayMs?: number; useKeyDelayMs?: number; freshKeyWindowMs?: number };
  /** The walkie-talkie's options (its audio output, in tests a recording one). */
  readonly walkieTalkie?: CallControllerOptions['walkieTalkie'];
}

export interface Member {
  readonly userId: string;
  readonly deviceId: string;
  /** `${userId}:${deviceId}`: the LiveKit identity /sfu/get grants. */
  readonly identity: string;
  readonly controller: CallController;
  readonly transport: MemoryTransport;
  readonly media: KeepingMediaSource;
  /** livekit-client rooms this member made, newest last. */
  readonly rooms: Room[];
  /** E2EE errors livekit-client reported, newest last. */
  readonly encryptionErrors: string[];
  readonly log: string[];
}

export interface Received {
  readonly bytes: number;
  readonly framesDecoded: number;
  readonly audioBytes: number;
  readonly videoBytes: number;
}

export class SfuCallRoom {
  readonly homeserver = new TestHomeserver({ delivery: 'task' });
  readonly roomId: string;
  private readonly members: Member[] = [];

  constructor(
    private readonly userinfoUrl: string,
    users: readonly string[],
    options: { encrypted?: boolean } = {},
  ) {
    this.roomId = this.homeserver.createRoom({
      // A room id of its own, so that no two tests share a LiveKit room on the shared server.
      roomId: `!sfu${crypto.randomUUID().slice(0, 8)}:test.invalid`,
      creator: users[0]!,
      members: users.slice(1),
      joinRule: 'invite',
      ...(options.encrypted ? { encrypted: true } : {}),
    });
  }

  async member(userId: string, deviceId: string, options: MemberOptions = {}): Promise<Member> {
    const transport = new OpenIdReportingTransport(
      this.homeserver,
      { userId, deviceId, roomId: this.roomId },
      this.userinfoUrl,
    );
    const media = new KeepingMediaSource();
    const rooms: Room[] = [];
    const encryptionErrors: string[] = [];
    const log: string[] = [];
    const livekit = liveKitBackend({
      ...(options.foci ? { foci: options.foci } : {}),
      ...(options.hostTransports ? { hostTransports: options.hostTransports } : {}),
      e2ee: options.e2ee ?? false,
      ...(options.keyTimings ? { keyTimings: options.keyTimings } : {}),
      loadRoom: (roomOptions) =>
        createLiveKitSfuRoom({
          ...roomOptions,
          createRoom: (o: Partial<RoomOptions>) => {
            const room = new Room(o);
            room.on(RoomEvent.EncryptionError, (error: Error) => encryptionErrors.push(error.message));
            rooms.push(room);
            return room;
          },
        }),
    });
    const controller = CallController.create({
      transport,
      media,
      groupLog: (line: string) => {
        log.push(line);
        if (log.length > 500) log.shift();
      },
      settings: { groupBackend: 'livekit' },
      groupBackends: {
        livekit,
        livekitNeeds: livekitNeeds({ userId, deviceId }, { e2ee: options.e2ee ?? false }),
      },
      ...(options.walkieTalkie ? { walkieTalkie: options.walkieTalkie } : {}),
    });
    await controller.start();
    const member: Member = {
      userId,
      deviceId,
      identity: `${userId}:${deviceId}`,
      controller,
      transport,
      media,
      rooms,
      encryptionErrors,
      log,
    };
    this.members.push(member);
    return member;
  }

  dispose(): void {
    for (const { controller, transport } of this.members) {
      controller.close();
      transport.close();
    }
  }
}

export const groupOf = (m: Member) => m.controller.snapshot.group!;

/** The LiveKitGroupCall carrying a member's group call (through a lazy stand-in, if any). */
export function sfuCallOf(m: Member): LiveKitGroupCall {
  const backend = m.controller.groupCall!.backend as unknown as { loaded?: unknown };
  const call = 'loaded' in backend ? backend.loaded : backend;
  if (!(call instanceof LiveKitGroupCall)) throw new Error(`${m.identity}: the group call is not on LiveKit`);
  return call;
}

/** The member's current livekit-client room. */
export function roomOf(m: Member): Room {
  const room = m.rooms.at(-1);
  if (!room) throw new Error(`${m.identity} made no LiveKit room`);
  return room;
}

/** What `m` has received from the participant `fromIdentity` so far (from its subscribed tracks' stats). */
export async function receivedFrom(m: Member, fromIdentity: string): Promise<Received> {
  const participant = m.rooms.at(-1)?.remoteParticipants.get(fromIdentity);
  let audioBytes = 0;
  let videoBytes = 0;
  let framesDecoded = 0;
  for (const publication of participant?.trackPublications.values() ?? []) {
    const report = await publication.track?.getRTCStatsReport();
    report?.forEach((s: { type: string; kind?: string; bytesReceived?: number; framesDecoded?: number }) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        videoBytes += s.bytesReceived ?? 0;
        framesDecoded += s.framesDecoded ?? 0;
      } else {
        audioBytes += s.bytesReceived ?? 0;
      }
    });
  }
  return { bytes: audioBytes + videoBytes, audioBytes, videoBytes, framesDecoded };
}

/** Waits until `m` has received audio and video bytes from `from` that grow, and decoded video frames. */
export async function waitForMediaFrom(m: Member, from: Member, timeoutMs = 30_000): Promise<Received> {
  let first: Received | undefined;
  let last: Received | undefined;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    last = await receivedFrom(m, from.identity);
    if (last.audioBytes > 0 && last.videoBytes > 0 && last.framesDecoded > 0) {
      if (!first) first = last;
      else if (
        last.audioBytes > first.audioBytes &&
        last.videoBytes > first.videoBytes &&
        last.framesDecoded > first.framesDecoded
      )
        return last;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${m.identity} did not receive growing media from ${from.identity} within ${timeoutMs / 1000} s ` +
          `(last: ${JSON.stringify(last)}; encryption errors: ${m.encryptionErrors.length})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until `m` has received audio bytes from `from` that grow (audio only, e.g. the walkie-talkie's voice). */
export async function waitForAudioFrom(m: Member, from: Member, timeoutMs = 30_000): Promise<number> {
  let first: number | undefined;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bytes = (await receivedFrom(m, from.identity)).audioBytes;
    if (bytes > 0 && first === undefined) first = bytes;
    else if (first !== undefined && bytes > first) return bytes;
    if (Date.now() > deadline) {
      throw new Error(
        `${m.identity} received no growing audio from ${from.identity} within ${timeoutMs / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until every member is joined and sees every other as connected in the SFU call. */
export async function waitAllJoined(members: readonly Member[], timeoutMs = 30_000): Promise<void> {
  for (const m of members) {
    await waitFor(() => groupOf(m).state === 'joined', `${m.identity} joined`, timeoutMs);
  }
  for (const m of members) {
    await waitFor(
      () => (m.rooms.at(-1)?.remoteParticipants.size ?? 0) >= members.length - 1,
      `${m.identity} to see the others in the LiveKit room`,
      timeoutMs,
    );
  }
}

export { Track };
