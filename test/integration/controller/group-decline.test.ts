// The starter of a group call sees who declined its ring: three controllers, each over its own
// MemoryTransport on one homeserver TEST DOUBLE (demo/host/homeserver.ts), on the mesh with real
// RTCPeerConnections and the browser's fake microphone.
import { expect } from '@open-wc/testing';
import {
  buildRtcDecline,
  RTC_DECLINE_EVENT,
  RTC_NOTIFICATION_EVENT,
} from '../../../src/signalling/ringing/index.js';
import type { GroupCallView } from '../../../src/snapshot.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from './controller-room.js';

const groupOf = (side: Side): GroupCallView => side.controller.snapshot.group!;
const declinersOf = (side: Side) => (groupOf(side).declinedBy ?? []).map((p) => p.userId);

describe('CallController: the group call starter sees declines (MSC4310)', function () {
  this.timeout(60_000);
  let room: ControllerRoom;

  afterEach(() => room?.dispose());

  it('Alice starts, Bob declines: Alice sees Bob named; then Carol; a decline of another notification is not counted; leaving clears it', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bob = await room.side(BOB, 'BOBDEV');
    const carol = await room.side(CAROL, 'CAROLDEV');

    await alice.controller.joinGroupCall('voice');
    const notification = room.sent(RTC_NOTIFICATION_EVENT, ALICE)[0]!;
    expect(groupOf(alice).declinedBy, 'nobody declined yet').to.equal(undefined);
    for (const side of [bob, carol])
      await waitFor(() => groupOf(side).ringing !== undefined, `${side.transport.userId} to ring`);

    await bob.controller.declineGroupCall();
    await waitFor(() => declinersOf(alice).length > 0, 'alice to see a decline');
    expect(declinersOf(alice)).to.deep.equal([BOB]);
    expect(groupOf(alice).declinedBy![0]!.displayName, 'a person, described').to.be.a('string').and.not.equal('');
    expect(groupOf(bob).declinedBy, 'the decliner sees nothing of it').to.equal(undefined);
    expect(groupOf(carol).declinedBy, 'a ringing member sees nothing of it').to.equal(undefined);

    // Carol declines something else (an unrelated event), Bob repeats his decline, a malformed decline
    // comes: none of them counts. Then Carol declines the ring (delivered after them).
    // (Carol's widget has not declined yet, so it asks for sending declines first, as declining would.)
    await carol.transport.start([{ kind: 'send-event', type: RTC_DECLINE_EVENT }]);
    await carol.transport.sendRoomEvent(RTC_DECLINE_EVENT, buildRtcDecline('$some-other-notification'));
    // A malformed decline is dropped at the parser and does not disturb the call.
    await carol.transport.sendRoomEvent(RTC_DECLINE_EVENT, { 'm.relates_to': { rel_type: 'm.annotation' } });
    await bob.transport.sendRoomEvent(RTC_DECLINE_EVENT, buildRtcDecline(notification.event_id));
    await carol.controller.declineGroupCall();
    await waitFor(() => declinersOf(alice).includes(CAROL), 'alice to see carol decline');
    expect(declinersOf(alice), 'oldest first, once each, the unrelated decline left out').to.deep.equal([BOB, CAROL]);
    expect(
      room.sent(RTC_DECLINE_EVENT, CAROL).filter(
        (e) => JSON.stringify(e.content).includes(notification.event_id),
      ),
    ).to.have.length(1);
    expect(groupOf(alice).state).to.equal('joined');

    // Leaving ends it: the notification is no longer current.
    await alice.controller.leaveGroupCall();
    expect(groupOf(alice).declinedBy, 'cleared on leaving').to.equal(undefined);

    // A new call starts clean; a late decline of the old notification is not counted against it.
    await waitFor(() => !groupOf(bob).ongoing, 'bob to see the first call end');
    await alice.controller.joinGroupCall('voice');
    expect(room.sent(RTC_NOTIFICATION_EVENT, ALICE)).to.have.length(2);
    await bob.transport.sendRoomEvent(RTC_DECLINE_EVENT, buildRtcDecline(notification.event_id));
    await waitFor(() => groupOf(carol).ringing !== undefined, 'carol to ring for the second call');
    await carol.controller.declineGroupCall();
    await waitFor(() => declinersOf(alice).length > 0, 'alice to see a decline of the second call');
    expect(declinersOf(alice), 'only the decline of the current notification').to.deep.equal([CAROL]);
  });
});
