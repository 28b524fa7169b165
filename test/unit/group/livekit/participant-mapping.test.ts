// Reading LiveKit participants into the call's inputs, and LiveKit identities back to Matrix devices.
// The participants here are TEST DOUBLES: plain objects with the fields of livekit-client's
// RemoteParticipant that participant-reader.ts reads, holding real MediaStreamTracks.
import { expect } from '@open-wc/testing';
import { IdentityDirectory, parseLegacyIdentity } from '../../../../src/group/livekit/identity-directory.js';
import { hashedParticipantIdentity } from '../../../../src/group/livekit/participant-identity.js';
import {
  RemoteStreams,
  type ParticipantLike,
  type TrackPublicationLike,
} from '../../../../src/group/livekit/participant-reader.js';
import { buildLiveKitView } from '../../../../src/group/livekit/livekit-view.js';

function audioTrack(): MediaStreamTrack {
  const context = new AudioContext();
  return context.createMediaStreamDestination().stream.getAudioTracks()[0]!;
}
function videoTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  return canvas.captureStream().getVideoTracks()[0]!;
}
const pub = (source: string, track: MediaStreamTrack | undefined, isMuted = false): TrackPublicationLike => ({
  source,
  isMuted,
  track: track ? { mediaStreamTrack: track } : undefined,
});
function participant(
  identity: string,
  pubs: TrackPublicationLike[],
  extra: Partial<ParticipantLike> = {},
): ParticipantLike {
  return {
    identity,
    isSpeaking: false,
    connectionQuality: 'good',
    trackPublications: new Map(pubs.map((p, i) => [`TR_${i}`, p])),
    ...extra,
  };
}

describe('participant-reader', () => {
  it('puts microphone and camera in one stream and the screen in another, with mute from the publications', () => {
    const mic = audioTrack();
    const cam = videoTrack();
    const screen = videoTrack();
    const reader = new RemoteStreams();
    const [bob] = reader.read([
      participant(
        '@bob:x:BOB',
        [pub('microphone', mic, true), pub('camera', cam), pub('screen_share', screen)],
        {
          isSpeaking: true,
        },
      ),
    ]);
    expect(bob!.userMedia!.getTracks()).to.have.members([mic, cam]);
    expect(bob!.screen!.getTracks()).to.deep.equal([screen]);
    expect(bob).to.include({ audioMuted: true, videoMuted: false, speaking: true, connection: 'connected' });
  });

  it('keeps the same stream while tracks come and go, and forgets a participant that left', () => {
    const mic = audioTrack();
    const cam = videoTrack();
    const reader = new RemoteStreams();
    const first = reader.read([participant('a', [pub('microphone', mic)])])[0]!;
    const second = reader.read([participant('a', [pub('microphone', mic), pub('camera', cam)])])[0]!;
    expect(second.userMedia).to.equal(first.userMedia);
    expect(second.userMedia!.getTracks()).to.have.length(2);
    const third = reader.read([participant('a', [pub('camera', cam)])])[0]!;
    expect(third.userMedia!.getTracks()).to.deep.equal([cam]);
    expect(third.audioMuted).to.equal(true);
    reader.read([]);
    const back = reader.read([participant('a', [pub('camera', cam)])])[0]!;
    expect(back.userMedia).to.not.equal(first.userMedia);
  });

  it('an unsubscribed or absent publication counts as muted; a lost connection shows', () => {
    const reader = new RemoteStreams();
    const [p] = reader.read([participant('a', [pub('camera', undefined)], { connectionQuality: 'lost' })]);
    expect(p).to.include({ audioMuted: true, videoMuted: true, connection: 'disconnected' });
    expect(p!.userMedia).to.equal(undefined);
    expect(p!.screen).to.equal(undefined);
  });
});

describe('identity-directory', () => {
  it('parses `${userId}:${deviceId}`, ports included, and nothing else', () => {
    expect(parseLegacyIdentity('@bob:example.org:BOBDEV')).to.deep.equal({
      userId: '@bob:example.org',
      deviceId: 'BOBDEV',
    });
    expect(parseLegacyIdentity('@bob:example.org:8448:DEV')).to.deep.equal({
      userId: '@bob:example.org:8448',
      deviceId: 'DEV',
    });
    expect(parseLegacyIdentity('bob')).to.equal(undefined);
    expect(parseLegacyIdentity('@bob:example.org')).to.equal(undefined);
  });

  it('files each member under its legacy, member-id and hashed identities', async () => {
    const directory = new IdentityDirectory();
    const member = { userId: '@carol:example.org', deviceId: 'C1', memberId: 'member-carol' };
    await directory.update([member]);
    const device = { userId: '@carol:example.org', deviceId: 'C1' };
    expect(directory.lookup('@carol:example.org:C1')).to.deep.equal(device);
    expect(directory.lookup('member-carol')).to.deep.equal(device);
    expect(directory.lookup(await hashedParticipantIdentity(member))).to.deep.equal(device);
    expect(directory.lookup('a-stranger')).to.equal(undefined);
  });
});

describe('livekit-view', () => {
  it('lists this device first, then members; a member not in the room shows its absent connection', () => {
    const media = new MediaStream([audioTrack()]);
    const view = buildLiveKitView({
      state: 'joined',
      ongoing: true,
      self: {
        person: { userId: '@me:x', displayName: 'Me' },
        deviceId: 'ME',
        userMedia: media,
        micMuted: false,
        cameraMuted: false,
        speaking: true,
        connection: 'connected',
      },
      remotes: [
        {
          person: { userId: '@bob:x', displayName: 'Bob' },
          deviceId: 'BOB',
          absentConnection: 'checking',
          volume: 3,
        },
      ],
      activeSpeaker: '@bob:x',
    });
    expect(view.backend).to.equal('livekit');
    expect(Object.isFrozen(view) && Object.isFrozen(view.participants)).to.equal(true);
    const [me, bob] = view.participants;
    // No video track: the camera reads as off even though it is not muted.
    expect(me).to.include({ local: true, audioMuted: false, videoMuted: true, speaking: true });
    expect(me!.streams[0]!.stream).to.equal(media);
    expect(bob).to.include({ local: false, connection: 'checking', audioMuted: true, volume: 1 });
    expect(bob!.streams).to.deep.equal([]);
    expect(view.activeSpeaker).to.equal('@bob:x');
  });
});
