// Mesh group calls: several MeshGroupCalls in one page, each over its own MemoryTransport on one
// in-memory homeserver TEST DOUBLE (demo/host/homeserver.ts), with real RTCPeerConnections and the
// browser's fake camera and microphone. Delayed leave events run on real time, shortened.
import { expect } from '@open-wc/testing';
import { TestHomeserver } from '../../../demo/host/homeserver.js';
import { MemoryTransport } from '../../../demo/host/memory-transport.js';
import { MembershipManager } from '../../../src/group/membership-manager.js';
import {
  MeshCallFullError,
  MeshGroupCall,
  meshNeeds,
  type MeshTimings,
} from '../../../src/group/mesh/index.js';
import { CALL_EVENT_TYPES } from '../../../src/signalling/voip/types.js';
import type { CallKind, GroupCallView } from '../../../src/snapshot.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { inboundBytes, waitFor } from '../../support/webrtc.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const CAROL = '@carol:test.invalid';
const DAVE = '@dave:test.invalid';
const ERIN = '@erin:test.invalid';
const FRANK = '@frank:test.invalid';

interface Device {
  readonly name: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly transport: MemoryTransport;
  readonly membership: MembershipManager;
  readonly call: MeshGroupCall;
  readonly media: RecordingMediaSource;
  readonly log: string[];
}

const SHORT_TIMINGS = { delayedLeaveMs: 1_500, keepAliveMs: 400 };
const NO_DELAYED_TIMINGS = { expiryWithoutDelayedLeaveMs: 2_500, refreshHeadroomMs: 1_500, retryMs: 500 };

function world(users: readonly string[]) {
  const hs = new TestHomeserver({ delivery: 'task' });
  const roomId = hs.createRoom({ creator: users[0]!, members: users.slice(1) });
  const devices: Device[] = [];

  async function device(
    userId: string,
    deviceId: string,
    options: {
      staleOwnMembership?: 'clear' | 'rejoin';
      maxParticipants?: number;
      format?: 'element' | 'famedly';
      timings?: Partial<MeshTimings>;
      /** Without delayed events: a vanished device is removed when its membership expires. */
      noDelayedLeave?: boolean;
      /** Runs before the call starts listening (to slow down what this device sees). */
      beforeStart?: (transport: MemoryTransport) => void;
    } = {},
  ): Promise<Device> {
    const transport = new MemoryTransport(hs, { userId, deviceId, roomId });
    const refused = await transport.start(
      meshNeeds(transport, {
        ...(options.format ? { format: options.format } : {}),
        ...(options.noDelayedLeave ? { delayedLeave: false } : {}),
      }),
    );
    options.beforeStart?.(transport);
    expect(refused, 'needs refused').to.deep.equal([]);
    const log: string[] = [];
    const membership = new MembershipManager({
      transport,
      backend: { type: 'mesh' },
      timings: options.noDelayedLeave ? NO_DELAYED_TIMINGS : SHORT_TIMINGS,
      ...(options.noDelayedLeave ? { delayedLeave: false } : {}),
      ...(options.format ? { format: options.format } : {}),
      ...(options.staleOwnMembership ? { staleOwnMembership: options.staleOwnMembership } : {}),
    });
    const media = new RecordingMediaSource();
    const call = new MeshGroupCall({
      transport,
      media,
      membership,
      log: (line) => log.push(line),
      ...(options.maxParticipants !== undefined ? { maxParticipants: options.maxParticipants } : {}),
      ...(options.timings ? { timings: options.timings } : {}),
    });
    await call.start();
    const d = { name: `${userId}/${deviceId}`, userId, deviceId, transport, membership, call, media, log };
    devices.push(d);
    return d;
  }

  /** The page goes away without leaving: nothing is sent, timers stop, the transport closes. */
  function vanish(d: Device) {
    d.call.dispose();
    d.transport.close();
    devices.splice(devices.indexOf(d), 1);
  }

  async function closeAll() {
    for (const d of devices.splice(0)) {
      d.call.dispose();
      d.transport.close();
    }
  }

  return { hs, roomId, device, vanish, devices, closeAll };
}

const remotes = (view: GroupCallView) => view.participants.filter((p) => !p.local);
const remoteNames = (d: Device) =>
  remotes(d.call.view)
    .map((p) => `${p.userId}/${p.deviceId}`)
    .sort();
