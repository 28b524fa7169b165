/**
 * Faults and privacy, over time: 100 consecutive 1:1 voice calls between two real CallControllers
 * (MemoryTransports on the homeserver test double, real RTCPeerConnections over loopback, Chromium's
 * fake microphone) leave nothing behind: 0 peer connections open and 0 local media tracks live.
 *
 * The test wraps the page's RTCPeerConnection and navigator.mediaDevices.getUserMedia to see every
 * connection made and every track handed out, whoever made them, and restores both afterwards.
 */
import { expect } from '@open-wc/testing';
import { waitFor } from '../support/webrtc.js';
import {
  ALICE,
  BOB,
  ControllerRoom,
  connectCall,
  findCall,
  type Side,
} from '../integration/controller/controller-room.js';

const CALLS = 100;

interface Tracked {
  readonly connections: RTCPeerConnection[];
  readonly tracks: MediaStreamTrack[];
  restore(): void;
}

function track(): Tracked {
  const connections: RTCPeerConnection[] = [];
  const tracks: MediaStreamTrack[] = [];
  const OriginalPeerConnection = window.RTCPeerConnection;
  const devices = navigator.mediaDevices;
  const originalGetUserMedia = devices.getUserMedia;
  class TrackedPeerConnection extends OriginalPeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      connections.push(this);
    }
  }
  window.RTCPeerConnection = TrackedPeerConnection;
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await originalGetUserMedia.call(devices, constraints);
    tracks.push(...stream.getTracks());
    return stream;
  };
  return {
    connections,
    tracks,
    restore: () => {
      window.RTCPeerConnection = OriginalPeerConnection;
      devices.getUserMedia = originalGetUserMedia;
    },
  };
}

const openConnections = (t: Tracked) => t.connections.filter((pc) => pc.signalingState !== 'closed');
const liveTracks = (t: Tracked) => t.tracks.filter((track) => track.readyState === 'live');

describe('100 consecutive 1:1 calls leave nothing open (adversarial)', function () {
  this.timeout(120_000);
  let room: ControllerRoom | undefined;
  let tracked: Tracked | undefined;

  afterEach(() => {
    room?.dispose();
    tracked?.restore();
  });

  it(`after ${CALLS} calls placed, answered and hung up in turn: 0 peer connections open, 0 local tracks live`, async () => {
    tracked = track();
    room = new ControllerRoom({ members: [BOB] });
    // Candidates sent in short batches, to keep 100 calls quick; nothing else differs from the defaults.
    const controller = {
      settings: { groupCalls: false, walkieTalkie: false },
      timings: { firstCandidateBatchMs: 20, candidateBatchMs: 50 },
    };
    const alice = await room.side(ALICE, 'ALICEDEV', { controller });
    const bob = await room.side(BOB, 'BOBDEV', { controller });
    const ended = (side: Side, callId: string) => findCall(side, (c) => c.id === callId)?.state === 'ended';

    for (let i = 0; i < CALLS; i++) {
      // Each side places every other call, and each side hangs up every other call.
      const [caller, callee] = i % 2 === 0 ? [alice, bob] : [bob, alice];
      const callId = await connectCall(caller, callee, 'voice');
      const hangingUp = i % 4 < 2 ? caller : callee;
      await hangingUp.controller.hangup(callId);
      await waitFor(() => ended(alice, callId) && ended(bob, callId), `call ${i + 1} ended on both sides`);
    }

    expect(tracked.connections.length, 'two connections per call').to.equal(2 * CALLS);
    expect(tracked.tracks.length, 'one microphone track per side per call').to.equal(2 * CALLS);
    await waitFor(() => openConnections(tracked!).length === 0, 'every connection closed');
    expect(openConnections(tracked).length).to.equal(0);
    expect(liveTracks(tracked).length).to.equal(0);
    expect(alice.controller.snapshot.calls.filter((c) => c.state !== 'ended')).to.have.length(0);
  });
});
