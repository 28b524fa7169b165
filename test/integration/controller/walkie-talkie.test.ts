// The walkie-talkie through the CallController: three controllers, each over its own MemoryTransport on
// one homeserver TEST DOUBLE (demo/host/homeserver.ts), opt in and pass the floor with the controller's
// actions (the ones <ptt-button> and <matrix-call> call), and the talker's transmission lands in the room
// as a voice message that the others play. The page's audio output is a recording test double.
import { expect } from '@open-wc/testing';
import { FLOOR_REQUEST } from '../../../src/signalling/ptt/event-types.js';
import { PlaybackArbiter } from '../../../src/ptt/playback-queue.js';
import { RecordingSink } from '../ptt/ptt-room.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, CAROL, ControllerRoom, type Side } from './controller-room.js';

const pttOf = (side: Side) => side.controller.snapshot.ptt!;

describe('CallController: walkie-talkie', function () {
  this.timeout(30_000);
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  async function threeSides(): Promise<{ sides: Side[]; sinks: RecordingSink[] }> {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const sinks: RecordingSink[] = [];
    const sides: Side[] = [];
    for (const [userId, deviceId] of [
      [ALICE, 'ALICEDEV'],
      [BOB, 'BOBDEV'],
      [CAROL, 'CAROLDEV'],
    ] as const) {
      const sink = new RecordingSink();
      sinks.push(sink);
      sides.push(
        await room.side(userId, deviceId, {
          // No group calls: the room events and voice messages alone (live audio over the mesh is
          // test/integration/ptt/walkie-talkie-live.test.ts).
          controller: {
            settings: { groupCalls: false },
            walkieTalkie: { playback: new PlaybackArbiter(sink) },
          },
        }),
      );
    }
    return { sides, sinks };
  }

  it('opt in, press, talk, release: the others see the talker by name, then play the voice message', async () => {
    const { sides, sinks } = await threeSides();
    const [alice, bob, carol] = sides as [Side, Side, Side];
    expect(pttOf(alice).optedIn).to.equal(false);
    await Promise.all(sides.map((side) => side.controller.setPttOptIn(true)));
    await waitFor(
      () => sides.every((side) => pttOf(side).optedIn && pttOf(side).floor === 'idle'),
      'opted in',
    );

    alice.controller.pttPress();
    await waitFor(() => pttOf(alice).floor === 'talking', 'Alice talking');
    await waitFor(
      () => pttOf(bob).floor === 'listening' && pttOf(carol).floor === 'listening',
      'Bob and Carol listening',
    );
    expect(pttOf(bob).talker?.userId).to.equal(ALICE);
    expect(room.sent(FLOOR_REQUEST, ALICE).length).to.be.greaterThan(0);
    expect(pttOf(bob).talker?.displayName).to.be.a('string').and.not.equal('');

    // Bob's press while Alice holds the floor is refused.
    bob.controller.pttPress();
    await waitFor(() => pttOf(bob).floor === 'denied', 'Bob refused');
    bob.controller.pttRelease();

    await new Promise((resolve) => setTimeout(resolve, 800));
    alice.controller.pttRelease();
    await waitFor(() => sides.every((side) => pttOf(side).floor === 'idle'), 'the floor free everywhere');

    await waitFor(() => room.sent('m.room.message', ALICE).length === 1, 'the voice message');
    const content = room.sent('m.room.message', ALICE)[0]!.content as Record<string, unknown>;
    expect(content['msgtype']).to.equal('m.audio');
    expect(content).to.have.property('org.matrix.msc3245.voice');
    await waitFor(
      () => sinks[1]!.files.length === 1 && sinks[2]!.files.length === 1,
      'Bob and Carol play it',
    );
    expect(sinks[0]!.files.length, 'the talker does not play its own').to.equal(0);
  });

  it('without opting in, pressing does nothing and the view says off; a refused upload capability (asked on the first opt-in) is said then', async () => {
    room = new ControllerRoom({ members: [BOB, CAROL] });
    const alice = await room.side(ALICE, 'ALICEDEV');
    alice.controller.pttPress();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(room.sent(FLOOR_REQUEST).length).to.equal(0);
    expect(pttOf(alice).floor).to.equal('off');

    const bob = await room.side(BOB, 'BOBDEV', { deny: [{ kind: 'upload-file' }] });
    expect(bob.controller.snapshot.status, '1:1 and group calls still start').to.equal('ready');
    expect(bob.controller.snapshot.ptt?.floor, 'off until turned on').to.equal('off');
    await bob.controller.setPttOptIn(true);
    expect(bob.controller.snapshot.error?.code).to.equal('capability-denied');
    expect(bob.controller.snapshot.error?.message).to.match(/uploading files/);
  });
});
