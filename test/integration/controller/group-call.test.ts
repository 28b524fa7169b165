// Group calls through the CallController: three controllers, each over its own MemoryTransport on one
// homeserver TEST DOUBLE (demo/host/homeserver.ts), join the room's group call with controller actions,
// over real RTCPeerConnections and the browser's fake camera and microphone.
import { expect } from '@open-wc/testing';
import { MeshGroupCall } from '../../../src/group/mesh/index.js';
import { ELEMENT_MEMBER_EVENT } from '../../../src/signalling/membership/event-types.js';
import { RTC_DECLINE_EVENT, RTC_NOTIFICATION_EVENT } from '../../../src/signalling/ringing/index.js';
import type { GroupCallView } from '../../../src/snapshot.js';
import { RecordingGroupBackend } from '../../support/recording-group-backend.js';
import { inboundBytes, waitFor } from '../../support/webrtc.js';
import { GROUP_CALL_ID } from '../../../src/snapshot.js';
import {
  ALICE,
  BOB,
  CAROL,
  ControllerRoom,
  connectCall,
  connected,
  findCall,
  type Side,
} from './controller-room.js';

const groupOf = (side: Side): GroupCallView => side.controller.snapshot.group!;
const remotesOf = (side: Side) => groupOf(side).participants.filter((p) => !p.local);
const nameOf = (side: Side) => side.transport.userId;

