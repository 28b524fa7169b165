// Listening on the walkie-talkie is not being in the group call. Three CallControllers, each over its own
// MemoryTransport on one homeserver TEST DOUBLE (demo/host/homeserver.ts), real WebRTC on the mesh: Bob
// and Carol opt in to the walkie-talkie, so they join the room's call listen-only and their memberships
// carry the listen-only marker. Alice sees no call going on; Bob's voice still reaches Carol's walkie-talkie
// live; Alice starting the call rings the room (MSC4075) and Bob, only listening, rings; Bob joining with
// media stops his ringing and writes a membership without the marker. The live-audio details (bytes,
// release, devices not opted in) are in walkie-talkie-live.test.ts.
import { expect } from '@open-wc/testing';
import type { MeshGroupCall } from '../../../src/group/mesh/mesh-group-call.js';
import { PlaybackArbiter } from '../../../src/ptt/playback-queue.js';
import { ELEMENT_MEMBER_EVENT, LISTEN_ONLY_FIELD } from '../../../src/signalling/membership/index.js';
import { RTC_NOTIFICATION_EVENT } from '../../../src/signalling/ringing/index.js';
import type { GroupCallView } from '../../../src/snapshot.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from '../controller/controller-room.js';
import { RecordingSink } from './ptt-room.js';

interface Device {
  readonly side: Side;
  readonly sink: RecordingSink;
}

const groupOf = (d: Device): GroupCallView => d.side.controller.snapshot.group!;
const meshOf = (d: Device) => d.side.controller.groupCall!.backend as MeshGroupCall;
const nameOf = (d: Device) => d.side.transport.userId;

describe('walkie-talkie: listening is not being in the group call', function () {
  this.timeout(60_000);
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  async function device(userId: string, deviceId: string): Promise<Device> {
    const sink = new RecordingSink();
    const side = await room.side(userId, deviceId, {
      controller: { walkieTalkie: { playback: new PlaybackArbiter(sink) } },
    });
    return { side, sink };
  }

  /** The content of the latest membership state event the user wrote. */
  const latestMembership = (userId: string) =>
    room.sent(ELEMENT_MEMBER_EVENT, userId).at(-1)?.content as Record<string, unknown> | undefined;

  it('listen-only joins are marked and not ongoing; starting the call rings the room and the listeners', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const alice = await device(ALICE, 'ALICEDEV');
    const bob = await device(BOB, 'BOBDEV');
    const carol = await device(CAROL, 'CAROLDEV');
    const listeners = [bob, carol];

    await Promise.all(listeners.map((d) => d.side.controller.setPttOptIn(true)));
    await waitFor(
      () => listeners.every((d) => meshOf(d).listeningOnly && groupOf(d).listenOnly === true),
      'Bob and Carol joined listen-only',
    );
    for (const d of listeners) {
      expect(latestMembership(nameOf(d))?.[LISTEN_ONLY_FIELD], `${nameOf(d)}'s marker`).to.equal(true);
    }
    // Alice has read both memberships (so `ongoing` is not false merely for want of them); her group
    // call code loads on seeing them.
    await waitFor(
      () => alice.side.controller.groupCall?.backend !== undefined,
      "Alice's group call code loaded on the memberships",
    );
    await waitFor(
      () => meshOf(alice).membership.otherMemberships.length === 2,
      "Alice sees Bob's and Carol's memberships",
    );
    expect(
      meshOf(alice).membership.otherMemberships.every((m) => m.listenOnly),
      'both read as listen-only',
    ).to.equal(true);
    expect(groupOf(alice).ongoing, 'nobody is in the call for Alice').to.equal(false);
    expect(groupOf(bob).ongoing, 'Carol only listens: nobody is in the call for Bob').to.equal(false);

    // The walkie-talkie still carries live voice between the listeners.
    await waitFor(
      () => meshOf(carol).legSummaries.some((l) => l.userId === BOB && l.state === 'connected'),
      'the leg between Bob and Carol connected',
      20_000,
    );
    bob.side.controller.pttPress();
    await waitFor(() => carol.sink.streams.length > 0, "Carol's walkie-talkie plays Bob's live audio");
    const fromBob = meshOf(carol)
      .liveAudio.remoteAudio({ userId: BOB, deviceId: 'BOBDEV' })!
      .getAudioTracks()[0];
    expect(carol.sink.streams[0]!.getAudioTracks()[0], 'the audio of the leg from Bob').to.equal(fromBob);
    bob.side.controller.pttRelease();
    await waitFor(
      () => listeners.every((d) => d.side.controller.snapshot.ptt!.floor === 'idle'),
      'the floor free again',
    );

    // Alice starts the call: nobody was in it, so she rings the room.
    await alice.side.controller.joinGroupCall('voice');
    expect(groupOf(alice).state).to.equal('joined');
    const notifications = room.sent(RTC_NOTIFICATION_EVENT, ALICE);
    expect(notifications, 'Alice sent the call notification').to.have.length(1);
    expect(latestMembership(ALICE)).not.to.have.property(LISTEN_ONLY_FIELD);
    for (const d of listeners) {
      await waitFor(() => groupOf(d).ringing !== undefined, `${nameOf(d)}, only listening, to ring`);
      expect(groupOf(d).ringing!.notificationId).to.equal(notifications[0]!.event_id);
      expect(groupOf(d).ongoing, `${nameOf(d)} sees Alice in the call`).to.equal(true);
      expect(groupOf(d).listenOnly, `${nameOf(d)} still listens on the walkie-talkie`).to.equal(true);
    }

    // Bob joins with media: his ringing stops, his membership loses the marker, nobody is rung again.
    await bob.side.controller.joinGroupCall('voice');
    await waitFor(
      () => groupOf(bob).state === 'joined' && groupOf(bob).listenOnly === undefined,
      'Bob joined with media',
    );
    expect(groupOf(bob).ringing, 'joining stops ringing').to.equal(undefined);
    expect(latestMembership(BOB)).not.to.have.property(LISTEN_ONLY_FIELD);
    expect(room.sent(RTC_NOTIFICATION_EVENT), 'joining a call going on notifies nobody').to.have.length(1);
    expect(groupOf(carol).ringing, 'Carol, still only listening, still rings').to.not.equal(undefined);
  });
});
