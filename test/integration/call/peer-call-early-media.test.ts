// Placing and answering while the camera and microphone open: where the browser will not prompt, the
// invite or answer goes out before the devices are handed over, and their tracks take their places
// without renegotiating.
import { expect } from '@open-wc/testing';
import { CallPair } from './call-pair.js';
import { RecordingMediaSource } from '../../support/recording-media-source.js';
import { waitFor } from '../../support/webrtc.js';
import type { CallKind } from '../../../src/snapshot.js';

/** Real devices, handed over only when the test opens the gate; says whether a prompt would show. */
class GatedMediaSource extends RecordingMediaSource {
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  failure: Error | undefined;

  constructor(private readonly granted: boolean) {
    super();
  }

  grantedWithoutPrompt(): Promise<boolean> {
    return Promise.resolve(this.granted);
  }

  /** Known at once, unless the test makes the source unsure (then only the promise answers). */
  knowsNow = true;
  grantedWithoutPromptNow(): boolean | undefined {
    return this.knowsNow ? this.granted : undefined;
  }

  override async getUserMedia(kind: CallKind): Promise<MediaStream> {
    const stream = super.getUserMedia(kind);
    await this.gate;
    if (this.failure) {
      (await stream).getTracks().forEach((t) => t.stop());
      throw this.failure;
    }
    return stream;
  }

  hand(): void {
    this.open();
  }
}

async function ringBob(pair: CallPair): Promise<void> {
  await pair.alice.place();
  await waitFor(() => pair.bob.view.state === 'ringing', 'Bob rings');
}