/** Every side sees every other side as a connected participant with a stream, and bytes arrive on every leg. */
async function expectFullMesh(sides: readonly Side[]): Promise<void> {
  for (const side of sides) {
    const others = sides
      .filter((o) => o !== side)
      .map(nameOf)
      .sort();
    await waitFor(
      () =>
        JSON.stringify(
          remotesOf(side)
            .map((p) => p.userId)
            .sort(),
        ) === JSON.stringify(others) &&
        remotesOf(side).every((p) => p.connection === 'connected' && p.streams.length > 0),
      `${nameOf(side)} connected to ${others.join(', ')} (sees ${JSON.stringify(remotesOf(side).map((p) => [p.userId, p.connection, p.streams.length]))})`,
      20_000,
    );
  }
  for (const side of sides) {
    const backend = side.controller.groupCall?.backend;
    expect(backend, 'the mesh backend').to.be.instanceOf(MeshGroupCall);
    const legs = (backend as MeshGroupCall).legSummaries;
    expect(legs, `${nameOf(side)} legs`).to.have.length(sides.length - 1);
    for (const leg of legs) {
      let received = 0;
      for (let i = 0; i < 100 && received === 0; i++) {
        received = await inboundBytes(leg.peerConnection!);
        if (received === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(received, `bytes ${nameOf(side)} received from ${leg.userId}`).to.be.greaterThan(0);
    }
  }
}

describe('CallController: group calls (mesh, real WebRTC)', function () {
  this.timeout(90_000);
  let room: ControllerRoom;

  afterEach(() => room?.dispose());

  it('three controllers join through actions, all pairs have media, mute is seen by the others, and one leaving is dropped', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bob = await room.side(BOB, 'BOBDEV');
    const carol = await room.side(CAROL, 'CAROLDEV');
    for (const side of [alice, bob, carol]) {
      expect(groupOf(side), `${nameOf(side)} group view`).to.include({
        state: 'idle',
        backend: 'mesh',
        ongoing: false,
      });
    }

    await alice.controller.joinGroupCall('video');
    expect(groupOf(alice).state).to.equal('joined');
    // Bob sees the call going on before joining it.
    await waitFor(() => groupOf(bob).ongoing, 'bob to see the call going on');
    await bob.controller.joinGroupCall('video');
    await carol.controller.joinGroupCall('video');
    await expectFullMesh([alice, bob, carol]);
    for (const side of [alice, bob, carol]) {
      const local = groupOf(side).participants.filter((p) => p.local);
      expect(
        local.map((p) => p.userId),
        `${nameOf(side)} local participant`,
      ).to.deep.equal([nameOf(side)]);
      expect(side.controller.snapshot.error, `${nameOf(side)} error`).to.equal(undefined);
    }

    // Mute through the CallActions, addressed to the group call.
    await alice.controller.setMicMuted(GROUP_CALL_ID, true);
    expect(groupOf(alice).participants.find((p) => p.local)!.audioMuted).to.equal(true);
    for (const side of [bob, carol]) {
      await waitFor(
        () => remotesOf(side).find((p) => p.userId === ALICE)?.audioMuted === true,
        `${nameOf(side)} to see alice muted`,
      );
      const other = side === bob ? CAROL : BOB;
      expect(remotesOf(side).find((p) => p.userId === other)?.audioMuted, `${other} not muted`).to.equal(
        false,
      );
    }
    await alice.controller.setMicMuted(GROUP_CALL_ID, false);
    await waitFor(
      () => remotesOf(bob).find((p) => p.userId === ALICE)?.audioMuted === false,
      'bob to see alice unmuted',
    );

    // Carol leaves: the others drop her, she is idle and her membership is cleared.
    await carol.controller.leaveGroupCall();
    expect(groupOf(carol).state).to.equal('idle');
    expect(groupOf(carol).participants).to.have.length(0);
    for (const side of [alice, bob]) {
      await waitFor(
        () =>
          JSON.stringify(remotesOf(side).map((p) => p.userId)) ===
          JSON.stringify([side === alice ? BOB : ALICE]),
        `${nameOf(side)} to drop carol`,
      );
    }
    await waitFor(() => groupOf(carol).ongoing, 'carol to still see the call going on');
  });

  it('ringing: the first joiner notifies the room, the others load the group call code and ring; declining sends the decline and stops it; joining stops it', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bob = await room.side(BOB, 'BOBDEV');
    const carol = await room.side(CAROL, 'CAROLDEV');
    for (const side of [alice, bob, carol]) {
      expect(side.controller.groupCall, 'no group call yet: its code is not loaded').to.equal(undefined);
    }

    // Bob and Carol load the group call's code on Alice's membership, and ring on her notification.
    await alice.controller.joinGroupCall('voice');
    const notifications = room.sent(RTC_NOTIFICATION_EVENT, ALICE);
    expect(notifications, 'one notification from alice').to.have.length(1);
    const notification = notifications[0]!;
    const membership = room.sent(ELEMENT_MEMBER_EVENT, ALICE).at(-1)!;
    expect(notification.content).to.deep.include({
      notification_type: 'notification',
      'm.relates_to': { rel_type: 'm.reference', event_id: membership.event_id },
      'm.call.intent': 'audio',
    });
    expect(groupOf(alice).ringing, 'the starter does not ring').to.equal(undefined);

    for (const side of [bob, carol]) {
      await waitFor(() => groupOf(side).ringing !== undefined, `${nameOf(side)} to ring`);
      expect(groupOf(side).ringing!.notificationId).to.equal(notification.event_id);
      expect(groupOf(side).ringing!.from.userId).to.equal(ALICE);
    }

    await bob.controller.declineGroupCall();
    expect(groupOf(bob).ringing, 'bob stops ringing').to.equal(undefined);
    const declines = room.sent(RTC_DECLINE_EVENT, BOB);
    expect(declines).to.have.length(1);
    expect(declines[0]!.content).to.deep.equal({
      'm.relates_to': { rel_type: 'm.reference', event_id: notification.event_id },
    });
    expect(groupOf(carol).ringing, 'bob declining does not stop carol ringing').to.not.equal(undefined);
    expect(groupOf(bob).state).to.equal('idle');

    await carol.controller.joinGroupCall('voice');
    expect(groupOf(carol).ringing, 'joining stops ringing').to.equal(undefined);
    expect(room.sent(RTC_NOTIFICATION_EVENT), 'joining a call going on notifies nobody').to.have.length(1);
    await waitFor(
      () => remotesOf(alice).some((p) => p.userId === CAROL && p.connection === 'connected'),
      'alice to connect to carol',
    );
  });

  it('ringing in a two-person room is a ring; another device of the same user declining stops it; the call ending stops it', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bobPhone = await room.side(BOB, 'BOBPHONE');
    const bobLaptop = await room.side(BOB, 'BOBLAPTOP');
    await alice.controller.joinGroupCall('video');
    expect(room.sent(RTC_NOTIFICATION_EVENT, ALICE)[0]!.content).to.deep.include({
      notification_type: 'ring',
    });
    for (const side of [bobPhone, bobLaptop])
      await waitFor(() => groupOf(side).ringing !== undefined, `${side.transport.deviceId} to ring`);

    await bobPhone.controller.declineGroupCall();
    await waitFor(
      () => groupOf(bobLaptop).ringing === undefined,
      'the laptop to stop ringing after the phone declined',
    );

    // A second call: ringing stops when the caller leaves and nobody is in the call any more.
    await alice.controller.leaveGroupCall();
    await waitFor(() => !groupOf(bobPhone).ongoing, 'the first call to end');
    await alice.controller.joinGroupCall('video');
    await waitFor(() => groupOf(bobPhone).ringing !== undefined, 'the phone to ring for the second call');
    await waitFor(() => groupOf(bobLaptop).ringing !== undefined, 'the laptop to ring for the second call');
    // Dismissing (what <incoming-call> does for a group ring) stops it here only and tells nobody.
    bobLaptop.controller.dismiss(groupOf(bobLaptop).ringing!.notificationId);
    expect(groupOf(bobLaptop).ringing).to.equal(undefined);
    expect(room.sent(RTC_DECLINE_EVENT), 'only the first decline').to.have.length(1);
    expect(groupOf(bobPhone).ringing, 'the phone still rings').to.not.equal(undefined);
    await alice.controller.leaveGroupCall();
    await waitFor(
      () => groupOf(bobPhone).ringing === undefined,
      'the phone to stop ringing when the call ended',
    );
  });

  it('a refused group capability leaves 1:1 calls working and makes joining say which capability and why', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bob = await room.side(BOB, 'BOBDEV', {
      deny: [{ kind: 'send-state', type: ELEMENT_MEMBER_EVENT }],
    });
    expect(bob.controller.snapshot.status).to.equal('ready');
    expect(bob.controller.snapshot.error).to.equal(undefined);
    expect(groupOf(bob).state).to.equal('idle');

    await bob.controller.joinGroupCall('video');
    const error = bob.controller.snapshot.error;
    expect(error?.code).to.equal('capability-denied');
    expect(error?.message).to.contain(`writing ${ELEMENT_MEMBER_EVENT} state`);
    expect(error?.message).to.contain('to join and leave the group call');
    expect(error?.message).to.contain('Calls between two people still work');
    expect(room.sent(ELEMENT_MEMBER_EVENT, BOB)).to.have.length(0);

    const callId = await connectCall(alice, bob);
    expect(findCall(bob, (c) => c.id === callId && connected(c))).to.not.equal(undefined);
    expect(bob.controller.snapshot.error, 'a successful answer clears the group error').to.equal(undefined);
  });

  it('joining the group call holds the 1:1 call in use; resuming it leaves the group call', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bob = await room.side(BOB, 'BOBDEV');
    const callId = await connectCall(alice, bob);

    await alice.controller.joinGroupCall('voice');
    expect(groupOf(alice).state).to.equal('joined');
    await waitFor(
      () => findCall(alice, (c) => c.id === callId)?.onHold === true,
      'the 1:1 call to be on hold',
    );

    await alice.controller.setHold(callId, false);
    expect(groupOf(alice).state, 'resuming the 1:1 call left the group call').to.equal('idle');
    await waitFor(() => findCall(alice, (c) => c.id === callId)?.onHold === false, 'the 1:1 call to resume');
  });
});

