/**
 * Removing <matrix-call> mid-call: a controller the element built through the factory (widget page,
 * drop-in) has its calls ended and its media released once the last element showing it has left the
 * document; moving the element (out and back in at once) keeps the call; a controller the page passed
 * in is the page's, and its call goes on. Real CallControllers over MemoryTransports on the homeserver
 * test double, with real WebRTC and the browser's fake devices.
 */
import { expect } from '@open-wc/testing';
import '../../../components/index.js';
import { MatrixCallElement } from '../../../components/matrix-call/internal/matrix-call.js';
import {
  ownControllerDecision,
  RELEASE_AFTER_MS,
} from '../../../components/matrix-call/internal/owned-controller.js';
import type { CallControllerApi } from '../../../src/snapshot.js';
import { waitFor } from '../../support/webrtc.js';
import { ALICE, BOB, ControllerRoom, connectCall, findCall, type Side } from './controller-room.js';

interface LiveCall {
  readonly callId: string;
  readonly track: MediaStreamTrack;
  readonly pc: RTCPeerConnection;
}

async function liveCall(alice: Side, bob: Side): Promise<LiveCall> {
  const callId = await connectCall(alice, bob, 'voice');
  const track = findCall(alice, (c) => c.id === callId)!.localStreams[0]!.stream.getAudioTracks()[0]!;
  const pc = alice.controller.peerCall(callId)!.peerConnection!;
  expect(track.readyState).to.equal('live');
  return { callId, track, pc };
}

function stillGoing(alice: Side, call: LiveCall): boolean {
  return (
    findCall(alice, (c) => c.id === call.callId)?.state === 'connected' &&
    call.track.readyState === 'live' &&
    call.pc.connectionState !== 'closed'
  );
}

function ended(alice: Side, call: LiveCall): boolean {
  return (
    findCall(alice, (c) => c.id === call.callId)?.state === 'ended' &&
    call.track.readyState === 'ended' &&
    call.pc.signalingState === 'closed'
  );
}

describe('<matrix-call> removed mid-call', function () {
  this.timeout(30_000);
  let room: ControllerRoom;
  let container: HTMLElement;
  let alice: Side;
  let bob: Side;

  beforeEach(async () => {
    room = new ControllerRoom({ members: [BOB] });
    alice = await room.side(ALICE, 'ALICEDEV', { controller: { settings: { walkieTalkie: false } } });
    bob = await room.side(BOB, 'BOBDEV', { controller: { settings: { walkieTalkie: false } } });
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(() => {
    MatrixCallElement.controllerFactory = undefined;
    container.remove();
    room.dispose();
  });

  /** A <matrix-call> that builds its controller through the factory (as the widget page's does). */
  async function builtElement(): Promise<MatrixCallElement> {
    MatrixCallElement.controllerFactory = () => alice.controller as CallControllerApi;
    const element = document.createElement('matrix-call') as MatrixCallElement;
    container.append(element);
    await waitFor(() => element.controller === alice.controller, 'the element to build its controller');
    return element;
  }

  it('the element built its controller: removing the last one showing it ends the call and stops the microphone', async () => {
    const first = await builtElement();
    const second = await builtElement();
    const call = await liveCall(alice, bob);

    first.remove();
    expect(await ownControllerDecision(first), 'another element still shows the call').to.equal(false);
    expect(stillGoing(alice, call)).to.equal(true);

    second.remove();
    expect(await ownControllerDecision(second), 'the last one gone').to.equal(true);
    await waitFor(() => ended(alice, call), 'the call ended, its track stopped and its connection closed');
    await waitFor(
      () => findCall(bob, (c) => c.id === call.callId)?.state === 'ended',
      'the other side told the call ended',
    );
  });

  it('moving the element (out and back at once, or across a microtask) keeps the call', async () => {
    const element = await builtElement();
    const call = await liveCall(alice, bob);
    const elsewhere = document.createElement('section');
    container.append(elsewhere);

    elsewhere.append(element); // a move: disconnected and connected in one step
    expect(await ownControllerDecision(element)).to.equal(false);
    element.remove();
    await Promise.resolve();
    container.append(element);
    expect(await ownControllerDecision(element)).to.equal(false);
    expect(stillGoing(alice, call), 'still connected, microphone live').to.equal(true);

    // Removed for good afterwards: it ends.
    element.remove();
    expect(await ownControllerDecision(element)).to.equal(true);
    await waitFor(() => ended(alice, call), 'the call ended after the final removal');
  });

  it('the page passed its own controller: removing the element leaves the call to the page', async () => {
    const element = document.createElement('matrix-call') as MatrixCallElement;
    element.controller = alice.controller;
    container.append(element);
    const call = await liveCall(alice, bob);

    element.remove();
    expect(await ownControllerDecision(element)).to.equal(false);
    // Longer than the element's own move window: nothing ends it later either.
    await new Promise((resolve) => setTimeout(resolve, RELEASE_AFTER_MS * 2));
    expect(stillGoing(alice, call), 'the page owns it').to.equal(true);
    await alice.controller.hangup(call.callId);
    await waitFor(() => ended(alice, call), 'the page ends it');
  });
});
