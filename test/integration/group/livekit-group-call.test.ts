// SFU group calls, the Matrix side end to end: LiveKitGroupCalls over MemoryTransports on one
// in-memory homeserver TEST DOUBLE (demo/host/homeserver.ts), the JWT service TEST DOUBLE served by the
// test runner on this origin (scripts/jwt-service-double.mjs), the browser's fake camera and microphone,
// and, because there is no LiveKit server here, a labelled TEST DOUBLE of the LiveKit room
// (RecordingRoom below, behind the SfuRoom seam) that records what it is given and plays LiveKit
// participants. What a real livekit-client Room receives is tested in livekit-room.test.ts.
import { expect } from '@open-wc/testing';
import { TestHomeserver, type FlowRecord } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import {
  LiveKitGroupCall,
  livekitNeeds,
  type LiveKitGroupCallOptions,
} from '../../../src/group/livekit/index.js';
import type { KeyProviderSink } from '../../../src/group/livekit/key-ring.js';
import {
  SfuConnectionError,
  type SfuRemoteParticipant,
  type SfuRoom,
  type SfuRoomState,
} from '../../../src/group/livekit/sfu-room.js';
import { ELEMENT_MEMBER_EVENT } from '../../../src/signalling/membership/index.js';
import type { OpenIdToken } from '../../../src/transport/transport.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const CAROL = '@carol:test.invalid';
const SERVICE = `${location.origin}/livekit/jwt`;
const LIVEKIT_URL = `ws://${location.host}/livekit/sfu`;
const SHORT_TIMINGS = { delayedLeaveMs: 1_500, keepAliveMs: 400 };
const FAST_KEYS = { leaveRotationDelayMs: 60, useKeyDelayMs: 20 };

/** TEST DOUBLE of a LiveKit room: records connect/publish/mute, holds keys, plays remote participants. */
class RecordingRoom implements SfuRoom {
  readonly connects: Array<{ url: string; jwt: string }> = [];
  readonly published: Array<{ stream: MediaStream; muted: { audio: boolean; video: boolean } }> = [];
  readonly mutes: string[] = [];
  readonly keys: Array<{ identity: string; index: number; key: string }> = [];
  readonly keySink: KeyProviderSink | undefined;
  disconnected = false;
  private readonly changes = new Set<() => void>();
  private readonly ends = new Set<(reason: string) => void>();
  state: SfuRoomState = { connection: 'new', remotes: [], activeSpeakers: [], localSpeaking: false };

  constructor(
    readonly e2ee: boolean,
    private readonly failConnect?: SfuConnectionError,
  ) {
    this.keySink = e2ee
      ? { setKey: (identity, bytes, index) => this.keys.push({ identity, index, key: bytes.join(',') }) }
      : undefined;
  }
  onChange(listener: () => void) {
    this.changes.add(listener);
    return () => void this.changes.delete(listener);
  }
  onEnded(listener: (reason: string) => void) {
    this.ends.add(listener);
    return () => void this.ends.delete(listener);
  }
  async connect(url: string, jwt: string) {
    this.connects.push({ url, jwt });
    if (this.failConnect) throw this.failConnect;
    this.set({ connection: 'connected' });
  }
  async publishUserMedia(stream: MediaStream, muted: { audio: boolean; video: boolean }) {
    this.published.push({ stream, muted });
  }
  async setMuted(kind: 'audio' | 'video', muted: boolean) {
    this.mutes.push(`${kind}:${muted}`);
  }
  async publishScreen() {}
  async unpublishScreen() {}
  async disconnect() {
    this.disconnected = true;
    this.set({ connection: 'disconnected' });
  }
  /** Plays LiveKit's side: participants, speakers. */
  set(change: Partial<SfuRoomState>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.changes) listener();
  }
  end(reason: string) {
    for (const listener of this.ends) listener(reason);
  }
}

class BadTokenTransport extends MemoryTransport {
  override async requestOpenIdToken(): Promise<OpenIdToken> {
    const token = await super.requestOpenIdToken();
    return { ...token, access_token: `bad_${token.access_token}` };
  }
}

interface Device {
  readonly userId: string;
  readonly deviceId: string;
  readonly transport: MemoryTransport;
  readonly call: LiveKitGroupCall;
  readonly media: RecordingMediaSource;
  readonly rooms: RecordingRoom[];
  readonly log: string[];
}

