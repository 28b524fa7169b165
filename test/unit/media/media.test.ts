import { expect } from '@open-wc/testing';
import { BrowserMediaSource, userMediaConstraints } from '../../../src/media/local-media.js';
import { KitMediaError, toKitMediaError } from '../../../src/media/media-error.js';
import { localStreamMetadata, mergeStreamMetadata } from '../../../src/media/stream-metadata.js';
import { hasLiveTrack, setTracksEnabled } from '../../../src/media/track-mute.js';

const domError = (name: string) => new DOMException('browser words', name);

describe('local media', () => {
  it('maps the browser errors to kit codes with plain words', () => {
    const cases: [string, string][] = [
      ['NotFoundError', 'no-device'],
      ['NotReadableError', 'device-in-use'],
      ['NotAllowedError', 'permission-denied'],
    ];
    for (const [name, code] of cases) {
      const error = toKitMediaError(domError(name), 'camera and microphone');
      expect(error).to.be.instanceOf(KitMediaError);
      expect(error.code).to.equal(code);
      expect(error.message).to.match(/camera and microphone/);
      expect(error.message).to.not.match(/DOMException|NotFound|NotReadable|NotAllowed/);
      expect(error.detail).to.contain(name);
    }
    expect(toKitMediaError(domError('NotAllowedError'), 'screen').message).to.match(/screen/i);
  });

  it('rejects with a KitMediaError from the media devices it was given', async () => {
    const source = new BrowserMediaSource({
      getUserMedia: () => Promise.reject(domError('NotReadableError')),
      getDisplayMedia: () => Promise.reject(domError('NotAllowedError')),
    });
    const error = await source.getUserMedia('voice').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KitMediaError);
    expect((error as KitMediaError).code).to.equal('device-in-use');
    expect((error as KitMediaError).message).to.match(/microphone/);
    const screen = await source.getDisplayMedia().catch((e: unknown) => e);
    expect((screen as KitMediaError).code).to.equal('permission-denied');
  });

  it('asks for the chosen devices and voice without video', () => {
    expect(userMediaConstraints('voice')).to.deep.equal({ audio: true, video: false });
    const video = userMediaConstraints('video', { audioInput: 'mic-2', videoInput: 'cam-3' });
    expect(video.audio).to.deep.equal({ deviceId: { exact: 'mic-2' } });
    expect((video.video as MediaTrackConstraints).deviceId).to.deep.equal({ exact: 'cam-3' });
  });

  it('says whether opening the devices will prompt: granted in the test browser, a prompt where it cannot tell', async () => {
    // The test browser grants the fake devices without a prompt, and the Permissions API says so.
    expect(await new BrowserMediaSource().grantedWithoutPrompt('video')).to.equal(true);
    expect(await new BrowserMediaSource().grantedWithoutPrompt('voice')).to.equal(true);
    // Devices that cannot open anything: never "granted".
    const none = { getUserMedia: undefined, getDisplayMedia: undefined } as unknown as MediaDevices;
    expect(await new BrowserMediaSource(none).grantedWithoutPrompt('voice')).to.equal(false);
  });

  it('says so without waiting once the permission states are known, and "not known yet" before', async () => {
    const source = new BrowserMediaSource();
    expect(source.grantedWithoutPromptNow('video')).to.equal(undefined);
    await source.grantedWithoutPrompt('video');
    await Promise.resolve();
    expect(source.grantedWithoutPromptNow('video')).to.equal(true);
    expect(source.grantedWithoutPromptNow('voice')).to.equal(true);
    const none = { getUserMedia: undefined, getDisplayMedia: undefined } as unknown as MediaDevices;
    const unsure = new BrowserMediaSource(none);
    await unsure.grantedWithoutPrompt('voice');
    await Promise.resolve();
    expect(unsure.grantedWithoutPromptNow('voice')).to.equal(false);
  });

  it('gets fake-device media, mutes it and describes it as stream metadata', async () => {
    const stream = await new BrowserMediaSource().getUserMedia('video');
    try {
      expect(hasLiveTrack(stream, 'audio')).to.equal(true);
      setTracksEnabled(stream, 'audio', false);
      expect(stream.getAudioTracks()[0]!.enabled).to.equal(false);
      expect(stream.getVideoTracks()[0]!.enabled).to.equal(true);
      const metadata = localStreamMetadata([
        { stream, purpose: 'm.usermedia', audioMuted: true, videoMuted: false },
      ]);
      expect(metadata).to.deep.equal({
        [stream.id]: { purpose: 'm.usermedia', audio_muted: true, video_muted: false },
      });
      const voiceOnly = new MediaStream(stream.getAudioTracks());
      const described = localStreamMetadata([
        { stream: voiceOnly, purpose: 'm.usermedia', audioMuted: false, videoMuted: false },
      ]);
      expect(described[voiceOnly.id]!.video_muted).to.equal(true, 'no camera reads as camera muted');
      const merged = mergeStreamMetadata(metadata, {
        other: { purpose: 'm.screenshare', audio_muted: true, video_muted: false },
      });
      expect(Object.keys(merged)).to.deep.equal([stream.id, 'other']);
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });
});
