// The group backend setting 'auto' through the CallController: controllers over MemoryTransports on
// one homeserver TEST DOUBLE (demo/host/homeserver.ts). Mesh calls run over real RTCPeerConnections;
// the SFU backend is a recording double (a LiveKit server cannot run here), and others' SFU
// memberships are written into the room as Element Call writes them.
import { expect } from '@open-wc/testing';
import type { GroupCallBackendFactory } from '../../../src/group/group-call-backend.js';
import { MeshGroupCall } from '../../../src/group/mesh/index.js';
import {
  buildElementMembership,
  ELEMENT_MEMBER_EVENT,
  elementStateKey,
} from '../../../src/signalling/membership/index.js';
import type { GroupCallView } from '../../../src/snapshot.js';
import { RecordingGroupBackend } from '../../support/recording-group-backend.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from './controller-room.js';

const groupOf = (side: Side): GroupCallView => side.controller.snapshot.group!;
const SERVICE_URL = 'https://rtc.test.invalid/livekit/jwt';

/** A factory of SFU doubles that keeps every one it made. */
function sfuFactory(preferred: boolean): { factory: GroupCallBackendFactory; made: RecordingGroupBackend[] } {
  const made: RecordingGroupBackend[] = [];
  const make = () => {
    const backend = new RecordingGroupBackend();
    made.push(backend);
    return backend;
  };
  return { factory: Object.assign(make, { preferredForNewCalls: preferred }), made };
}

/** Writes `userId`'s device into the room's call on the SFU, as Element Call does. */
function joinOnSfu(room: ControllerRoom, userId: string, deviceId: string): void {
  room.homeserver.sendState(
    room.roomId,
    userId,
    ELEMENT_MEMBER_EVENT,
    elementStateKey(userId, deviceId),
    buildElementMembership({
      userId,
      deviceId,
      backend: { type: 'livekit', serviceUrl: SERVICE_URL, alias: room.roomId },
      expires: 4 * 60 * 60 * 1000,
    }),
    deviceId,
  );
}

function leaveSfu(room: ControllerRoom, userId: string, deviceId: string): void {
  room.homeserver.sendState(
    room.roomId,
    userId,
    ELEMENT_MEMBER_EVENT,
    elementStateKey(userId, deviceId),
    {},
    deviceId,
  );
}

/** The focus types alice's own membership names. */
function ownFoci(room: ControllerRoom): unknown[] {
  const own = room.sent(ELEMENT_MEMBER_EVENT, ALICE).at(-1);
  const preferred = (own?.content as Record<string, unknown> | undefined)?.['foci_preferred'];
  return Array.isArray(preferred) ? preferred.map((f: { type?: unknown }) => f.type) : [];
}

