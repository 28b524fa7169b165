// Multi-SFU calls (Element Call 0.26's `focus_selection: multi_sfu`) on two independent LiveKit
// deployments (two livekit-server processes on loopback with their own keys, each behind its own JWT
// service TEST DOUBLE): each member publishes to its own focus and receives the other by subscribing on
// the other's focus, with media E2EE keys reaching both rooms. A focus the user's side does not trust
// gets no OpenID token and no connection.
import { expect } from '@open-wc/testing';
import { waitFor } from '../support/webrtc.js';
import { rigUp, type RigLayout } from './support/rig.js';
import { groupOf, sfuCallOf, SfuCallRoom, waitForMediaFrom, type Member } from './support/sfu-call-room.js';

const ALICE = '@alice:test.invalid';
const BOB = '@bob:test.invalid';
const MEMBERSHIP = 'org.matrix.msc3401.call.member';

async function serviceRequests(
  serviceUrl: string,
): Promise<{ endpoint: string; body: { device_id?: string } }[]> {
  return (await (await fetch(`${serviceUrl}/_double/requests`)).json()) as never;
}

describe('multi-SFU call on two real LiveKit deployments', function () {
  this.timeout(150_000);
  let rig: RigLayout;
  let room: SfuCallRoom | undefined;
  before(async () => {
    rig = await rigUp('multi-sfu');
  });
  afterEach(() => {
    room?.dispose();
    room = undefined;
  });

  const [east, west] = [0, 1].map((i) => () => rig.deployments[i]!.serviceUrl);

  function ownMembership(m: Member): Record<string, unknown> | undefined {
    return room!.homeserver
      .timeline(room!.roomId)
      .filter((e) => e.type === MEMBERSHIP && e.sender === m.userId)
      .at(-1)?.content as Record<string, unknown> | undefined;
  }

  it('each member publishes to its own focus and receives the other from the other focus (E2EE)', async () => {
    room = new SfuCallRoom(rig.userinfoUrl, [ALICE, BOB], { encrypted: true });
    // Each trusts both deployments and prefers its own.
    const alice = await room.member(ALICE, 'ALICEDEV', { foci: [east!(), west!()], e2ee: true });
    const bob = await room.member(BOB, 'BOBDEV', { foci: [west!(), east!()], e2ee: true });
    await alice.controller.joinGroupCall('video');
    await bob.controller.joinGroupCall('video');
    for (const m of [alice, bob])
      await waitFor(() => groupOf(m).state === 'joined', `${m.identity} joined`, 30_000);

    expect(ownMembership(alice)?.['focus_active']).to.deep.equal({
      type: 'livekit',
      focus_selection: 'multi_sfu',
    });
    expect(
      (ownMembership(alice)?.['foci_preferred'] as { livekit_service_url: string }[])[0]!.livekit_service_url,
    ).to.equal(east!());
    expect(
      (ownMembership(bob)?.['foci_preferred'] as { livekit_service_url: string }[])[0]!.livekit_service_url,
    ).to.equal(west!());
    expect(ownMembership(bob)?.['m.call.intent']).to.equal('video');
    expect(sfuCallOf(alice).sfuAccess?.url).to.equal(rig.deployments[0]!.livekitUrl);
    expect(sfuCallOf(bob).sfuAccess?.url).to.equal(rig.deployments[1]!.livekitUrl);

    // Two rooms each: the own focus's (publishing) and the other's (subscribing).
    await waitFor(
      () => alice.rooms.length === 2 && bob.rooms.length === 2,
      'a subscriber room on the other focus',
      30_000,
    );
    const aliceOnWest = alice.rooms[1]!;
    const bobOnEast = bob.rooms[1]!;
    await waitFor(
      () => aliceOnWest.remoteParticipants.has(bob.identity),
      'Alice to see Bob on the west SFU',
      30_000,
    );
    await waitFor(
      () => bobOnEast.remoteParticipants.has(alice.identity),
      'Bob to see Alice on the east SFU',
      30_000,
    );
    await waitForMediaFrom({ ...alice, rooms: [aliceOnWest] }, bob);
    await waitForMediaFrom({ ...bob, rooms: [bobOnEast] }, alice);
    expect(
      aliceOnWest.localParticipant.trackPublications.size,
      'nothing published on the other focus',
    ).to.equal(0);
    // The views list the other, with media.
    for (const [m, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const p = groupOf(m).participants.find((x) => x.userId === other.userId);
      expect(p?.streams.length, `${m.identity} shows ${other.identity}'s media`).to.be.greaterThan(0);
    }
  });

  it("a member's focus the user's side does not trust gets no token and no connection", async () => {
    room = new SfuCallRoom(rig.userinfoUrl, [ALICE, BOB]);
    const alice = await room.member(ALICE, 'ALICEDEV2', { foci: [east!()] });
    const bob = await room.member(BOB, 'BOBDEV2', { foci: [west!()] });
    await alice.controller.joinGroupCall('video');
    await bob.controller.joinGroupCall('video');
    for (const m of [alice, bob])
      await waitFor(() => groupOf(m).state === 'joined', `${m.identity} joined`, 30_000);
    await waitFor(() => sfuCallOf(alice).refusedFoci.length === 1, "Alice refuses Bob's focus", 30_000);
    expect(sfuCallOf(alice).refusedFoci[0]!.focus.serviceUrl).to.equal(west!());
    expect(sfuCallOf(alice).refusedFoci[0]!.why).to.match(/not sent/);
    expect(alice.rooms, 'no room on the untrusted focus').to.have.length(1);
    const westSaw = await serviceRequests(west!());
    expect(
      westSaw.filter((r) => r.body.device_id === 'ALICEDEV2'),
      "no request with Alice's token",
    ).to.deep.equal([]);
  });
});