describe('CallController: group call backend choice', () => {
  let room: ControllerRoom;
  afterEach(() => room?.dispose());

  it('the SFU chosen without its backend: the group call shows idle, and joining says plainly it is not available', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'livekit' } },
    });
    expect(alice.controller.snapshot.status).to.equal('ready');
    expect(groupOf(alice)).to.include({ state: 'idle', backend: 'livekit' });
    await alice.controller.joinGroupCall('video');
    expect(alice.controller.snapshot.error?.code).to.equal('no-focus');
    expect(alice.controller.snapshot.error?.message).to.contain('without the SFU backend');
    expect(room.sent(ELEMENT_MEMBER_EVENT)).to.have.length(0);
  });

  it('the SFU backend handed in is started on the first join, joined, muted with callId "group", left on close', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const backend = new RecordingGroupBackend();
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupBackend: 'livekit' }, groupBackends: { livekit: () => backend } },
    });
    expect(backend.calls, 'no group call in the room: its code is not loaded yet').to.deep.equal([]);
    await alice.controller.joinGroupCall('voice');
    expect(groupOf(alice).state).to.equal('joined');
    await alice.controller.setMicMuted(GROUP_CALL_ID, true);
    await alice.controller.setCameraMuted(GROUP_CALL_ID, true);
    await alice.controller.setScreenSharing(GROUP_CALL_ID, true);
    alice.controller.close();
    await waitFor(() => backend.calls.includes('dispose'), 'the backend to be disposed');
    expect(backend.calls).to.deep.equal([
      'start',
      'join voice',
      'mic true',
      'camera true',
      'screen true',
      'leave',
      'dispose',
    ]);
    expect(room.sent(RTC_NOTIFICATION_EVENT), 'no membership event id: no notification').to.have.length(0);
  });

  it('group calls turned off: no group view and no group needs asked', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await room.side(ALICE, 'ALICEDEV', {
      controller: { settings: { groupCalls: false, walkieTalkie: false } },
    });
    expect(alice.controller.snapshot.group).to.equal(undefined);
    expect(alice.transport.grantedNeeds.some((n) => n.kind === 'send-state')).to.equal(false);
  });
});
