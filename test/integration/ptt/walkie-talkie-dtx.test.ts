// Opus DTX on the walkie-talkie's live path: two CallControllers over the homeserver TEST DOUBLE
// (demo/host/homeserver.ts) opt in and so join the room's mesh call listen-only; the leg between them carries
// the floor channel, and both ends' local descriptions ask for usedtx=1 on Opus (each end's remote description
// is the other's local one). A 1:1 room call between the same two people, in another room, asks for nothing.
import { expect } from '@open-wc/testing';
import { asksOpusDtx } from '../../../src/call/opus-dtx.js';
import type { MeshGroupCall } from '../../../src/group/mesh/mesh-group-call.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, ControllerRoom, connectCall, type Side } from '../controller/controller-room.js';

const meshOf = (side: Side) => side.controller.groupCall!.backend as MeshGroupCall;
const legTo = (side: Side, userId: string) => meshOf(side).legSummaries.find((l) => l.userId === userId);

describe('walkie-talkie: Opus DTX on the live path', function () {
  this.timeout(60_000);
  let room: ControllerRoom | undefined;
  afterEach(() => room?.dispose());

  it('both ends of a walkie-talkie leg ask for usedtx=1; neither end of a 1:1 call does', async () => {
    room = new ControllerRoom({ members: [BOB] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    const bob = await room.side(BOB, 'BOBDEV');
    await Promise.all([alice, bob].map((s) => s.controller.setPttOptIn(true)));
    await waitFor(
      () => [alice, bob].every((s) => meshOf(s).legSummaries.some((l) => l.state === 'connected')),
      'Alice and Bob connected listen-only',
      20_000,
    );
    const alicePc = legTo(alice, BOB)!.peerConnection!;
    const bobPc = legTo(bob, ALICE)!.peerConnection!;
    expect(meshOf(alice).listeningOnly).to.equal(true);
    for (const [who, pc] of [
      ['Alice', alicePc],
      ['Bob', bobPc],
    ] as const) {
      expect(asksOpusDtx(pc.localDescription!.sdp), `${who}'s local description asks for DTX`).to.equal(true);
      expect(asksOpusDtx(pc.remoteDescription!.sdp), `${who}'s remote description asks for DTX`).to.equal(
        true,
      );
    }
    expect(new Set([alicePc.localDescription!.type, bobPc.localDescription!.type])).to.deep.equal(
      new Set(['offer', 'answer']),
    );
    room.dispose();

    room = new ControllerRoom({ members: [BOB] });
    const caller = await room.side(ALICE, 'ALICEDEV2');
    const callee = await room.side(BOB, 'BOBDEV2');
    const callId = await connectCall(caller, callee, 'voice');
    for (const [who, side] of [
      ['caller', caller],
      ['callee', callee],
    ] as const) {
      const pc = side.controller.peerCall(callId)!.peerConnection!;
      expect(pc.localDescription!.sdp, `the ${who}'s local description has Opus`).to.match(/opus\/48000/i);
      expect(asksOpusDtx(pc.localDescription!.sdp), `the ${who}'s local description of a 1:1 call`).to.equal(
        false,
      );
      expect(pc.localDescription!.sdp).to.not.match(/usedtx=1/);
    }
  });
});
