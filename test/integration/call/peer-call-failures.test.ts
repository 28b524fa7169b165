// Failures and local-only changes: media refused, signalling down, call waiting, ICE servers.
import { expect } from '@open-wc/testing';
import { PeerCall } from '../../../src/call/peer-call.js';
import type {
  CallSignaller,
  LocalMediaSource,
  PeerCallOptions,
} from '../../../src/call/peer-call-contract.js';
import { KitMediaError, toKitMediaError } from '../../../src/media/media-error.js';
import { BrowserMediaSource } from '../../../src/media/local-media.js';
import type { CallEvent } from '../../../src/signalling/voip/types.js';
import { CallPair } from './call-pair.js';
import { waitFor } from '../../support/webrtc.js';

const refusing: LocalMediaSource = {
  getUserMedia: () =>
    Promise.reject(toKitMediaError(new DOMException('no', 'NotAllowedError'), 'microphone')),
  getDisplayMedia: () => Promise.reject(toKitMediaError(new DOMException('no', 'NotAllowedError'), 'screen')),
};

function options(signaller: CallSignaller, media: LocalMediaSource): PeerCallOptions {
  return {
    callId: 'f1',
    partyId: 'A1',
    self: { userId: '@alice:test.invalid', deviceId: 'A1' },
    peer: { userId: '@bob:test.invalid', displayName: 'Bob' },
    kind: 'voice',
    signaller,
    media,
    iceServers: [],
  };
}

describe('PeerCall: failures and local changes', () => {
  let pair: CallPair | undefined;
  afterEach(() => pair?.dispose());

  it('placing without media permission ends with user_media_failed, sends nothing and passes the error on', async () => {
    const sent: CallEvent[] = [];
    const call = new PeerCall(options({ send: async (e) => void sent.push(e) }, refusing));
    const error = await call.place().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KitMediaError);
    expect((error as KitMediaError).code).to.equal('permission-denied');
    expect(call.view).to.include({ state: 'ended', hangupReason: 'user_media_failed', hangupParty: 'local' });
    expect(sent).to.have.length(0);
  });

  it('answering without media sends a hangup with user_media_failed', async () => {
    pair = new CallPair({ kind: 'voice' });
    const bobMedia = pair.bobMedia as unknown as { getUserMedia: LocalMediaSource['getUserMedia'] };
    bobMedia.getUserMedia = refusing.getUserMedia;
    await pair.alice.place();
    await waitFor(() => pair!.bob.view.state === 'ringing', 'Bob rings');
    const error = await pair.bob.answer().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(KitMediaError);
    await waitFor(() => pair!.alice.ended, 'Alice ended');
    expect(pair.alice.view).to.include({ hangupReason: 'user_media_failed', hangupParty: 'remote' });
  });

  it('an invite that cannot be sent ends the call with signalling_failed', async () => {
    const call = new PeerCall(
      options({ send: () => Promise.reject(new Error('offline')) }, new BrowserMediaSource()),
    );
    await call.place();
    expect(call.view).to.include({ state: 'ended', hangupReason: 'signalling_failed' });
    expect(call.localUserMedia!.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('marks call waiting, takes new ICE servers and fires change with a new frozen view each time', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.alice.place();
    await waitFor(() => pair!.bob.view.state === 'ringing', 'Bob rings');
    const before = pair.bob.view;
    let changes = 0;
    pair.bob.addEventListener('change', () => changes++);
    pair.bob.setWaiting(true);
    expect(pair.bob.view.waiting).to.equal(true);
    expect(pair.bob.view).to.not.equal(before);
    expect(Object.isFrozen(pair.bob.view)).to.equal(true);
    expect(changes).to.equal(1);
    pair.bob.setIceServers([{ urls: 'turn:turn.test.invalid:3478', username: 'u', credential: 'p' }]);
    expect(pair.bob.peerConnection!.getConfiguration().iceServers?.[0]?.urls).to.deep.equal([
      'turn:turn.test.invalid:3478',
    ]);
    await pair.bob.answer();
    expect(pair.bob.view.waiting).to.equal(false, 'answering ends the waiting');
  });

  it('terminate ends locally without sending anything', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.alice.place();
    await waitFor(() => pair!.bob.view.state === 'ringing', 'Bob rings');
    const sentBefore = pair.log.length;
    pair.bob.terminate('dismissed', 'local');
    expect(pair.bob.view).to.include({ state: 'ended', hangupReason: 'dismissed', missed: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(pair.log.slice(sentBefore).filter((s) => s.from === 'bob')).to.have.length(0);
    expect(pair.alice.view.state).to.equal('inviting');
  });
});
