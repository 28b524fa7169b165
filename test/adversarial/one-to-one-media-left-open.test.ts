/**
 * Faults and privacy, 1:1 calls: a camera, microphone or screen stream that the browser grants after
 * the call ended while its permission prompt was open (hung up here, hung up by the other side, the
 * controller closed) is stopped at once and never sent. The prompt is stood in for by a media source
 * that answers late with real streams from Chromium's fake devices. Real CallControllers over
 * MemoryTransports on the homeserver test double.
 */
import { expect } from '@open-wc/testing';
import type { LocalMediaSource } from '../../src/call/peer-call-contract.js';
import type { CallKind } from '../../src/snapshot.js';
import { waitFor } from '../support/webrtc.js';
import {
  ALICE,
  BOB,
  ControllerRoom,
  connectCall,
  findCall,
  ringing,
  waitForCall,
  type Side,
} from '../integration/controller/controller-room.js';

/** Media whose next request waits, as a permission prompt does, until the test grants it. */
class LatePrompt implements LocalMediaSource {
  holding = false;
  private pending: (() => Promise<MediaStream>)[] = [];
  readonly granted: MediaStream[] = [];

  getUserMedia(kind: CallKind): Promise<MediaStream> {
    return this.wait(() => navigator.mediaDevices.getUserMedia({ audio: true, video: kind === 'video' }));
  }

  getDisplayMedia(): Promise<MediaStream> {
    return this.wait(() => navigator.mediaDevices.getDisplayMedia({ video: true }));
  }

  /** A prompt is open. */
  get open(): boolean {
    return this.pending.length > 0;
  }

  /** The user allows the open prompt: the stream arrives now. */
  async grant(): Promise<MediaStream> {
    const next = this.pending.shift();
    if (!next) throw new Error('no prompt is open');
    return next();
  }

  private wait(get: () => Promise<MediaStream>): Promise<MediaStream> {
    if (!this.holding) return get();
    return new Promise((resolve, reject) => {
      this.pending.push(async () => {
        const stream = await get();
        this.granted.push(stream);
        resolve(stream);
        return stream;
      });
      void reject;
    });
  }
}

const allEnded = (stream: MediaStream) => stream.getTracks().every((t) => t.readyState === 'ended');

describe('1:1 media that arrives after the call ended (adversarial)', function () {
  this.timeout(30_000);
  let room: ControllerRoom;
  let prompt: LatePrompt;
  let alice: Side;
  let bob: Side;

  beforeEach(async () => {
    room = new ControllerRoom({ members: [BOB] });
    prompt = new LatePrompt();
    const settings = { groupCalls: false, walkieTalkie: false };
    alice = await room.side(ALICE, 'ALICEDEV', { controller: { settings, media: prompt } });
    bob = await room.side(BOB, 'BOBDEV', { controller: { settings } });
  });

  afterEach(() => room.dispose());

  it('placing: hung up while the prompt is open, the stream granted afterwards is stopped and no invite is sent', async () => {
    prompt.holding = true;
    void alice.controller.placeCall('video');
    await waitFor(() => prompt.open, 'the prompt');
    const call = alice.controller.snapshot.calls[0]!;
    await alice.controller.hangup(call.id);
    expect(findCall(alice, (c) => c.id === call.id)?.state).to.equal('ended');
    const stream = await prompt.grant();
    await waitFor(() => allEnded(stream), 'the late stream stopped');
    expect(room.sent('m.call.invite', ALICE), 'nothing offered').to.have.length(0);
    expect(alice.controller.peerCall(call.id)?.peerConnection ?? null, 'no connection made').to.equal(null);
  });

  it('answering: the caller hangs up while the prompt is open, the stream granted afterwards is stopped', async () => {
    await bob.controller.placeCall('video');
    const incoming = await waitForCall(alice, ringing, 'alice to ring');
    prompt.holding = true;
    void alice.controller.answer(incoming.id);
    await waitFor(() => prompt.open, 'the prompt');
    await bob.controller.hangup(incoming.id);
    await waitFor(() => findCall(alice, (c) => c.id === incoming.id)?.state === 'ended', 'alice told');
    const stream = await prompt.grant();
    await waitFor(() => allEnded(stream), 'the late stream stopped');
    expect(room.sent('m.call.answer', ALICE), 'nothing answered').to.have.length(0);
  });

  it('answering: hung up here while the prompt is open, the stream granted afterwards is stopped', async () => {
    await bob.controller.placeCall('voice');
    const incoming = await waitForCall(alice, ringing, 'alice to ring');
    prompt.holding = true;
    void alice.controller.answer(incoming.id);
    await waitFor(() => prompt.open, 'the prompt');
    await alice.controller.hangup(incoming.id);
    const stream = await prompt.grant();
    await waitFor(() => allEnded(stream), 'the late stream stopped');
    expect(room.sent('m.call.answer', ALICE)).to.have.length(0);
  });

  it('the controller closed while the prompt is open (the widget went away): the late stream is stopped', async () => {
    prompt.holding = true;
    void alice.controller.placeCall('voice');
    await waitFor(() => prompt.open, 'the prompt');
    alice.controller.close();
    const stream = await prompt.grant();
    await waitFor(() => allEnded(stream), 'the late stream stopped');
  });

  it('screen sharing: the call hung up while the screen prompt is open, the screen granted afterwards is stopped', async () => {
    const callId = await connectCall(alice, bob, 'voice');
    const pc = alice.controller.peerCall(callId)!.peerConnection!;
    prompt.holding = true;
    void alice.controller.setScreenSharing(callId, true);
    await waitFor(() => prompt.open, 'the screen prompt');
    await alice.controller.hangup(callId);
    const screen = await prompt.grant();
    await waitFor(() => allEnded(screen), 'the late screen stopped');
    const microphone = findCall(alice, (c) => c.id === callId)!.localStreams;
    for (const view of microphone)
      expect(allEnded(view.stream), 'the call’s own media stopped too').to.equal(true);
    expect(pc.signalingState).to.equal('closed');
  });

  it('turning the camera on in a voice call: hung up while the camera prompt is open, the camera granted afterwards is stopped', async () => {
    const callId = await connectCall(alice, bob, 'voice');
    prompt.holding = true;
    void alice.controller.setCameraMuted(callId, false);
    await waitFor(() => prompt.open, 'the camera prompt');
    await alice.controller.hangup(callId);
    const camera = await prompt.grant();
    await waitFor(() => allEnded(camera), 'the late camera stopped');
  });
});
