// Media E2EE with per-participant keys on a real LiveKit server (livekit-server v1.13.5 on loopback,
// JWT service TEST DOUBLE minting real tokens, homeserver TEST DOUBLE carrying the keys over to-device):
// members decode each other; a participant of the SFU room who holds no key, or a wrong one, decodes
// nothing; after a member leaves, the others use a new key that the leaver's stale key does not open;
// a late joiner decodes everyone within a bounded time (measured and printed).
import { expect } from '@open-wc/testing';
import { waitFor } from '../support/webrtc.js';
import { Outsider } from './support/outsider.js';
import { rigUp, type RigLayout } from './support/rig.js';
import {
  receivedFrom,
  sfuCallOf,
  SfuCallRoom,
  waitAllJoined,
  waitForMediaFrom,
  type Member,
} from './support/sfu-call-room.js';

const USERS = ['@alice:test.invalid', '@bob:test.invalid', '@carol:test.invalid', '@dan:test.invalid'];

/** Waits until `m` has decoded `frames` more video frames from `from` than it had at the call. */
async function decodeMore(m: Member, from: Member, frames: number): Promise<void> {
  const start = (await receivedFrom(m, from.identity)).framesDecoded;
  let now = start;
  const deadline = Date.now() + 30_000;
  while (now < start + frames) {
    if (Date.now() > deadline)
      throw new Error(`${m.identity} stopped decoding ${from.identity} (${now - start} of ${frames})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    now = (await receivedFrom(m, from.identity)).framesDecoded;
  }
}

async function outsiderReceived(outsider: Outsider, from: Member) {
  const participant = outsider.room.remoteParticipants.get(from.identity);
  let videoBytes = 0;
  let framesDecoded = 0;
  for (const publication of participant?.videoTrackPublications.values() ?? []) {
    (await publication.track?.getRTCStatsReport())?.forEach(
      (s: { type: string; bytesReceived?: number; framesDecoded?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        videoBytes += s.bytesReceived ?? 0;
        framesDecoded += s.framesDecoded ?? 0;
      },
    );
  }
  return { videoBytes, framesDecoded };
}

describe('SFU call on a real LiveKit server: media E2EE with per-participant keys', function () {
  this.timeout(150_000);
  let rig: RigLayout;
  let room: SfuCallRoom | undefined;
  const outsiders: Outsider[] = [];
  before(async () => {
    rig = await rigUp('single');
  });
  afterEach(async () => {
    for (const o of outsiders.splice(0)) await o.leave();
    room?.dispose();
  });

  async function members(count: number, from = 0): Promise<Member[]> {
    room ??= new SfuCallRoom(rig.userinfoUrl, USERS, { encrypted: true });
    const out: Member[] = [];
    for (let i = from; i < from + count; i++) {
      out.push(
        await room.member(USERS[i]!, `DEV${i}`, { foci: [rig.deployments[0]!.serviceUrl], e2ee: true }),
      );
    }
    return out;
  }

  async function outsider(): Promise<Outsider> {
    const o = new Outsider('@eve:test.invalid');
    outsiders.push(o);
    await o.join(rig.deployments[0]!.serviceUrl, rig.userinfoUrl, room!.roomId);
    return o;
  }

  it('members decode each other; an SFU participant with no key or a wrong key decodes nothing', async () => {
    room = undefined;
    const [alice, bob, carol] = await members(3);
    for (const m of [alice!, bob!, carol!]) await m.controller.joinGroupCall('video');
    await waitAllJoined([alice!, bob!, carol!]);
    for (const m of [alice!, bob!, carol!]) {
      expect(sfuCallOf(m).e2ee, `${m.identity} encrypts`).to.equal(true);
      for (const other of [alice!, bob!, carol!]) if (other !== m) await waitForMediaFrom(m, other);
    }

    const noKey = await outsider();
    const wrongKey = await outsider();
    const aliceIndex = sfuCallOf(alice!).keyExchange!.ring.keyIndexInUse!;
    wrongKey.keyProvider.setKey(alice!.identity, crypto.getRandomValues(new Uint8Array(16)), aliceIndex);
    await wrongKey.keyProvider.whenSet();
    // The encrypted frames reach them, and the members go on decoding meanwhile.
    await waitFor(
      () => noKey.room.remoteParticipants.has(alice!.identity),
      'the outsider to see Alice',
      30_000,
    );
    await decodeMore(bob!, alice!, 60);
    for (const o of [noKey, wrongKey]) {
      const got = await outsiderReceived(o, alice!);
      expect(got.videoBytes, 'encrypted video reached the outsider').to.be.greaterThan(0);
      expect(got.framesDecoded, 'the outsider decoded none of it').to.equal(0);
    }
    expect(wrongKey.encryptionErrors.length, 'livekit-client reports decryption errors').to.be.greaterThan(0);
  });

  it("after a member leaves, a new key is in use and the leaver's stale key no longer decodes new frames", async () => {
    room = undefined;
    const [alice, bob, carol] = await members(3);
    for (const m of [alice!, bob!, carol!]) await m.controller.joinGroupCall('video');
    await waitAllJoined([alice!, bob!, carol!]);
    await waitForMediaFrom(bob!, alice!);
    await waitForMediaFrom(carol!, alice!);

    // Carol's copy of Alice's key, as a leaver keeps it: handed to an outsider, it decodes Alice now.
    const ring = sfuCallOf(alice!).keyExchange!.ring;
    const stale = ring.currentKey!;
    const held = sfuCallOf(carol!)
      .keyExchange!.ring.remoteKeys()
      .find((k) => k.userId === alice!.userId);
    expect(held?.index, "Carol holds Alice's current key").to.equal(stale.index);
    const eve = await outsider();
    eve.keyProvider.setKey(alice!.identity, held!.key, held!.index);
    await eve.keyProvider.whenSet();
    await waitFor(
      () => eve.room.remoteParticipants.has(alice!.identity),
      'the outsider to see Alice',
      30_000,
    );
    const deadline = Date.now() + 30_000;
    while ((await outsiderReceived(eve, alice!)).framesDecoded === 0) {
      if (Date.now() > deadline)
        throw new Error('the stale key never decoded Alice, so the test proves nothing');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await carol!.controller.leaveGroupCall();
    await waitFor(
      () => ring.keyIndexInUse !== stale.index,
      'Alice to use a new key after Carol left',
      30_000,
    );
    // Once Bob has decoded frames under the new key, none decoded after that opens with the stale one.
    await decodeMore(bob!, alice!, 30);
    const before = (await outsiderReceived(eve, alice!)).framesDecoded;
    await decodeMore(bob!, alice!, 60);
    const after = await outsiderReceived(eve, alice!);
    expect(after.framesDecoded - before, 'frames the stale key decoded after the rotation').to.equal(0);
    expect(after.videoBytes).to.be.greaterThan(0);
  });

  it('a late joiner decodes every member within a bounded time (measured)', async () => {
    room = undefined;
    const [alice, bob] = await members(2);
    for (const m of [alice!, bob!]) await m.controller.joinGroupCall('video');
    await waitAllJoined([alice!, bob!]);
    await waitForMediaFrom(alice!, bob!);
    await waitForMediaFrom(bob!, alice!);

    const [dan] = await members(1, 3);
    const clicked = performance.now();
    await dan!.controller.joinGroupCall('video');
    const firstFrame: Record<string, number> = {};
    const deadline = Date.now() + 20_000;
    while (Object.keys(firstFrame).length < 2) {
      for (const m of [alice!, bob!]) {
        if (
          firstFrame[m.identity] === undefined &&
          (await receivedFrom(dan!, m.identity)).framesDecoded > 0
        ) {
          firstFrame[m.identity] = Math.round(performance.now() - clicked);
        }
      }
      if (Date.now() > deadline)
        throw new Error(`the late joiner decoded only ${JSON.stringify(firstFrame)} within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(
      `late joiner, join click to first decoded frame (keys included): ${JSON.stringify(firstFrame)} ms`,
    );
    for (const ms of Object.values(firstFrame)) expect(ms).to.be.below(20_000);
    // And the members decode the late joiner.
    await waitForMediaFrom(alice!, dan!);
    await waitForMediaFrom(bob!, dan!);
  });
});