describe('PeerCall: placing and answering while the devices open', () => {
  let pair: CallPair;
  afterEach(() => pair?.dispose());

  it('with the permission states known, placing and answering ask for the devices and start the offer or answer before the view changes', async () => {
    // What the view's first change would show runs after the browser's work has been asked for: the
    // page draws the new view while the browser opens the devices and builds the description.
    const aliceMedia = new GatedMediaSource(true);
    const bobMedia = new GatedMediaSource(true);
    pair = new CallPair({ aliceMedia, bobMedia });
    const made: string[] = [];
    const proto = RTCPeerConnection.prototype;
    const restores = (['createOffer', 'createAnswer'] as const).map((name) => {
      const original = proto[name] as (...args: unknown[]) => unknown;
      proto[name] = function (this: RTCPeerConnection, ...args: unknown[]) {
        made.push(name === 'createOffer' ? 'offer' : 'answer');
        return original.apply(this, args);
      } as unknown as (typeof proto)[typeof name];
      return () => ((proto[name] as unknown) = original);
    });
    try {
      const seenAtFirstChange = (call: EventTarget, media: GatedMediaSource) =>
        new Promise<string>((resolve) =>
          call.addEventListener('change', () => resolve(`${media.userMediaRequests.join()} ${made.join()}`), {
            once: true,
          }),
        );
      const aliceSaw = seenAtFirstChange(pair.alice, aliceMedia);
      const placing = pair.alice.place();
      expect(await aliceSaw).to.equal('video offer');
      await waitFor(() => pair.bob.view.state === 'ringing', 'Bob rings');
      await waitFor(
        () => pair.bob.peerConnection?.signalingState === 'have-remote-offer',
        "Bob has Alice's offer",
      );
      await new Promise((resolve) => setTimeout(resolve, 0)); // the offer's application has settled
      const bobSaw = seenAtFirstChange(pair.bob, bobMedia);
      const answering = pair.bob.answer();
      expect(await bobSaw).to.equal('video offer,answer');
      aliceMedia.hand();
      bobMedia.hand();
      await Promise.all([placing, answering]);
      await pair.mediaFlowsBothWays();
    } finally {
      for (const restore of restores) restore();
    }
  });

  it('with permission already granted, the answer goes out before the devices are handed over', async () => {
    const media = new GatedMediaSource(true);
    pair = new CallPair({ bobMedia: media });
    await ringBob(pair);
    const answering = pair.bob.answer();
    await waitFor(() => pair.sent('bob', 'answer').length === 1, "Bob's answer sent");
    expect(media.userMediaRequests).to.deep.equal(['video']);
    await waitFor(() => pair.alice.view.state === 'connected', 'Alice connected');
    media.hand();
    await answering;
    await pair.mediaFlowsBothWays();
    const videoIn = () =>
      pair.alice.view.remoteStreams[0]?.stream.getVideoTracks().some((t) => t.readyState === 'live');
    await waitFor(() => videoIn() === true, "Alice has Bob's camera");
    expect(pair.sent('bob', 'negotiate')).to.have.length(0, 'the tracks took their places');
    expect(pair.sent('alice', 'negotiate')).to.have.length(0);
    expect(
      pair.bob
        .localUserMedia!.getTracks()
        .map((t) => t.kind)
        .sort(),
    ).to.deep.equal(['audio', 'video']);
  });

  it('where a prompt would show, the answer waits for the devices', async () => {
    const media = new GatedMediaSource(false);
    pair = new CallPair({ bobMedia: media });
    await ringBob(pair);
    const answering = pair.bob.answer();
    await waitFor(() => media.userMediaRequests.length === 1, 'devices asked for');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pair.sent('bob', 'answer')).to.have.length(0);
    media.hand();
    await answering;
    await waitFor(() => pair.alice.view.state === 'connected', 'Alice connected');
    await pair.mediaFlowsBothWays();
  });

  it('devices failing after the answer went out hang up with user_media_failed, and the caller is told', async () => {
    const media = new GatedMediaSource(true);
    pair = new CallPair({ bobMedia: media });
    await ringBob(pair);
    const answering = pair.bob.answer();
    await waitFor(() => pair.sent('bob', 'answer').length === 1, "Bob's answer sent");
    media.failure = Object.assign(new Error('the camera is in use'), { name: 'NotReadableError' });
    media.hand();
    let thrown: unknown;
    await answering.catch((error: unknown) => (thrown = error));
    expect(thrown).to.equal(media.failure);
    expect(pair.bob.view.state).to.equal('ended');
    expect(pair.bob.view.hangupReason).to.equal('user_media_failed');
    await waitFor(() => pair.alice.view.state === 'ended', 'Alice told');
    expect(pair.sent('bob', 'hangup').map((e) => (e as { reason?: string }).reason)).to.deep.equal([
      'user_media_failed',
    ]);
    expect(pair.bob.peerConnection?.connectionState ?? 'closed').to.equal('closed');
  });

  it('with permission already granted, the invite goes out before the devices are handed over', async () => {
    const media = new GatedMediaSource(true);
    pair = new CallPair({ aliceMedia: media });
    const placing = pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob rings');
    expect(media.userMediaRequests).to.deep.equal(['video']);
    media.hand();
    await placing;
    await pair.bob.answer();
    await waitFor(
      () => pair.alice.view.state === 'connected' && pair.bob.view.state === 'connected',
      'both connected',
    );
    await pair.mediaFlowsBothWays();
    const videoIn = () =>
      pair.bob.view.remoteStreams[0]?.stream.getVideoTracks().some((t) => t.readyState === 'live');
    await waitFor(() => videoIn() === true, "Bob has Alice's camera");
    expect(pair.sent('alice', 'negotiate')).to.have.length(0, 'the tracks took their places');
    expect(pair.sent('bob', 'negotiate')).to.have.length(0);
  });

  it('devices failing after the invite went out hang up with user_media_failed, and the callee stops ringing', async () => {
    const media = new GatedMediaSource(true);
    pair = new CallPair({ aliceMedia: media });
    const placing = pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob rings');
    media.failure = Object.assign(new Error('no camera'), { name: 'NotFoundError' });
    media.hand();
    let thrown: unknown;
    await placing.catch((error: unknown) => (thrown = error));
    expect(thrown).to.equal(media.failure);
    expect(pair.alice.view.hangupReason).to.equal('user_media_failed');
    expect(pair.sent('alice', 'hangup').map((e) => (e as { reason?: string }).reason)).to.deep.equal([
      'user_media_failed',
    ]);
    await waitFor(() => pair.bob.view.state === 'ended', 'Bob stops ringing');
  });
});
