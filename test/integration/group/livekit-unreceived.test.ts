// A multi-SFU call's members that this device does not receive, in the group call's view: who, which
// server, and why (untrusted, or unreachable). LiveKitGroupCall over a MemoryTransport on the in-memory
// homeserver TEST DOUBLE, the JWT service TEST DOUBLE on this origin (`jwt-down` answers 500), and a
// labelled TEST DOUBLE of the LiveKit room behind the SfuRoom seam (no LiveKit server here).
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { LiveKitGroupCall, livekitNeeds } from '../../../src/group/livekit/index.js';
import type { SfuRoom, SfuRoomState } from '../../../src/group/livekit/sfu-room.js';
import { ELEMENT_MEMBER_EVENT } from '../../../src/signalling/membership/index.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const CAROL = '@carol:test.invalid';
const DAVE = '@dave:test.invalid';
const SERVICE = `${location.origin}/livekit/jwt`;
/** Trusted (configured), but every request fails. */
const DOWN = `${location.origin}/livekit/jwt-down`;
/** Named only in Bob's membership. */
const UNTRUSTED = 'https://sfu.bob-hosting.example/livekit/jwt';
const NAMES: Record<string, string> = { [ALICE]: 'Alice', [BOB]: 'Bob', [CAROL]: 'Carol', [DAVE]: 'Dave' };

/** TEST DOUBLE of a LiveKit room: connects, publishes nothing anyone sees, plays an empty room. */
class EmptyRoom implements SfuRoom {
  readonly keySink = undefined;
  state: SfuRoomState = { connection: 'new', remotes: [], activeSpeakers: [], localSpeaking: false };
  onChange() {
    return () => undefined;
  }
  onEnded() {
    return () => undefined;
  }
  async connect() {
    this.state = { ...this.state, connection: 'connected' };
  }
  async publishUserMedia() {}
  async setMuted() {}
  async publishScreen() {}
  async unpublishScreen() {}
  async disconnect() {
    this.state = { ...this.state, connection: 'disconnected' };
  }
}

/** A member publishing to its own focus, as Element Call 0.26 writes it. */
function multiSfuMember(
  hs: TestHomeserver,
  roomId: string,
  userId: string,
  deviceId: string,
  service: string,
) {
  hs.sendState(roomId, userId, ELEMENT_MEMBER_EVENT, `_${userId}_${deviceId}_m.call`, {
    application: 'm.call',
    call_id: '',
    scope: 'm.room',
    device_id: deviceId,
    expires: 3_600_000,
    focus_active: { type: 'livekit', focus_selection: 'multi_sfu' },
    foci_preferred: [{ type: 'livekit', livekit_service_url: service, livekit_alias: roomId }],
  });
}

describe('LiveKitGroupCall: members this device does not receive, in the view', () => {
  let call: LiveKitGroupCall | undefined;
  let transport: MemoryTransport | undefined;
  afterEach(() => {
    call?.dispose();
    transport?.close();
  });

  it('names each member on an untrusted or unreachable media server, with its host and why; members on this device’s server are not listed', async () => {
    const hs = new TestHomeserver({ delivery: 'task' });
    const roomId = hs.createRoom({ creator: ALICE, members: [BOB, CAROL, DAVE] });
    multiSfuMember(hs, roomId, BOB, 'BOB', UNTRUSTED);
    multiSfuMember(hs, roomId, CAROL, 'CAROL', DOWN);
    multiSfuMember(hs, roomId, DAVE, 'DAVE', SERVICE);

    transport = new MemoryTransport(hs, { userId: ALICE, deviceId: 'ALICE', roomId });
    await transport.start(livekitNeeds(transport));
    call = new LiveKitGroupCall({
      transport,
      media: new RecordingMediaSource(),
      // Both configured, so both trusted: this device publishes to the first.
      foci: [SERVICE, DOWN],
      e2ee: false,
      loadRoom: async () => new EmptyRoom(),
      describe: (userId) => ({ userId, displayName: NAMES[userId] ?? userId }),
    });
    await call.start();
    expect(call.view.unreceived, 'nothing before joining').to.equal(undefined);
    await call.join('voice');

    await waitFor(() => (call!.view.unreceived?.length ?? 0) === 2, 'Bob and Carol listed as not received');
    const unreceived = call.view.unreceived!;
    const byUser = Object.fromEntries(unreceived.map((u) => [u.person.userId, u]));
    expect(byUser[BOB]).to.deep.equal({
      person: { userId: BOB, displayName: 'Bob' },
      deviceId: 'BOB',
      host: 'sfu.bob-hosting.example',
      reason: 'untrusted',
    });
    expect(byUser[CAROL]).to.deep.include({ deviceId: 'CAROL', host: location.host, reason: 'unreachable' });
    expect(byUser[DAVE]).to.equal(undefined);
    expect(call.refusedFoci.map((r) => r.focus.serviceUrl).sort()).to.deep.equal([DOWN, UNTRUSTED].sort());

    // Bob leaves the call: he is no longer listed.
    hs.sendState(roomId, BOB, ELEMENT_MEMBER_EVENT, `_${BOB}_BOB_m.call`, {});
    await waitFor(() => call!.view.unreceived?.length === 1, 'only Carol listed');
    expect(call.view.unreceived![0]!.person.userId).to.equal(CAROL);

    await call.leave();
    expect(call.view.unreceived, 'nothing after leaving').to.equal(undefined);
  });
});
