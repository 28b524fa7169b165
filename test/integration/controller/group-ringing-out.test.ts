// The starter of a group call sees that its ring is going out (MSC4075) while the notification lives:
// controllers over MemoryTransports on one homeserver TEST DOUBLE, on the mesh with real RTCPeerConnections.
import { expect } from '@open-wc/testing';
import { NOTIFICATION_LIFETIME_MS, RTC_NOTIFICATION_EVENT } from '../../../src/signalling/ringing/index.js';
import type { GroupCallView } from '../../../src/snapshot.js';
import { FakeClock } from '../../support/fake-clock.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from './controller-room.js';

const groupOf = (side: Side): GroupCallView => side.controller.snapshot.group!;

describe('CallController: the group call starter sees its ring going out', function () {
  this.timeout(60_000);
  let room: ControllerRoom;

  afterEach(() => room?.dispose());

  it('rings out from the notification until its lifetime ends; nobody else sees it; leaving ends it', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const clock = new FakeClock(Date.now());
    const alice = await room.side(ALICE, 'ALICEDEV', { controller: { clock } });
    const bob = await room.side(BOB, 'BOBDEV');
    expect(groupOf(alice).ringingOut, 'nothing rings before the call').to.equal(undefined);

    await alice.controller.joinGroupCall('voice');
    const notification = room.sent(RTC_NOTIFICATION_EVENT, ALICE)[0]!;
    await waitFor(() => groupOf(alice).ringingOut !== undefined, 'alice to ring out');
    expect(groupOf(alice).ringingOut).to.deep.equal({
      notificationId: notification.event_id,
      until: clock.now() + NOTIFICATION_LIFETIME_MS,
    });
    await waitFor(() => groupOf(bob).ringing !== undefined, 'bob to ring');
    expect(groupOf(bob).ringingOut, 'only the starter rings out').to.equal(undefined);

    await clock.advance(NOTIFICATION_LIFETIME_MS);
    await waitFor(() => groupOf(alice).ringingOut === undefined, 'the ring to end with its lifetime');
    expect(groupOf(alice).state).to.equal('joined');

    // A second call rings out again; leaving ends it at once.
    await alice.controller.leaveGroupCall();
    await alice.controller.joinGroupCall('voice');
    await waitFor(() => groupOf(alice).ringingOut !== undefined, 'alice to ring out for the second call');
    await alice.controller.leaveGroupCall();
    expect(groupOf(alice).ringingOut, 'cleared on leaving').to.equal(undefined);
  });
});
