// Several LiveKit nodes sharing one Redis (Debian's redis-server, started by the SFU rig): two
// livekit-server processes on loopback with the same keys, each behind its own JWT service TEST
// DOUBLE. Members signed in through different nodes are in one LiveKit room and receive each other's
// media both ways: this is how a deployment grows past one machine (docs/livekit.md).
import { expect } from '@open-wc/testing';
import { rigUp } from './support/rig.js';
import { groupOf, sfuCallOf, SfuCallRoom, waitAllJoined, waitForMediaFrom } from './support/sfu-call-room.js';

describe('SFU call across two LiveKit nodes sharing Redis', function () {
  this.timeout(150_000);
  let room: SfuCallRoom | undefined;
  afterEach(() => room?.dispose());

  it('members connected to different nodes are in one room, with media both ways', async () => {
    const rig = await rigUp('cluster');
    const [n1, n2] = rig.deployments;
    room = new SfuCallRoom(rig.userinfoUrl, ['@alice:test.invalid', '@bob:test.invalid']);
    // Each signs in through the service of its own node (two front doors of one deployment).
    const alice = await room.member('@alice:test.invalid', 'ALICEDEV', { foci: [n1!.serviceUrl] });
    const bob = await room.member('@bob:test.invalid', 'BOBDEV', { foci: [n2!.serviceUrl] });
    await alice.controller.joinGroupCall('video');
    await bob.controller.joinGroupCall('video');
    await waitAllJoined([alice, bob]);
    expect(sfuCallOf(alice).sfuAccess?.url).to.equal(n1!.livekitUrl);
    expect(sfuCallOf(bob).sfuAccess?.url).to.equal(n2!.livekitUrl);
    // One room: each sees the other in the room of its own node.
    expect(alice.rooms[0]!.remoteParticipants.has(bob.identity)).to.equal(true);
    expect(bob.rooms[0]!.remoteParticipants.has(alice.identity)).to.equal(true);
    await waitForMediaFrom({ ...alice, rooms: [alice.rooms[0]!] }, bob);
    await waitForMediaFrom({ ...bob, rooms: [bob.rooms[0]!] }, alice);
    for (const m of [alice, bob]) expect(groupOf(m).participants).to.have.length(2);
  });
});