const namesOf = (ds: readonly Device[]) => ds.map((d) => d.name).sort();

/** Every device sees every other as a connected participant with a stream, and media flows both ways on every leg. */
async function expectFullMesh(ds: readonly Device[], timeoutMs = 20_000): Promise<void> {
  for (const d of ds) {
    const others = namesOf(ds.filter((o) => o !== d));
    await waitFor(
      () =>
        JSON.stringify(remoteNames(d)) === JSON.stringify(others) &&
        remotes(d.call.view).every((p) => p.connection === 'connected' && p.streams.length > 0),
      `${d.name} connected to ${others.join(', ')} (sees ${JSON.stringify(remotes(d.call.view).map((p) => [p.userId, p.deviceId, p.connection, p.streams.length]))}; log ${d.log.join(' / ')})`,
      timeoutMs,
    );
  }
  for (const d of ds) {
    expect(d.call.legSummaries, `${d.name} legs`).to.have.length(ds.length - 1);
    for (const leg of d.call.legSummaries) {
      const pc = leg.peerConnection!;
      let received = 0;
      for (let i = 0; i < 100 && received === 0; i++) {
        received = await inboundBytes(pc);
        if (received === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(received, `bytes ${d.name} received from ${leg.userId}/${leg.deviceId}`).to.be.greaterThan(0);
    }
  }
}

async function joinAll(ds: readonly Device[], kind: CallKind): Promise<void> {
  for (const d of ds) await d.call.join(kind);
}

describe('Mesh group call over the homeserver double (real WebRTC)', function () {
  this.timeout(90_000);
  let w: ReturnType<typeof world>;

  afterEach(async () => {
    await w?.closeAll();
  });

  it('connects every pair with media, two devices of one user included, the lesser device placing each leg', async () => {
    w = world([ALICE, BOB, CAROL]);
    const a1 = await w.device(ALICE, 'A1');
    const a2 = await w.device(ALICE, 'A2');
    const bob = await w.device(BOB, 'B1');
    const carol = await w.device(CAROL, 'C1');
    const all = [a1, a2, bob, carol];
    await joinAll(all, 'video');
    await expectFullMesh(all);

    // The lesser (user id, device id) places: A1 calls everyone, C1 calls no one.
    const outgoing = (d: Device) =>
      d.call.legSummaries
        .filter((l) => l.direction === 'outgoing')
        .map((l) => `${l.userId}/${l.deviceId}`)
        .sort();
    expect(outgoing(a1)).to.deep.equal([`${ALICE}/A2`, `${BOB}/B1`, `${CAROL}/C1`]);
    expect(outgoing(a2)).to.deep.equal([`${BOB}/B1`, `${CAROL}/C1`]);
    expect(outgoing(bob)).to.deep.equal([`${CAROL}/C1`]);
    expect(outgoing(carol)).to.deep.equal([]);

    // Local media was opened once per device and shared by its three legs.
    for (const d of all) expect(d.media.userMediaRequests, d.name).to.deep.equal(['video']);

    // Mute to everyone: one sendToDevice request addressed to all three devices, encrypted, and
    // every message carries the leg fields and the room id.
    const requests: { type: string; encrypted: boolean; targets: string[] }[] = [];
    const send = a1.transport.sendToDevice.bind(a1.transport);
    a1.transport.sendToDevice = (type, encrypted, messages) => {
      const targets = Object.entries(messages).flatMap(([u, byDevice]) =>
        Object.keys(byDevice).map((dev) => `${u}/${dev}`),
      );
      requests.push({ type, encrypted, targets: targets.sort() });
      return send(type, encrypted, messages);
    };
    const flows: { type: string; content?: unknown }[] = [];
    const stop = w.hs.observe((record) => flows.push(record as { type: string; content?: unknown }));
    await a1.call.setMicMuted(true);
    stop();
    const metadataRequests = requests.filter((r) => r.type === CALL_EVENT_TYPES.metadataChanged);
    expect(metadataRequests).to.deep.equal([
      {
        type: CALL_EVENT_TYPES.metadataChanged,
        encrypted: true,
        targets: [`${ALICE}/A2`, `${BOB}/B1`, `${CAROL}/C1`],
      },
    ]);
    const metadata = flows.filter((f) => f.type === CALL_EVENT_TYPES.metadataChanged);
    expect(metadata).to.have.length(3);
    const first = metadata[0]!.content as Record<string, unknown>;
    expect(first['room_id']).to.equal(w.roomId);
    expect(first['device_id']).to.equal('A1');
    expect(first['sender_session_id']).to.equal(a1.call.sessionId);
    expect(first['conf_id'], 'the group call id famedly routes by').to.equal(w.roomId);
    for (const d of [a2, bob, carol]) {
      await waitFor(
        () => remotes(d.call.view).find((p) => p.deviceId === 'A1')?.audioMuted === true,
        `A1 seen muted at ${d.name}`,
      );
    }
    expect(a1.call.view.participants[0]).to.include({ local: true, audioMuted: true });
    expect(Object.isFrozen(a1.call.view)).to.equal(true);
    expect(Object.isFrozen(a1.call.view.participants)).to.equal(true);
  });

  it('one leaves: the others drop it and end its leg; one vanishes: its delayed leave removes it', async () => {
    w = world([ALICE, BOB, CAROL]);
    const alice = await w.device(ALICE, 'A1');
    const bob = await w.device(BOB, 'B1');
    const carol = await w.device(CAROL, 'C1');
    await joinAll([alice, bob, carol], 'video');
    await expectFullMesh([alice, bob, carol]);

    const bobLegAtAlice = alice.call.legSummaries.find((l) => l.userId === BOB)!.peerConnection!;
    await bob.call.leave();
    expect(bob.call.view.state).to.equal('idle');
    expect(bob.call.view.participants).to.deep.equal([]);
    expect(bob.call.legSummaries).to.deep.equal([]);
    for (const d of [alice, carol]) {
      await waitFor(() => !remoteNames(d).includes(`${BOB}/B1`), `${d.name} drops bob`, 5_000);
      expect(d.call.legSummaries.map((l) => l.userId)).to.not.include(BOB);
    }
    expect(bobLegAtAlice.signalingState).to.equal('closed');
    expect(bob.membership.ownMembership).to.equal(undefined);
    // Alice's camera and microphone are shared by her legs: ending one left the rest sending.
    const own = alice.call.view.participants[0]!.streams[0]!.stream;
    expect(own.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    const carolLeg = alice.call.legSummaries.find((l) => l.userId === CAROL)!.peerConnection!;
    const carolAtAlice = carol.call.legSummaries.find((l) => l.userId === ALICE)!.peerConnection!;
    const before = await inboundBytes(carolAtAlice);
    await waitFor(() => carolLeg.connectionState === 'connected', 'alice-carol still connected');
    let after = before;
    for (let i = 0; i < 40 && after <= before; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await inboundBytes(carolAtAlice);
    }
    expect(after, 'carol still receives alice').to.be.greaterThan(before);

    // Carol's tab dies: no leave, no hangup. Her delayed leave (1.5 s here) clears her membership.
    const vanishedAt = performance.now();
    w.vanish(carol);
    await waitFor(() => !remoteNames(alice).includes(`${CAROL}/C1`), 'alice drops carol', 6_000);
    expect(performance.now() - vanishedAt).to.be.greaterThan(1_000);
    expect(alice.call.legSummaries).to.deep.equal([]);
    expect(alice.call.view.participants.map((p) => p.userId)).to.deep.equal([ALICE]);
    expect(alice.call.view.ongoing).to.equal(false);
  });

  it('a reloaded device rejoins as a new session; the others end the old legs and connect again', async () => {
    w = world([ALICE, BOB, CAROL]);
    const alice = await w.device(ALICE, 'A1');
    let bob = await w.device(BOB, 'B1');
    const carol = await w.device(CAROL, 'C1');
    await joinAll([alice, bob, carol], 'voice');
    await expectFullMesh([alice, bob, carol]);
    const oldSession = bob.call.sessionId;
    const oldCallIds = alice.call.legSummaries.filter((l) => l.userId === BOB).map((l) => l.callId);

    // Reload: the page goes away and comes back at once, finds its old membership and rejoins.
    w.vanish(bob);
    await new Promise((r) => setTimeout(r, 20));
    bob = await w.device(BOB, 'B1', { staleOwnMembership: 'clear' });
    await bob.call.join('voice');
    expect(bob.call.sessionId).to.not.equal(undefined);
    expect(bob.call.sessionId).to.not.equal(oldSession);
    await expectFullMesh([alice, bob, carol]);
    const newCallIds = alice.call.legSummaries.filter((l) => l.userId === BOB).map((l) => l.callId);
    expect(newCallIds).to.have.length(1);
    expect(oldCallIds).to.not.include(newCallIds[0]);
    // Nothing of the old session lingers: one participant per device.
    expect(remoteNames(carol)).to.deep.equal([`${ALICE}/A1`, `${BOB}/B1`]);
  });

  it('a reloaded page whose membership manager rejoins picks the call up again by itself', async () => {
    w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'A1');
    let bob = await w.device(BOB, 'B1');
    await joinAll([alice, bob], 'video');
    await expectFullMesh([alice, bob]);
    const oldSession = bob.call.sessionId;
    w.vanish(bob);
    await new Promise((r) => setTimeout(r, 20));
    bob = await w.device(BOB, 'B1', { staleOwnMembership: 'rejoin' });
    await waitFor(() => bob.call.view.state === 'joined', 'bob back in the call without join()');
    expect(bob.call.sessionId).to.not.equal(oldSession);
    expect(bob.media.userMediaRequests).to.deep.equal(['video']);
    await expectFullMesh([alice, bob]);
  });

  it('past the size limit, joining is refused in plain words that point to an SFU', async () => {
    w = world([ALICE, BOB, CAROL, DAVE]);
    const alice = await w.device(ALICE, 'A1', { maxParticipants: 2 });
    const bob = await w.device(BOB, 'B1', { maxParticipants: 2 });
    const carol = await w.device(CAROL, 'C1', { maxParticipants: 2 });
    await alice.call.join('voice');
    await bob.call.join('voice');
    await waitFor(
      () => carol.call.view.ongoing && carol.membership.otherMemberships.length === 2,
      'carol sees two',
    );
    let refused: unknown;
    await carol.call.join('voice').catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(MeshCallFullError);
    expect((refused as Error).message)
      .to.match(/2 people/)
      .and.match(/SFU/);
    expect(carol.call.view.state).to.equal('idle');
    expect(carol.media.userMediaRequests, 'no media opened').to.deep.equal([]);
    expect(carol.membership.ownMembership).to.equal(undefined);

    // A device with a larger limit joins anyway: the others keep their mesh and say why.
    const dave = await w.device(DAVE, 'D1');
    await dave.call.join('voice');
    await waitFor(() => alice.call.error !== undefined, 'alice reports the limit');
    expect(alice.call.error!.code).to.equal('group-call-full');
    expect(alice.call.error!.message).to.match(/SFU/);
    expect(remoteNames(alice)).to.deep.equal([`${BOB}/B1`]);
    expect(alice.call.legSummaries.map((l) => l.userId)).to.deep.equal([BOB]);
    await dave.call.leave();
    await waitFor(() => alice.call.error === undefined, 'the limit report clears');
  });

  it('a failed leg is placed again after a backoff and connects', async () => {
    w = world([ALICE, BOB]);
    const timings = { backoff: { firstMs: 200, maxMs: 1_000 } };
    const alice = await w.device(ALICE, 'A1', { timings });
    const bob = await w.device(BOB, 'B1', { timings });
    // The host refuses Alice's first two invites.
    let refusals = 2;
    const send = alice.transport.sendToDevice.bind(alice.transport);
    alice.transport.sendToDevice = (type, encrypted, messages) => {
      if (type === CALL_EVENT_TYPES.invite && refusals > 0) {
        refusals--;
        return Promise.reject(new Error('M_LIMIT_EXCEEDED'));
      }
      return send(type, encrypted, messages);
    };
    await bob.call.join('voice');
    const joinedAt = performance.now();
    await alice.call.join('voice');
    await expectFullMesh([alice, bob]);
    expect(refusals).to.equal(0);
    expect(alice.log.filter((l) => l.startsWith(`calling ${BOB}|B1 again`))).to.deep.equal([
      `calling ${BOB}|B1 again in 200 ms`,
      `calling ${BOB}|B1 again in 400 ms`,
    ]);
    expect(performance.now() - joinedAt).to.be.greaterThan(550);
  });

  it('in the call: start muted, unmute seen by all, screen share as its own stream, per-participant volume', async () => {
    w = world([ALICE, BOB, CAROL]);
    const alice = await w.device(ALICE, 'A1');
    const bob = await w.device(BOB, 'B1');
    const carol = await w.device(CAROL, 'C1');
    await alice.call.join('video');
    await bob.call.join('video');
    await carol.call.join('video', { audioMuted: true, videoMuted: true });
    await expectFullMesh([alice, bob, carol]);
    const carolAt = (d: Device) => remotes(d.call.view).find((p) => p.userId === CAROL)!;
    for (const d of [alice, bob]) {
      expect(carolAt(d), `carol at ${d.name}`).to.include({ audioMuted: true, videoMuted: true });
    }
    expect(carol.call.view.participants[0]).to.include({ local: true, audioMuted: true, videoMuted: true });
    const carolTrack = carol.call.view.participants[0]!.streams[0]!.stream.getAudioTracks()[0]!;
    expect(carolTrack.enabled, 'own microphone switched off').to.equal(false);

    await carol.call.setMicMuted(false);
    await carol.call.setCameraMuted(false);
    for (const d of [alice, bob]) {
      await waitFor(() => !carolAt(d).audioMuted && !carolAt(d).videoMuted, `carol unmuted at ${d.name}`);
    }

    await alice.call.setScreenSharing(true);
    expect(alice.media.displayRequests, 'the screen is picked once for all legs').to.equal(1);
    expect(alice.call.view.participants[0]!.streams.map((s) => s.purpose)).to.deep.equal([
      'm.usermedia',
      'm.screenshare',
    ]);
    for (const d of [bob, carol]) {
      await waitFor(
        () =>
          remotes(d.call.view)
            .find((p) => p.userId === ALICE)!
            .streams.some((s) => s.purpose === 'm.screenshare'),
        `alice's screen at ${d.name}`,
      );
    }
    await alice.call.setScreenSharing(false);
    for (const d of [bob, carol]) {
      await waitFor(
        () =>
          !remotes(d.call.view)
            .find((p) => p.userId === ALICE)!
            .streams.some((s) => s.purpose === 'm.screenshare'),
        `alice's screen gone at ${d.name}`,
      );
    }

    const before = bob.call.view;
    bob.call.setParticipantVolume(CAROL, 'C1', 0.25);
    expect(bob.call.view).to.not.equal(before);
    expect(carolAt(bob).volume).to.equal(0.25);
    expect(remotes(bob.call.view).find((p) => p.userId === ALICE)!.volume).to.equal(1);
    bob.call.setParticipantVolume(CAROL, 'C1', 7);
    expect(carolAt(bob).volume).to.equal(1);
  });

  it('a device that joins while others share their screens sees the screens (legs placed and answered)', async () => {
    w = world([ALICE, BOB, CAROL]);
    const alice = await w.device(ALICE, 'A1');
    const bob = await w.device(BOB, 'B1');
    const carol = await w.device(CAROL, 'C1');
    await joinAll([alice, carol], 'video');
    await expectFullMesh([alice, carol]);
    await alice.call.setScreenSharing(true);
    await carol.call.setScreenSharing(true);
    await bob.call.join('video');
    await expectFullMesh([alice, bob, carol]);
    const screensAtBob = () =>
      remotes(bob.call.view)
        .filter((p) => p.streams.some((s) => s.purpose === 'm.screenshare'))
        .map((p) => p.userId)
        .sort();
    // Alice places her leg to Bob; Bob places his to Carol, who answers: both add their screen after.
    await waitFor(() => screensAtBob().length === 2, 'both screens at bob');
    expect(screensAtBob()).to.deep.equal([ALICE, CAROL]);
  });

  it("famedly's membership format: session ids are the membershipIDs, and every pair connects", async () => {
    w = world([ALICE, BOB, CAROL]);
    const all = [
      await w.device(ALICE, 'A1', { format: 'famedly' }),
      await w.device(BOB, 'B1', { format: 'famedly' }),
      await w.device(CAROL, 'C1'),
    ];
    await joinAll(all, 'voice');
    await expectFullMesh(all);
    const alice = all[0]!;
    expect(alice.membership.ownMembership!.format).to.equal('famedly');
    expect(alice.call.sessionId).to.equal(alice.membership.ownMembership!.membershipId);
  });

  it('speaking and the active speaker come from the received audio levels', async () => {
    w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'A1');
    const bob = await w.device(BOB, 'B1');
    await joinAll([alice, bob], 'voice');
    await expectFullMesh([alice, bob]);
    // Levels are read from what the page plays (Chromium measures received audio as it plays it
    // out), so the test plays Bob's stream as a tile would. The fake microphone beeps: Bob is heard
    // speaking at Alice now and then.
    const audio = document.createElement('audio');
    audio.srcObject = remotes(alice.call.view)[0]!.streams[0]!.stream;
    document.body.append(audio);
    await audio.play();
    await waitFor(
      () => remotes(alice.call.view)[0]!.speaking && alice.call.view.activeSpeaker === BOB,
      'bob speaking at alice',
      8_000,
    );
    await bob.call.setMicMuted(true);
    await waitFor(() => !remotes(alice.call.view)[0]!.speaking, 'bob silent once muted', 4_000);
    audio.remove();
  });

  it('without delayed events, a vanished device is removed when its membership expires', async () => {
    w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'A1', { noDelayedLeave: true });
    const bob = await w.device(BOB, 'B1', { noDelayedLeave: true });
    await joinAll([alice, bob], 'voice');
    await expectFullMesh([alice, bob]);
    expect(alice.membership.delayedLeave).to.equal('off');
    // Alive devices keep refreshing their short memberships: still together after two lifetimes.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(remoteNames(alice)).to.deep.equal([`${BOB}/B1`]);
    w.vanish(bob);
    await waitFor(() => remoteNames(alice).length === 0, 'alice drops bob at expiry', 5_000);
    expect(alice.call.legSummaries).to.deep.equal([]);
  });

  it('an invite that arrives before its sender’s membership is held until the membership does', async () => {
    w = world([ALICE, BOB]);
    // Bob sees Alice's room events 600 ms late; her to-device invite overtakes her membership.
    const bob = await w.device(BOB, 'B1', {
      beforeStart: (transport) => {
        const subscribe = transport.onRoomEvent.bind(transport);
        transport.onRoomEvent = (listener) =>
          subscribe((event) => {
            if (event.sender === ALICE) setTimeout(() => listener(event), 600);
            else listener(event);
          });
      },
    });
    const alice = await w.device(ALICE, 'A1');
    await bob.call.join('voice');
    await alice.call.join('voice');
    await expectFullMesh([alice, bob]);
    expect(bob.log.some((l) => l.startsWith(`holding an invite from ${ALICE}|A1`))).to.equal(true);
    expect(bob.log.join('\n')).to.not.match(/dropped an invite/);
    expect(alice.log.join('\n'), 'connected on the first invite').to.not.match(/again in/);
  });

  it('a camera that cannot be opened leaves the call unjoined, and so does leaving while it opens', async () => {
    w = world([ALICE, BOB]);
    const alice = await w.device(ALICE, 'A1');
    const refusal = Object.assign(new Error('no camera'), { code: 'no-device' });
    alice.media.getUserMedia = () => Promise.reject(refusal);
    let failure: unknown;
    await alice.call.join('video').catch((e: unknown) => (failure = e));
    expect(failure).to.equal(refusal);
    expect(alice.call.view.state).to.equal('idle');
    expect(alice.membership.ownMembership).to.equal(undefined);

    const bob = await w.device(BOB, 'B1');
    const states: string[] = [];
    bob.call.addEventListener('change', () => states.push(bob.call.view.state));
    const joining = bob.call.join('video');
    await bob.call.leave();
    await joining;
    expect(states).to.deep.equal(['joining', 'leaving', 'idle']);
    expect(bob.membership.joined).to.equal(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(bob.membership.ownMembership).to.equal(undefined);
    expect(bob.call.view.state).to.equal('idle');
  });

  it('six devices, voice: every pair connected with media', async () => {
    w = world([ALICE, BOB, CAROL, DAVE, ERIN, FRANK]);
    const all: Device[] = [];
    for (const [user, device] of [
      [ALICE, 'A1'],
      [BOB, 'B1'],
      [CAROL, 'C1'],
      [DAVE, 'D1'],
      [ERIN, 'E1'],
      [FRANK, 'F1'],
    ] as const) {
      all.push(await w.device(user, device));
    }
    await Promise.all(all.map((d) => d.call.join('voice')));
    await expectFullMesh(all, 30_000);
  });
});
