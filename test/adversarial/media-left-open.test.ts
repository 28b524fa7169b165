/**
 * Faults and privacy: leaving a group call (mesh or SFU; both open media through SharedLocalMedia)
 * while the browser's permission prompt is still open must not leave the microphone live when the
 * stream arrives afterwards. The prompt is stood in for by a getUserMedia that answers late with a
 * real stream from Chromium's fake devices.
 */
import { expect } from '@open-wc/testing';
import { SharedLocalMedia } from '../../src/group/shared-local-media.js';
import type { LocalMediaSource } from '../../src/call/peer-call-contract.js';

function latePrompt(): { source: LocalMediaSource; answer: () => Promise<MediaStream> } {
  let release: (stream: MediaStream) => void = () => undefined;
  const pending = new Promise<MediaStream>((resolve) => (release = resolve));
  return {
    source: {
      getUserMedia: () => pending,
      getDisplayMedia: () => Promise.reject(new Error('not used')),
    },
    answer: async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      release(stream);
      return stream;
    },
  };
}

describe('media that arrives after the call was left (adversarial)', () => {
  it('a stream granted after close() is stopped at once, and the opening fails', async () => {
    const prompt = latePrompt();
    const media = new SharedLocalMedia(prompt.source);
    const opening = media.open('video');
    media.close();
    const stream = await prompt.answer();
    let failure: unknown;
    await opening.catch((error: unknown) => (failure = error));
    expect(failure, 'the opening fails').to.be.instanceOf(Error);
    expect(stream.getTracks().map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
    expect(media.userMedia).to.equal(undefined);
  });

  it('a stream granted before close() is kept until close() stops it', async () => {
    const prompt = latePrompt();
    const media = new SharedLocalMedia(prompt.source);
    const opening = media.open('voice');
    const stream = await prompt.answer();
    expect(await opening).to.equal(stream);
    expect(stream.getTracks().every((t) => t.readyState === 'live')).to.equal(true);
    media.close();
    expect(stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });
});