function world(users: readonly string[], roomOptions: { encrypted?: boolean } = {}) {
  const hs = new TestHomeserver({ delivery: 'task' });
  const roomId = hs.createRoom({ creator: users[0]!, members: users.slice(1), ...roomOptions });
  const devices: Device[] = [];
  const flows: FlowRecord[] = [];
  hs.observe((record) => flows.push(record));

  async function device(
    userId: string,
    deviceId: string,
    options: Partial<LiveKitGroupCallOptions> & {
      failConnect?: SfuConnectionError;
      badToken?: boolean;
      denyOpenId?: boolean;
    } = {},
  ): Promise<Device> {
    const Transport = options.badToken ? BadTokenTransport : MemoryTransport;
    const transport = new Transport(hs, {
      userId,
      deviceId,
      roomId,
      ...(options.denyOpenId ? { deny: [{ kind: 'openid' as const }] } : {}),
    });
    await transport.start(livekitNeeds(transport));
    const rooms: RecordingRoom[] = [];
    const log: string[] = [];
    const media = new RecordingMediaSource();
    const call = new LiveKitGroupCall({
      transport,
      media,
      foci: [SERVICE],
      membershipOptions: { timings: SHORT_TIMINGS },
      keyTimings: FAST_KEYS,
      loadRoom: async ({ e2ee }) => {
        const room = new RecordingRoom(e2ee, options.failConnect);
        rooms.push(room);
        return room;
      },
      log: (line) => log.push(line),
      ...options,
    });
    await call.start();
    const d = { userId, deviceId, transport, call, media, rooms, log };
    devices.push(d);
    return d;
  }

  async function closeAll() {
    for (const d of devices.splice(0)) {
      d.call.dispose();
      d.transport.close();
    }
  }
  return { hs, roomId, device, closeAll, flows };
}

async function ownMembership(d: Device): Promise<Record<string, unknown> | undefined> {
  const [event] = await d.transport.readState(ELEMENT_MEMBER_EVENT, d.call.membership.ownStateKey);
  return event?.content as Record<string, unknown> | undefined;
}

async function jwtRequests(): Promise<
  Array<{
    deployment: string;
    endpoint: string;
    body: Record<string, unknown> & { openid_token?: { matrix_server_name?: string } };
  }>
> {
  return (await fetch('/livekit/jwt-double/requests')).json();
}

function jwtPayload(jwt: string): { sub: string; video: { room: string } } {
  const part = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')));
}

type CodedError = Error & { code: string; detail?: string };
async function joinError(d: Device, kind: 'voice' | 'video'): Promise<CodedError> {
  try {
    await d.call.join(kind);
  } catch (error) {
    return error as CodedError;
  }
  throw new Error('join() should have failed');
}

const remote = (identity: string, extra: Partial<SfuRemoteParticipant> = {}): SfuRemoteParticipant => ({
  identity,
  audioMuted: false,
  videoMuted: false,
  speaking: false,
  connection: 'connected',
  ...extra,
});

