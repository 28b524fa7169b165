import { expect } from '@open-wc/testing';
import { buildGroupCallView } from '../../../../src/group/mesh/group-call-view.js';
import type { StreamView } from '../../../../src/snapshot.js';

const stream = (purpose: StreamView['purpose'], audioMuted: boolean, videoMuted: boolean): StreamView => ({
  id: `${purpose}-id`,
  purpose,
  stream: new MediaStream(),
  local: false,
  userId: '@bob:x',
  deviceId: 'B1',
  audioMuted,
  videoMuted,
});

describe('mesh group call view', () => {
  it('is frozen all the way down, with mute read from the camera stream and volume clamped', () => {
    const view = buildGroupCallView({
      state: 'joined',
      ongoing: true,
      activeSpeaker: '@bob:x',
      participants: [
        {
          person: { userId: '@bob:x', displayName: 'Bob', avatarUrl: 'https://x/a.png' },
          deviceId: 'B1',
          local: false,
          streams: [stream('m.screenshare', true, false), stream('m.usermedia', false, true)],
          speaking: true,
          connection: 'connected',
          volume: 3,
        },
        {
          person: { userId: '@carol:x', displayName: 'Carol' },
          deviceId: 'C1',
          local: false,
          streams: [],
          speaking: false,
          connection: 'new',
          volume: -1,
        },
      ],
    });
    expect(view.backend).to.equal('mesh');
    expect(view.activeSpeaker).to.equal('@bob:x');
    const [bob, carol] = view.participants;
    expect(bob).to.include({ audioMuted: false, videoMuted: true, volume: 1, avatarUrl: 'https://x/a.png' });
    expect(carol, 'no stream yet: shown muted').to.include({ audioMuted: true, videoMuted: true, volume: 0 });
    expect('avatarUrl' in carol!).to.equal(false);
    for (const o of [view, view.participants, bob, bob!.streams]) expect(Object.isFrozen(o)).to.equal(true);
  });

  it('this device’s own switches win over what its streams say', () => {
    const view = buildGroupCallView({
      state: 'joining',
      ongoing: false,
      participants: [
        {
          person: { userId: '@a:x', displayName: 'A' },
          deviceId: 'A1',
          local: true,
          streams: [stream('m.usermedia', false, false)],
          audioMuted: true,
          videoMuted: false,
          speaking: false,
          connection: 'connected',
          volume: 1,
        },
      ],
    });
    expect(view.participants[0]).to.include({ local: true, audioMuted: true, videoMuted: false });
    expect('activeSpeaker' in view).to.equal(false);
  });
});
