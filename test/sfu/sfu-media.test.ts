// Group calls on a real LiveKit SFU (livekit-server v1.13.5 on loopback, started by the test runner's
// SFU rig) with the JWT service TEST DOUBLE minting real LiveKit tokens: two, then four kit
// CallControllers join one call and each receives every other's audio and video (inbound RTP bytes
// grow, video frames are decoded). No E2EE here (sfu-e2ee.test.ts has it).
import { expect } from '@open-wc/testing';
import { rigUp } from './support/rig.js';
import {
  groupOf,
  SfuCallRoom,
  waitAllJoined,
  waitForMediaFrom,
  type Member,
} from './support/sfu-call-room.js';

const USERS = ['@alice:test.invalid', '@bob:test.invalid', '@carol:test.invalid', '@dan:test.invalid'];

describe('SFU call on a real LiveKit server: media between kit controllers', function () {
  this.timeout(120_000);
  let room: SfuCallRoom | undefined;
  afterEach(() => room?.dispose());

  async function joinAll(count: number): Promise<Member[]> {
    const rig = await rigUp('single');
    room = new SfuCallRoom(rig.userinfoUrl, USERS.slice(0, count));
    const members: Member[] = [];
    for (const [i, userId] of USERS.slice(0, count).entries()) {
      members.push(await room.member(userId, `DEV${i}`, { foci: [rig.deployments[0]!.serviceUrl] }));
    }
    // One after the other, as people join: the first creates the call, the rest follow its focus.
    for (const m of members) await m.controller.joinGroupCall('video');
    await waitAllJoined(members);
    return members;
  }

  async function everyoneReceivesEveryone(members: readonly Member[]): Promise<void> {
    for (const m of members) {
      for (const other of members) {
        if (other === m) continue;
        const got = await waitForMediaFrom(m, other);
        expect(got.framesDecoded, `${m.identity} decodes ${other.identity}'s video`).to.be.greaterThan(0);
      }
    }
  }

  it("two controllers join one SFU call and receive each other's audio and video", async () => {
    const members = await joinAll(2);
    for (const m of members) expect(groupOf(m)).to.include({ backend: 'livekit', state: 'joined' });
    await everyoneReceivesEveryone(members);
    // Each view lists the other as connected.
    for (const m of members) {
      const others = groupOf(m).participants.filter((p) => !p.local);
      expect(others.map((p) => p.userId)).to.have.length(1);
    }
  });

  it("four controllers join one SFU call and each receives all three others' audio and video", async () => {
    const members = await joinAll(4);
    await everyoneReceivesEveryone(members);
    // Leaving closes the camera and microphone and leaves the LiveKit room.
    for (const m of members) await m.controller.leaveGroupCall();
    for (const m of members) {
      expect(groupOf(m).state).to.equal('idle');
      expect(m.media.liveTracks(), `${m.identity}: no camera or microphone left open`).to.deep.equal([]);
    }
  });
});