describe('LiveKitGroupCall: joining through the JWT service', () => {
  it('writes a membership naming the LiveKit focus, and the JWT service answer reaches the room connect', async () => {
    const w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'ALICE');
    const before = (await jwtRequests()).length;
    await alice.call.join('video');

    expect(alice.call.view.state).to.equal('joined');
    expect(alice.call.view.backend).to.equal('livekit');
    const content = await ownMembership(alice);
    // As Element Call 0.26 writes it: this device publishes to its own focus.
    expect(content?.['focus_active']).to.deep.equal({
      type: 'livekit',
      focus_selection: 'multi_sfu',
    });
    expect(content?.['m.call.intent']).to.equal('video');
    expect(content?.['foci_preferred']).to.deep.equal([
      { type: 'livekit', livekit_service_url: SERVICE, livekit_alias: w.roomId },
    ]);
    expect(alice.call.focus?.source).to.equal('configuration');

    const requests = (await jwtRequests()).slice(before);
    expect(requests).to.have.length(1);
    expect(requests[0]!.endpoint).to.equal('sfu/get');
    expect(requests[0]!.body.room).to.equal(w.roomId);
    expect(requests[0]!.body.device_id).to.equal('ALICE');
    expect(requests[0]!.body.openid_token?.matrix_server_name).to.equal('test.invalid');

    const room = alice.rooms[0]!;
    expect(room.connects).to.have.length(1);
    expect(room.connects[0]!.url).to.equal(LIVEKIT_URL);
    expect(room.connects[0]!.jwt).to.equal(alice.call.sfuAccess!.jwt);
    expect(jwtPayload(room.connects[0]!.jwt).sub).to.match(/:ALICE$/);
    expect(room.published).to.have.length(1);
    const stream = room.published[0]!.stream;
    expect(stream.getAudioTracks()).to.have.length(1);
    expect(stream.getVideoTracks()).to.have.length(1);
    expect(alice.media.userMediaRequests).to.deep.equal(['video']);

    const self = alice.call.view.participants[0]!;
    expect(self).to.include({ userId: ALICE, deviceId: 'ALICE', local: true, connection: 'connected' });
    expect(self.streams[0]!.stream).to.equal(stream);
    await w.closeAll();
  });

  it("a later joiner follows an oldest_membership call's trusted focus, and writes the intent", async () => {
    const w = world([ALICE, BOB]);
    // A matrix-js-sdk style member (oldest_membership) on the same trusted service.
    w.hs.sendState(w.roomId, ALICE, ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICE_m.call`, {
      application: 'm.call',
      call_id: '',
      scope: 'm.room',
      device_id: 'ALICE',
      expires: 3_600_000,
      focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
      foci_preferred: [{ type: 'livekit', livekit_service_url: SERVICE, livekit_alias: w.roomId }],
    });
    const bob = await w.device(BOB, 'BOB', { foci: ['https://elsewhere.invalid/livekit/jwt', SERVICE] });
    await waitFor(() => bob.call.view.ongoing, 'Bob sees the call');
    await bob.call.join('voice');
    expect(bob.call.focus?.source).to.equal('membership');
    expect(bob.call.focus?.chosenFrom).to.deep.equal({ userId: ALICE, deviceId: 'ALICE' });
    expect(bob.rooms[0]!.connects[0]!.url).to.equal(LIVEKIT_URL);
    const content = await ownMembership(bob);
    expect(content?.['focus_active']).to.deep.equal({ type: 'livekit', focus_selection: 'oldest_membership' });
    expect(content?.['m.call.intent']).to.equal('audio');
    await w.closeAll();
  });

  it("a member's untrusted focus in an oldest_membership call: not joined, told plainly, no token sent to it", async () => {
    const w = world([ALICE, BOB]);
    const evil = `${location.origin}/livekit/jwt-old`;
    w.hs.sendState(w.roomId, ALICE, ELEMENT_MEMBER_EVENT, `_${ALICE}_ALICE_m.call`, {
      application: 'm.call',
      call_id: '',
      scope: 'm.room',
      device_id: 'ALICE',
      expires: 3_600_000,
      focus_active: { type: 'livekit', focus_selection: 'oldest_membership' },
      foci_preferred: [{ type: 'livekit', livekit_service_url: evil, livekit_alias: w.roomId }],
    });
    const bob = await w.device(BOB, 'BOB');
    await waitFor(() => bob.call.view.ongoing, 'Bob sees the call');
    const before = (await jwtRequests()).length;
    let caught: unknown;
    await bob.call.join('video').catch((e: unknown) => {
      caught = e;
    });
    expect((caught as { code?: string }).code).to.equal('untrusted-focus');
    expect(bob.call.error?.message).to.match(/did not join/);
    expect(bob.call.view.state).to.equal('idle');
    expect((await jwtRequests()).slice(before), 'no request reached any service').to.deep.equal([]);
    expect(bob.media.userMediaRequests, 'no camera or microphone opened').to.deep.equal([]);
    expect(bob.rooms).to.have.length(0);
    await w.closeAll();
  });

  it('leaving disconnects the room, clears the membership and closes the media', async () => {
    const w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'ALICE');
    const bob = await w.device(BOB, 'BOB');
    await alice.call.join('video');
    await waitFor(() => bob.call.view.ongoing, 'Bob sees the call');
    const stream = alice.rooms[0]!.published[0]!.stream;
    await alice.call.leave();
    expect(alice.call.view.state).to.equal('idle');
    expect(alice.rooms[0]!.disconnected).to.equal(true);
    expect(await ownMembership(alice)).to.deep.equal({});
    expect(stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    await waitFor(() => !bob.call.view.ongoing, 'Bob sees the call empty');
    await w.closeAll();
  });
});

describe('LiveKitGroupCall: media keys between kit instances', () => {
  it('in an encrypted room, three devices exchange keys over Matrix and each room holds the others’ keys', async () => {
    const w = world([ALICE, BOB, CAROL], { encrypted: true });
    const devices = [
      await w.device(ALICE, 'ALICE'),
      await w.device(BOB, 'BOB'),
      await w.device(CAROL, 'CAROL'),
    ];
    for (const d of devices) await d.call.join('voice');
    for (const d of devices) expect(d.call.e2ee, d.userId).to.equal(true);
    const holds = (holder: Device, owner: Device) => {
      const key = owner.call.keyExchange?.ring.currentKey;
      return (
        key !== undefined &&
        holder.rooms[0]!.keys.some(
          (k) =>
            k.identity === `${owner.userId}:${owner.deviceId}` &&
            k.index === key.index &&
            k.key === key.key.join(','),
        )
      );
    };
    await waitFor(
      () => devices.every((a) => devices.every((b) => a === b || holds(a, b))),
      'every room to hold every other member’s key',
    );
    // Each device also uses its own key for its own media.
    await waitFor(
      () => devices.every((d) => d.rooms[0]!.keys.some((k) => k.identity === `${d.userId}:${d.deviceId}`)),
      'own keys in use',
    );
    const keyEvents = w.flows.filter(
      (f) => f.kind === 'to-device' && f.type === 'io.element.call.encryption_keys',
    );
    expect(keyEvents.length).to.be.greaterThan(0);
    expect(keyEvents.every((f) => f.encrypted)).to.equal(true);

    // Carol leaves: Alice and Bob rotate, and the new keys never reach Carol.
    const carol = devices[2]!;
    const [alice, bob] = devices;
    const beforeIndex = alice!.call.keyExchange!.ring.currentKey!.index;
    await carol.call.leave();
    await waitFor(
      () => alice!.call.keyExchange!.ring.currentKey!.index !== beforeIndex && holds(bob!, alice!),
      'Alice’s rotated key at Bob',
    );
    const rotated = alice!.call.keyExchange!.ring.currentKey!.index;
    const toCarol = w.flows.filter(
      (f) =>
        f.kind === 'to-device' &&
        f.target.startsWith(`${CAROL}/`) &&
        (f.content as { keys?: { index?: number } }).keys?.index === rotated,
    );
    expect(toCarol).to.deep.equal([]);
    await w.closeAll();
  });

  it('in an unencrypted room media is not encrypted and no keys are sent; e2ee: true forces it', async () => {
    const w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'ALICE');
    const bob = await w.device(BOB, 'BOB', { e2ee: true });
    await alice.call.join('voice');
    await bob.call.join('voice');
    expect(alice.call.e2ee).to.equal(false);
    expect(alice.rooms[0]!.e2ee).to.equal(false);
    expect(alice.call.keyExchange).to.equal(undefined);
    expect(bob.call.e2ee).to.equal(true);
    expect(bob.rooms[0]!.e2ee).to.equal(true);
    await w.closeAll();
  });
});

describe('LiveKitGroupCall: LiveKit participants in the view', () => {
  it('maps identities to the call’s members, with mute, speaking and the active speaker', async () => {
    const w = world([ALICE, BOB, CAROL]);
    const alice = await w.device(ALICE, 'ALICE');
    const bob = await w.device(BOB, 'BOB');
    await bob.call.join('video');
    await alice.call.join('video');
    const room = alice.rooms[0]!;
    const others = () => alice.call.view.participants.filter((p) => !p.local);
    // Bob is a member but not (yet) in the LiveKit room.
    expect(others().map((p) => [p.userId, p.connection, p.streams.length])).to.deep.equal([
      [BOB, 'checking', 0],
    ]);

    const bobMedia = new MediaStream();
    room.set({
      remotes: [
        remote(`${BOB}:BOB`, { userMedia: bobMedia, audioMuted: true, speaking: true }),
        remote('not-a-matrix-identity'),
      ],
      activeSpeakers: [`${BOB}:BOB`],
    });
    const [b] = others();
    expect(b).to.include({
      userId: BOB,
      deviceId: 'BOB',
      audioMuted: true,
      videoMuted: false,
      speaking: true,
    });
    expect(b!.streams[0]!.stream).to.equal(bobMedia);
    expect(b!.streams[0]!.purpose).to.equal('m.usermedia');
    expect(alice.call.view.activeSpeaker).to.equal(BOB);
    expect(others()).to.have.length(1);

    alice.call.setParticipantVolume(BOB, 'BOB', 0.25);
    expect(others()[0]!.volume).to.equal(0.25);

    await alice.call.setMicMuted(true);
    expect(room.mutes).to.deep.equal(['audio:true']);
    expect(alice.call.view.participants[0]!.audioMuted).to.equal(true);
    await w.closeAll();
  });

  it('a LiveKit room that ends by itself leaves the call and says so', async () => {
    const w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'ALICE');
    await alice.call.join('voice');
    alice.rooms[0]!.end('the LiveKit room disconnected: SERVER_SHUTDOWN');
    await waitFor(
      () => alice.call.view.state === 'idle' && alice.call.error !== undefined,
      'the call to end',
    );
    expect(alice.call.error!.code).to.equal('transport');
    expect(alice.call.error!.message).to.match(/connection to the call's media server .* was lost/i);
    expect(await ownMembership(alice)).to.deep.equal({});
    await w.closeAll();
  });
});

describe('LiveKitGroupCall: failures in plain words', () => {
  it('no focus anywhere: a no-focus error saying what the server admin must set up, and nothing written', async () => {
    const w = world([ALICE]);
    const alice = await w.device(ALICE, 'ALICE', { foci: [] });
    const before = (await jwtRequests()).length;
    const error = await joinError(alice, 'video');
    expect(error.code).to.equal('no-focus');
    expect(error.message).to.match(/needs a media server \(LiveKit\).*server admin/);
    expect(error.detail).to.match(/lk-jwt-service/);
    expect(error.detail).to.contain('org.matrix.msc4143.rtc_foci');
    expect(alice.call.error?.code).to.equal('no-focus');
    expect(alice.call.view.state).to.equal('idle');
    expect(await ownMembership(alice)).to.equal(undefined);
    expect(alice.media.userMediaRequests).to.deep.equal([]);
    expect(alice.rooms).to.deep.equal([]);
    expect((await jwtRequests()).length).to.equal(before);
    await w.closeAll();
  });

  it('a JWT service that fails (500) gives a transport error naming the service; no membership is written', async () => {
    const w = world([ALICE]);
    const alice = await w.device(ALICE, 'ALICE', { foci: [`${location.origin}/livekit/jwt-down`] });
    const error = await joinError(alice, 'video');
    expect(error.code).to.equal('transport');
    expect(error.message).to.contain(`${location.origin}/livekit/jwt-down`);
    expect(error.message).to.match(/failed \(500 M_UNKNOWN\).*server admin/);
    expect(await ownMembership(alice)).to.equal(undefined);
    expect(alice.call.view.state).to.equal('idle');
    await w.closeAll();
  });

  it('a JWT service that refuses the sign-in (401) says it could not confirm the Matrix identity', async () => {
    const w = world([ALICE]);
    const alice = await w.device(ALICE, 'ALICE', { badToken: true });
    const error = await joinError(alice, 'voice');
    expect(error.code).to.equal('transport');
    expect(error.message).to.match(
      /refused your sign-in \(401 M_UNAUTHORIZED\).*confirm your Matrix identity/,
    );
    expect(await ownMembership(alice)).to.equal(undefined);
    await w.closeAll();
  });

  it('a host that refuses the OpenID token gives a capability-denied error', async () => {
    const w = world([ALICE]);
    const alice = await w.device(ALICE, 'ALICE', { denyOpenId: true });
    const error = await joinError(alice, 'voice');
    expect(error.code).to.equal('capability-denied');
    expect(error.message).to.match(/OpenID token/);
    await w.closeAll();
  });

  it('a LiveKit connection that fails undoes the membership and says who can fix it', async () => {
    const w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'ALICE', {
      failConnect: new SfuConnectionError('unreachable', LIVEKIT_URL, 'websocket error'),
    });
    const bob = await w.device(BOB, 'BOB');
    const error = await joinError(alice, 'video');
    expect(error.code).to.equal('transport');
    expect(error.message).to.contain(
      `Could not connect to the call's media server (LiveKit) at ${LIVEKIT_URL}`,
    );
    expect(alice.rooms[0]!.connects).to.have.length(1);
    expect(alice.rooms[0]!.disconnected).to.equal(true);
    expect(await ownMembership(alice)).to.deep.equal({});
    expect(alice.call.view.state).to.equal('idle');
    expect(bob.call.view.ongoing).to.equal(false);
    await w.closeAll();
  });
});
