// The walkie-talkie on a real LiveKit SFU (livekit-server on loopback, JWT service TEST DOUBLE): three
// controllers opt in and so join the SFU call listen-only (nothing published, no microphone opened);
// Alice presses: her live voice is published through the SFU and reaches Bob's and Carol's walkie-talkie
// (audio bytes arrive and grow); she releases: it is unpublished and her microphone closes. The page's
// audio output is a recording test double. Without media E2EE (limiting the talker's key to opted-in
// devices is not done).
import { expect } from '@open-wc/testing';
import { PlaybackArbiter } from '../../src/ptt/playback-queue.js';
import { RecordingSink } from '../integration/ptt/ptt-room.js';
import { waitFor } from '../support/webrtc.js';
import { rigUp } from './support/rig.js';
import { groupOf, roomOf, SfuCallRoom, waitForAudioFrom, type Member } from './support/sfu-call-room.js';

const USERS = ['@alice:test.invalid', '@bob:test.invalid', '@carol:test.invalid'];

describe('walkie-talkie on a real LiveKit SFU', function () {
  this.timeout(150_000);
  let room: SfuCallRoom | undefined;
  afterEach(() => room?.dispose());

  it('opted-in listeners hear the talker through the SFU; the release unpublishes and closes the microphone', async () => {
    const rig = await rigUp('single');
    room = new SfuCallRoom(rig.userinfoUrl, USERS);
    const devices: { m: Member; sink: RecordingSink }[] = [];
    for (const [i, userId] of USERS.entries()) {
      const sink = new RecordingSink();
      const m = await room.member(userId, `PTT${i}`, {
        foci: [rig.deployments[0]!.serviceUrl],
        walkieTalkie: { playback: new PlaybackArbiter(sink) },
      });
      devices.push({ m, sink });
    }
    const [alice, bob, carol] = devices as [(typeof devices)[0], (typeof devices)[0], (typeof devices)[0]];
    await Promise.all(devices.map(({ m }) => m.controller.setPttOptIn(true)));
    for (const { m } of devices) {
      await waitFor(
        () => groupOf(m).state === 'joined' && groupOf(m).listenOnly === true,
        `${m.identity} listen-only`,
        30_000,
      );
    }
    for (const { m } of devices) {
      await waitFor(
        () => (m.rooms.at(-1)?.remoteParticipants.size ?? 0) === 2,
        `${m.identity} sees the others`,
        30_000,
      );
      expect(m.media.userMediaRequests, `${m.identity}: no microphone opened`).to.deep.equal([]);
      expect(roomOf(m).localParticipant.trackPublications.size, `${m.identity}: nothing published`).to.equal(
        0,
      );
    }
    await waitFor(
      () => devices.every(({ m }) => m.controller.snapshot.ptt?.floor === 'idle'),
      'the floor idle',
    );

    alice.m.controller.pttPress();
    await waitFor(() => alice.m.controller.snapshot.ptt?.floor === 'talking', 'Alice talking', 30_000);
    for (const listener of [bob, carol]) {
      await waitFor(
        () => listener.m.controller.snapshot.ptt?.floor === 'listening',
        `${listener.m.identity} listening`,
        30_000,
      );
      await waitForAudioFrom(listener.m, alice.m);
      await waitFor(
        () => listener.sink.streams.length > 0,
        `${listener.m.identity}'s walkie-talkie to play Alice`,
        30_000,
      );
      const played = listener.sink.streams[0]!.getAudioTracks()[0]!;
      const fromSfu = [
        ...roomOf(listener.m).remoteParticipants.get(alice.m.identity)!.audioTrackPublications.values(),
      ]
        .map((p) => p.track?.mediaStreamTrack)
        .filter(Boolean);
      expect(fromSfu, 'the walkie-talkie plays the track the SFU delivered').to.include(played);
    }

    alice.m.controller.pttRelease();
    await waitFor(
      () => devices.every(({ m }) => m.controller.snapshot.ptt?.floor === 'idle'),
      'the floor free',
      30_000,
    );
    await waitFor(
      () => roomOf(alice.m).localParticipant.trackPublications.size === 0,
      "Alice's voice unpublished",
      30_000,
    );
    await waitFor(() => alice.m.media.liveTracks().length === 0, "Alice's microphone closed", 30_000);
    for (const listener of [bob, carol]) {
      expect(
        listener.m.media.userMediaRequests,
        `${listener.m.identity} listened without a microphone`,
      ).to.deep.equal([]);
    }
  });
});
