import { expect } from '@open-wc/testing';
import { pickRecordingType, startRecording, RECORDING_TYPES } from '../../../src/ptt/recorder.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('recorder', () => {
  it('prefers Ogg Opus and falls back to WebM Opus', () => {
    expect(pickRecordingType(() => true)).to.equal('audio/ogg;codecs=opus');
    expect(pickRecordingType((t) => t.startsWith('audio/webm'))).to.equal('audio/webm;codecs=opus');
    expect(pickRecordingType(() => false)).to.equal(undefined);
    expect(RECORDING_TYPES).to.include(pickRecordingType());
  });

  it('records the fake microphone into a file that decodes, with a nonzero duration', async () => {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      const handle = startRecording(mic);
      await sleep(1200);
      const recording = await handle.stop();
      expect(recording.blob.size).to.be.greaterThan(0);
      expect(recording.mimeType).to.match(/^audio\/(ogg|webm)/);
      expect(recording.durationMs).to.be.within(1100, 3000);
      const context = new AudioContext();
      const audio = await context.decodeAudioData(await recording.blob.arrayBuffer());
      await context.close();
      expect(audio.duration).to.be.greaterThan(0.5);
      // The recorder does not stop the caller's microphone.
      expect(mic.getAudioTracks()[0]!.readyState).to.equal('live');
      await handle.stop().then(
        () => expect.fail('a second stop must fail'),
        (e: Error) => expect(e.message).to.match(/already ended/),
      );
    } finally {
      mic.getTracks().forEach((t) => t.stop());
    }
  });
});