describe("CallController: group backend 'auto'", function () {
  this.timeout(60_000);
  let room: ControllerRoom;
  afterEach(() => room?.dispose());

  it('nobody in the call and no focus configured: a mesh call, with a mesh membership', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const sfu = sfuFactory(false);
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'auto' }, groupBackends: { livekit: sfu.factory } },
    });
    expect(groupOf(alice)).to.include({ state: 'idle', backend: 'mesh', ongoing: false });
    await alice.controller.joinGroupCall('voice');
    expect(groupOf(alice)).to.include({ state: 'joined', backend: 'mesh' });
    expect(alice.controller.groupCall?.backend).to.be.instanceOf(MeshGroupCall);
    expect(ownFoci(room)).to.deep.equal(['mesh']);
    expect(sfu.made.flatMap((b) => b.calls).filter((c) => c.startsWith('join'))).to.deep.equal([]);
  });

  it('nobody in the call and the SFU has a focus configured: the SFU carries the new call', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const sfu = sfuFactory(true);
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'auto' }, groupBackends: { livekit: sfu.factory } },
    });
    expect(groupOf(alice)).to.include({ state: 'idle', backend: 'livekit' });
    await alice.controller.joinGroupCall('video');
    expect(groupOf(alice)).to.include({ state: 'joined', backend: 'livekit' });
    expect(sfu.made).to.have.length(1);
    expect(sfu.made[0]!.calls).to.deep.equal(['start', 'join video']);
    expect(room.sent(ELEMENT_MEMBER_EVENT, ALICE), 'the mesh wrote nothing').to.have.length(0);
  });

  it('others already on the SFU and no SFU backend in this build: shown as an SFU call, joining says so plainly', async () => {
    room = new ControllerRoom({ members: [BOB] });
    joinOnSfu(room, BOB, 'BOBDEV');
    const alice = await room.side(ALICE, 'ALICEDEV', { controller: { settings: { groupBackend: 'auto' } } });
    expect(groupOf(alice)).to.include({ state: 'idle', backend: 'livekit', ongoing: true });
    await alice.controller.joinGroupCall('video');
    expect(alice.controller.snapshot.error?.code).to.equal('no-focus');
    expect(alice.controller.snapshot.error?.message).to.contain('without the SFU backend');
    expect(room.sent(ELEMENT_MEMBER_EVENT, ALICE), 'no membership written').to.have.length(0);
    expect(groupOf(alice).state).to.equal('idle');
  });

  it('others already on a mesh: the mesh, even with a focus configured for new calls', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const bob = await room.side(BOB, 'BOBDEV');
    await bob.controller.joinGroupCall('voice');
    const sfu = sfuFactory(true);
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'auto' }, groupBackends: { livekit: sfu.factory } },
    });
    await waitFor(
      () => groupOf(alice).backend === 'mesh' && groupOf(alice).ongoing,
      'alice to see the mesh call',
    );
    await alice.controller.joinGroupCall('voice');
    expect(alice.controller.groupCall?.backend).to.be.instanceOf(MeshGroupCall);
    expect(ownFoci(room)).to.deep.equal(['mesh']);
    await waitFor(
      () => groupOf(alice).participants.some((p) => p.userId === BOB && p.connection === 'connected'),
      'alice connected to bob over the mesh',
      20_000,
    );
    expect(sfu.made.flatMap((b) => b.calls).filter((c) => c.startsWith('join'))).to.deep.equal([]);
  });

  it('while not in the call, the backend follows the members: SFU when they move there, back to mesh when they leave', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const sfu = sfuFactory(false);
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'auto' }, groupBackends: { livekit: sfu.factory } },
    });
    expect(groupOf(alice).backend).to.equal('mesh');
    expect(sfu.made).to.have.length(0);

    joinOnSfu(room, BOB, 'BOBDEV');
    await waitFor(() => groupOf(alice).backend === 'livekit', 'alice to switch to the SFU');
    await waitFor(() => sfu.made[0]?.calls.includes('start') === true, 'the SFU backend to start');

    leaveSfu(room, BOB, 'BOBDEV');
    await waitFor(() => groupOf(alice).backend === 'mesh', 'alice to switch back to the mesh');
    expect(sfu.made[0]!.calls).to.deep.equal(['start', 'dispose']);
    expect(groupOf(alice).ongoing).to.equal(false);

    // Bob comes back on the SFU; alice joins there.
    joinOnSfu(room, BOB, 'BOBDEV2');
    await waitFor(() => groupOf(alice).backend === 'livekit', 'alice to switch to the SFU again');
    await alice.controller.joinGroupCall('voice');
    expect(sfu.made).to.have.length(2);
    expect(sfu.made[1]!.calls).to.deep.equal(['start', 'join voice']);
  });

  it('a call in progress keeps its backend; the next call follows the members', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const sfu = sfuFactory(false);
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'auto' }, groupBackends: { livekit: sfu.factory } },
    });
    await alice.controller.joinGroupCall('voice');
    expect(groupOf(alice)).to.include({ state: 'joined', backend: 'mesh' });

    // Carol joins the room's call on the SFU (an older membership would not move alice either).
    joinOnSfu(room, CAROL, 'CAROLDEV');
    await waitFor(
      () => room.homeserver.state(room.roomId, ELEMENT_MEMBER_EVENT).length === 2,
      'carol membership stored',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(groupOf(alice)).to.include({ state: 'joined', backend: 'mesh' });
    expect(sfu.made, 'no SFU backend made during the call').to.have.length(0);

    await alice.controller.leaveGroupCall();
    await waitFor(() => groupOf(alice).backend === 'livekit', 'the next call to be on the SFU');
    await alice.controller.joinGroupCall('video');
    expect(sfu.made[0]!.calls).to.deep.equal(['start', 'join video']);
  });

  it('asks at start for neither backend’s join needs, and on joining for the needs of the backend it joins', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const sfu = sfuFactory(false);
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: {
        settings: { groupBackend: 'auto' },
        groupBackends: { livekit: sfu.factory, livekitNeeds: [{ kind: 'openid' }] },
      },
    });
    const granted = () => alice.transport.grantedNeeds;
    const meshLegs = () => granted().some((n) => n.kind === 'send-to-device' && n.type === 'm.call.invite');
    const membership = () =>
      granted().some((n) => n.kind === 'send-state' && n.type === ELEMENT_MEMBER_EVENT);
    const openId = () => granted().some((n) => n.kind === 'openid');
    expect([meshLegs(), membership(), openId()], 'nothing of joining at start').to.deep.equal([
      false,
      false,
      false,
    ]);

    // Nobody in the call and the SFU not preferred: the mesh.
    await alice.controller.joinGroupCall('voice');
    expect(groupOf(alice)).to.include({ state: 'joined', backend: 'mesh' });
    expect([meshLegs(), membership(), openId()], 'the mesh’s, not the SFU’s').to.deep.equal([
      true,
      true,
      false,
    ]);
    await alice.controller.leaveGroupCall();

    // Bob's call on the SFU: joining it asks for the SFU's needs.
    joinOnSfu(room, BOB, 'BOBDEV');
    await waitFor(() => groupOf(alice).backend === 'livekit', 'the call to be on the SFU');
    await alice.controller.joinGroupCall('voice');
    expect(openId(), 'the SFU’s').to.equal(true);
    expect(sfu.made.at(-1)!.calls).to.include('join voice');
  });
});
