import { expect } from '@open-wc/testing';
import {
  ALICE,
  BOB,
  ControllerRoom,
  connectCall,
  findCall,
  waitForCall,
  type Side,
} from './controller-room.js';

describe('CallController: mute and hold across the call', () => {
  let room: ControllerRoom;
  let alice: Side;
  let bob: Side;
  let callId: string;

  beforeEach(async () => {
    room = new ControllerRoom();
    alice = await room.side(ALICE, 'ALICEDEVICE');
    bob = await room.side(BOB, 'BOBDEVICE');
    callId = await connectCall(alice, bob, 'video');
    await waitForCall(bob, (c) => c.id === callId && c.remoteStreams.length > 0, 'Alice’s stream at Bob');
  });
  afterEach(() => room.dispose());

  it('muting the microphone and camera is seen by the other side', async () => {
    const before = findCall(bob, (c) => c.id === callId)!.remoteStreams[0]!;
    expect(before.audioMuted).to.equal(false);
    expect(before.videoMuted).to.equal(false);

    await alice.controller.setMicMuted(callId, true);
    expect(findCall(alice, (c) => c.id === callId)!.micMuted).to.equal(true);
    await waitForCall(
      bob,
      (c) => c.id === callId && c.remoteStreams[0]?.audioMuted === true,
      'mic mute at Bob',
    );

    await alice.controller.setCameraMuted(callId, true);
    await waitForCall(
      bob,
      (c) => c.id === callId && c.remoteStreams[0]?.videoMuted === true,
      'camera mute at Bob',
    );

    await alice.controller.setMicMuted(callId, false);
    await waitForCall(
      bob,
      (c) => c.id === callId && c.remoteStreams[0]?.audioMuted === false,
      'unmute at Bob',
    );
    expect(room.sent('m.call.sdp_stream_metadata_changed', ALICE).length).to.be.greaterThan(2);
  });

  it('holding shows onHold here and remoteOnHold there, and resuming clears both', async () => {
    await alice.controller.setHold(callId, true);
    expect(findCall(alice, (c) => c.id === callId)!.onHold).to.equal(true);
    await waitForCall(bob, (c) => c.id === callId && c.remoteOnHold, 'Bob to see the hold');
    await alice.controller.setHold(callId, false);
    expect(findCall(alice, (c) => c.id === callId)!.onHold).to.equal(false);
    await waitForCall(bob, (c) => c.id === callId && !c.remoteOnHold, 'Bob to see the resume');
    expect(findCall(bob, (c) => c.id === callId)!.state).to.equal('connected');
  });

  it('screen sharing is seen remotely as a second stream with purpose m.screenshare', async () => {
    await alice.controller.setScreenSharing(callId, true);
    expect(findCall(alice, (c) => c.id === callId)!.screenSharing).to.equal(true);
    await waitForCall(
      bob,
      (c) => c.id === callId && c.remoteStreams.some((s) => s.purpose === 'm.screenshare'),
      'the screen at Bob',
    );
    await alice.controller.setScreenSharing(callId, false);
    await waitForCall(
      bob,
      (c) => c.id === callId && !c.remoteStreams.some((s) => s.purpose === 'm.screenshare'),
      'the screen to go at Bob',
    );
  });

  it('DTMF tones go out on the call’s audio sender', async () => {
    alice.controller.sendDtmf(callId, '123#');
    const sender = alice.controller
      .peerCall(callId)!
      .peerConnection!.getSenders()
      .find((s) => s.track?.kind === 'audio')!;
    expect(sender.dtmf?.toneBuffer).to.equal('123#');
  });

  it('TURN servers the host hands out reach the call’s connection', async () => {
    room.homeserver.setTurnServers([
      { urls: ['turn:turn.test.invalid:3478'], username: 'u', credential: 'p' },
    ]);
    const pc = alice.controller.peerCall(callId)!.peerConnection!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const servers = pc.getConfiguration().iceServers ?? [];
    expect(servers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))).to.include(
      'turn:turn.test.invalid:3478',
    );
  });

  it('the other person leaving the room ends the call with peer_left', async () => {
    room.homeserver.leave(room.roomId, BOB);
    const ended = await waitForCall(
      alice,
      (c) => c.id === callId && c.state === 'ended',
      'Alice’s call to end',
    );
    expect(ended.hangupReason).to.equal('peer_left');
    expect(ended.hangupParty).to.equal('remote');
    expect(alice.controller.snapshot.room.canCall).to.equal(false);
  });
});
