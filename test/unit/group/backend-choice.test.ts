import { expect } from '@open-wc/testing';
import { chooseGroupBackend } from '../../../src/group/backend-choice.js';
import type { MembershipBackend } from '../../../src/signalling/membership/index.js';

const member = (userId: string, deviceId: string, createdTs: number, backend: MembershipBackend) => ({
  userId,
  deviceId,
  createdTs,
  backend,
});
const mesh: MembershipBackend = { type: 'mesh' };
const livekit: MembershipBackend = { type: 'livekit', serviceUrl: 'https://rtc.example/livekit/jwt' };
const self = { userId: '@me:x', deviceId: 'ME' };

describe('chooseGroupBackend', () => {
  it('nobody in the call: the preference decides', () => {
    expect(chooseGroupBackend({ memberships: [], preference: 'mesh' })).to.deep.equal({
      backend: 'mesh',
      because: 'preference',
    });
    expect(chooseGroupBackend({ memberships: [], preference: 'livekit' }).backend).to.equal('livekit');
  });

  it('members on the SFU: livekit, whatever the preference', () => {
    const choice = chooseGroupBackend({
      memberships: [member('@b:x', 'B', 10, livekit)],
      preference: 'mesh',
    });
    expect(choice).to.deep.equal({
      backend: 'livekit',
      because: 'members',
      decidedBy: { userId: '@b:x', deviceId: 'B' },
    });
  });

  it('members on a mesh: mesh, even when the SFU is preferred', () => {
    const choice = chooseGroupBackend({
      memberships: [member('@b:x', 'B', 10, mesh)],
      preference: 'livekit',
    });
    expect(choice.backend).to.equal('mesh');
    expect(choice.because).to.equal('members');
  });

  it('a LiveKit focus without a service URL still means the SFU', () => {
    const choice = chooseGroupBackend({
      memberships: [member('@b:x', 'B', 10, { type: 'livekit' })],
      preference: 'mesh',
    });
    expect(choice.backend).to.equal('livekit');
  });

  it('mixed members: the oldest decides, whatever the order given', () => {
    const memberships = [
      member('@c:x', 'C', 30, mesh),
      member('@b:x', 'B', 20, livekit),
      member('@d:x', 'D', 40, mesh),
    ];
    expect(chooseGroupBackend({ memberships, preference: 'mesh' }).backend).to.equal('livekit');
    const reversed = [...memberships].reverse();
    expect(chooseGroupBackend({ memberships: reversed, preference: 'mesh' }).decidedBy).to.deep.equal({
      userId: '@b:x',
      deviceId: 'B',
    });
  });

  it('equal creation times: ordered by user, then device', () => {
    const memberships = [
      member('@z:x', 'A', 5, mesh),
      member('@a:x', 'Z', 5, livekit),
      member('@a:x', 'Y', 5, mesh),
    ];
    const choice = chooseGroupBackend({ memberships, preference: 'livekit' });
    expect(choice.decidedBy).to.deep.equal({ userId: '@a:x', deviceId: 'Y' });
    expect(choice.backend).to.equal('mesh');
  });

  it("this device's own membership does not count as someone in the call", () => {
    const choice = chooseGroupBackend({
      memberships: [member(self.userId, self.deviceId, 1, livekit)],
      preference: 'mesh',
      self,
    });
    expect(choice).to.deep.equal({ backend: 'mesh', because: 'preference' });
    // Another device of the same user does count.
    const otherDevice = chooseGroupBackend({
      memberships: [member(self.userId, 'PHONE', 1, livekit)],
      preference: 'mesh',
      self,
    });
    expect(otherDevice.backend).to.equal('livekit');
  });

  it('members only on backends the kit does not know: the preference, and a known one wins over them', () => {
    const other: MembershipBackend = { type: 'other', name: 'full_mesh_v2' };
    expect(
      chooseGroupBackend({ memberships: [member('@b:x', 'B', 1, other)], preference: 'livekit' }),
    ).to.deep.equal({ backend: 'livekit', because: 'preference' });
    const choice = chooseGroupBackend({
      memberships: [member('@b:x', 'B', 1, other), member('@c:x', 'C', 2, mesh)],
      preference: 'livekit',
    });
    expect(choice.backend).to.equal('mesh');
    expect(choice.decidedBy?.userId).to.equal('@c:x');
  });
});
