// What livekit-client's real Room is given, and what becomes of its failures. There is no LiveKit
// server on this machine: the Room here connects either to a closed localhost port or to the test
// server's own origin, which does not speak LiveKit. So these tests stop at the connection attempt:
// URL, token and E2EE options reaching the Room, the E2EE worker starting, and a refused connection
// turned into a plain-words error. No media flows through an SFU here.
import { expect } from '@open-wc/testing';
import { Room, type RoomOptions } from 'livekit-client';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { LiveKitGroupCall, livekitNeeds } from '../../../src/group/livekit/index.js';
import { createLiveKitSfuRoom } from '../../../src/group/livekit/livekit-room-adapter.js';
import { MatrixKeyProvider } from '../../../src/group/livekit/livekit-key-provider.js';
import { loadLiveKitRoom } from '../../../src/group/livekit/load-sfu-room.js';
import { SfuConnectionError } from '../../../src/group/livekit/sfu-room.js';
import { toCallError } from '../../../src/group/livekit/sfu-errors.js';
import { ELEMENT_MEMBER_EVENT } from '../../../src/signalling/membership/index.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';

/** A port nothing listens on (TCP port 9, "discard", is closed on this machine). */
const CLOSED_URL = 'ws://127.0.0.1:9';
const FAKE_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

interface Spied {
  options: Partial<RoomOptions> | undefined;
  connects: Array<{ url: string; token: string }>;
  rooms: Room[];
}

/** Makes real livekit-client Rooms and notes what each is given. */
function spyingRoomFactory(spied: Spied) {
  return (options: Partial<RoomOptions>) => {
    spied.options = options;
    const room = new Room(options);
    const connect = room.connect;
    room.connect = (url, token, opts) => {
      spied.connects.push({ url, token });
      return connect(url, token, opts);
    };
    spied.rooms.push(room);
    return room;
  };
}

describe('livekit-client Room behind the SfuRoom seam', () => {
  it('a connection to a closed localhost port becomes an unreachable error in plain words', async () => {
    const spied: Spied = { options: undefined, connects: [], rooms: [] };
    const room = await createLiveKitSfuRoom({ e2ee: false, createRoom: spyingRoomFactory(spied) });
    const error = await room.connect(CLOSED_URL, FAKE_JWT).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SfuConnectionError);
    expect((error as SfuConnectionError).kind).to.equal('unreachable');
    expect(spied.connects).to.deep.equal([{ url: CLOSED_URL, token: FAKE_JWT }]);
    expect(room.state.connection).to.equal('disconnected');
    const plain = toCallError(error);
    expect(plain.code).to.equal('transport');
    expect(plain.message).to.equal(
      `Could not connect to the call's media server (LiveKit) at ${CLOSED_URL}. Check your connection; if it keeps failing, the server admin should check that the LiveKit server is running and reachable from browsers (wss://, its ports open).`,
    );
    await room.disconnect();
  });

  it('with E2EE the Room gets the kit’s per-participant key provider and a running E2EE worker', async () => {
    const spied: Spied = { options: undefined, connects: [], rooms: [] };
    const room = await createLiveKitSfuRoom({ e2ee: true, createRoom: spyingRoomFactory(spied) });
    const encryption = spied.options?.encryption as { keyProvider: unknown; worker: Worker } | undefined;
    expect(encryption?.keyProvider).to.be.instanceOf(MatrixKeyProvider);
    expect(encryption!.keyProvider).to.equal(room.keySink);
    expect((encryption!.keyProvider as MatrixKeyProvider).getOptions()).to.include({
      sharedKey: false,
      keyringSize: 256,
      ratchetWindowSize: 10,
    });
    expect(encryption!.worker).to.be.instanceOf(Worker);
    expect(spied.rooms[0]!.hasE2EESetup).to.equal(true);
    // The worker is livekit-client's, loaded from e2ee-worker.ts: it answers livekit-client's init.
    const acked = await new Promise<string>((resolve, reject) => {
      encryption!.worker.addEventListener('message', (e: MessageEvent<{ kind: string }>) => {
        if (e.data.kind === 'initAck') resolve(e.data.kind);
      });
      encryption!.worker.addEventListener('error', (e) => reject(new Error(`worker failed: ${e.message}`)));
      encryption!.worker.postMessage({
        kind: 'init',
        data: {
          keyProviderOptions: { sharedKey: false, ratchetWindowSize: 10, keyringSize: 256 },
          loglevel: 'warn',
        },
      });
    });
    expect(acked).to.equal('initAck');
    expect(spied.options).to.include({
      adaptiveStream: true,
      dynacast: true,
      stopLocalTrackOnUnpublish: false,
    });
    await room.disconnect();
  });

  it('without E2EE the Room has no encryption options', async () => {
    const spied: Spied = { options: undefined, connects: [], rooms: [] };
    const room = await createLiveKitSfuRoom({ e2ee: false, createRoom: spyingRoomFactory(spied) });
    expect(spied.options).to.not.have.property('encryption');
    expect(room.keySink).to.equal(undefined);
    await room.disconnect();
  });
});

describe('LiveKitGroupCall with the real, lazily loaded livekit-client', () => {
  it('gets a token from the JWT service double, connects livekit-client to its URL, and a failed connection is undone and explained', async () => {
    const hs = new TestHomeserver({ delivery: 'task' });
    const roomId = hs.createRoom({ creator: '@alice:test.invalid', encrypted: true });
    const transport = new MemoryTransport(hs, { userId: '@alice:test.invalid', deviceId: 'ALICE', roomId });
    await transport.start(livekitNeeds(transport));
    const spied: Spied = { options: undefined, connects: [], rooms: [] };
    const call = new LiveKitGroupCall({
      transport,
      media: new RecordingMediaSource(),
      foci: [`${location.origin}/livekit/jwt`],
      // The default loader (a dynamic import of the adapter), with the Room creation watched.
      loadRoom: async (options) => {
        const adapter = await import('../../../src/group/livekit/livekit-room-adapter.js');
        return adapter.createLiveKitSfuRoom({ ...options, createRoom: spyingRoomFactory(spied) });
      },
    });
    await call.start();
    let error: (Error & { code?: string }) | undefined;
    try {
      await call.join('voice');
    } catch (e) {
      error = e as Error & { code?: string };
    }
    // The double hands out ws://<this server>/livekit/sfu, where no LiveKit server answers.
    expect(spied.connects).to.have.length(1);
    expect(spied.connects[0]!.url).to.equal(`ws://${location.host}/livekit/sfu`);
    expect(spied.connects[0]!.token.split('.')).to.have.length(3);
    expect(spied.options?.encryption).to.not.equal(undefined);
    expect(error?.code).to.equal('transport');
    expect(error!.message).to.contain(`media server (LiveKit) at ws://${location.host}/livekit/sfu`);
    expect(call.view.state).to.equal('idle');
    const [membership] = await transport.readState(ELEMENT_MEMBER_EVENT, call.membership.ownStateKey);
    expect(membership?.content).to.deep.equal({});
    call.dispose();
    transport.close();
  });

  it('the default loader is a dynamic import that yields a working room', async () => {
    const room = await loadLiveKitRoom({ e2ee: false });
    expect(room.state).to.deep.equal({
      connection: 'new',
      remotes: [],
      activeSpeakers: [],
      localSpeaking: false,
    });
    await room.disconnect();
  });
});
