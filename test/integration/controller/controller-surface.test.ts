import { walkieTalkieNeeds } from '../../../src/ptt/walkie-needs.js';
import { expect } from '@open-wc/testing';
import { needKey } from '../../../src/transport/needs.js';
import { BrowserMediaSource } from '../../../src/media/local-media.js';
import {
  groupDeclineNeedsExplained,
  groupDisplayNeedsExplained,
  groupJoinNeedsExplained,
} from '../../../src/group/session/group-call-needs.js';
import { oneToOneCallNeeds } from '../../../src/one-to-one/needs.js';
import { ALICE, BOB, ControllerRoom, callsOf, connectCall, ringing, waitForCall } from './controller-room.js';
import { inviteContent } from './raw-invite.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('CallController: surface', () => {
  let room: ControllerRoom;
  afterEach(() => room.dispose());

  it('with group calls and walkie-talkie off, asks the host for exactly the needs of 1:1 calls, and is "starting" until it has', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE', {
      start: false,
      controller: { settings: { groupCalls: false, walkieTalkie: false } },
    });
    expect(alice.controller.snapshot.status).to.equal('starting');
    await alice.controller.start();
    expect(alice.controller.snapshot.status).to.equal('ready');
    const granted = alice.transport.grantedNeeds.map(needKey).sort();
    expect(granted).to.deep.equal(oneToOneCallNeeds().map(needKey).sort());
  });

  it('by default asks at start only for the needs of 1:1 calls and of showing the group call; joining, declining and the walkie-talkie ask for theirs when first used', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    const grantedKeys = () => alice.transport.grantedNeeds.map(needKey).sort();
    const atStart = new Set([
      ...oneToOneCallNeeds().map(needKey),
      ...groupDisplayNeedsExplained().map((e) => needKey(e.need)),
    ]);
    expect(grantedKeys()).to.deep.equal([...atStart].sort());
    for (const key of grantedKeys())
      expect(key, 'nothing written to the room state at start').to.not.match(/^send-state/);

    await alice.controller.joinGroupCall('voice');
    expect(alice.controller.snapshot.error).to.equal(undefined);
    const afterJoin = new Set([
      ...atStart,
      ...groupJoinNeedsExplained(alice.transport, 'mesh').map((e) => needKey(e.need)),
    ]);
    expect(grantedKeys()).to.deep.equal([...afterJoin].sort());
    await alice.controller.leaveGroupCall();

    await alice.controller.setPttOptIn(true);
    expect(alice.controller.snapshot.ptt?.optedIn).to.equal(true);
    const all = new Set([...afterJoin, ...walkieTalkieNeeds(alice.transport).map(needKey)]);
    expect(grantedKeys()).to.deep.equal([...all].sort());
    expect(grantedKeys(), 'a decline is not asked before one is sent').to.not.include(
      needKey(groupDeclineNeedsExplained()[0]!.need),
    );
  });

  it('ignores malformed and hostile m.call.* events without throwing or ringing, and reports them', async () => {
    room = new ControllerRoom();
    const rejected: string[] = [];
    const bob = await room.side(BOB, 'BOBDEVICE', {
      controller: { onRejectedEvent: (reason) => rejected.push(reason) },
    });
    const hs = room.homeserver;
    hs.sendEvent(room.roomId, ALICE, 'm.call.invite', { call_id: 5, version: '1' });
    hs.sendEvent(room.roomId, ALICE, 'm.call.invite', {
      call_id: 'x',
      version: '1',
      party_id: 'P',
      lifetime: 'soon',
    });
    hs.sendEvent(room.roomId, ALICE, 'm.call.hangup', { call_id: 'nobody', version: '1', party_id: 'P' });
    hs.sendEvent(room.roomId, ALICE, 'm.call.answer', { call_id: [], answer: null });
    await settle();
    expect(callsOf(bob)).to.have.length(0);
    expect(rejected.length).to.be.greaterThan(2);
    expect(bob.controller.snapshot.status).to.equal('ready');
    // A good invite afterwards still rings.
    hs.sendEvent(room.roomId, ALICE, 'm.call.invite', await inviteContent('good'));
    await waitForCall(bob, ringing, 'the good invite to ring');
  });

  it('selectDevice: the chosen microphone is asked for on the next call', async () => {
    room = new ControllerRoom();
    // The controller's default media source: the browser's devices.
    const alice = await room.side(ALICE, 'ALICEDEVICE', { controller: { media: new BrowserMediaSource() } });
    const bob = await room.side(BOB, 'BOBDEVICE');
    const devices = await navigator.mediaDevices.enumerateDevices();
    const mic = devices.find((d) => d.kind === 'audioinput' && d.deviceId && d.deviceId !== 'default');
    if (!mic) throw new Error('the test browser offers no fake microphone');
    await alice.controller.selectDevice('audioinput', mic.deviceId);
    await alice.controller.selectDevice('audiooutput', 'speaker-1');
    expect(alice.controller.audioOutputDeviceId).to.equal('speaker-1');
    const callId = await connectCall(alice, bob, 'voice');
    const track = alice.controller.snapshot.calls
      .find((c) => c.id === callId)!
      .localStreams[0]!.stream.getAudioTracks()[0]!;
    expect(track.getSettings().deviceId).to.equal(mic.deviceId);
  });

  it('a media failure while placing shows as an error in plain words and ends the call', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE', { controller: { media: new BrowserMediaSource() } });
    await room.side(BOB, 'BOBDEVICE');
    await alice.controller.selectDevice('videoinput', 'no-such-camera');
    await alice.controller.placeCall('video');
    const snapshot = alice.controller.snapshot;
    expect(snapshot.status).to.equal('ready');
    expect(snapshot.error?.code).to.equal('no-device');
    expect(snapshot.error?.message).to.match(/camera/);
    expect(snapshot.calls[0]?.hangupReason).to.equal('user_media_failed');
    expect(room.sent('m.call.invite')).to.have.length(0);
  });

  it('close hangs up the call in progress', async () => {
    room = new ControllerRoom();
    const alice = await room.side(ALICE, 'ALICEDEVICE');
    const bob = await room.side(BOB, 'BOBDEVICE');
    const callId = await connectCall(alice, bob, 'voice');
    alice.controller.close();
    const ended = await waitForCall(bob, (c) => c.id === callId && c.state === 'ended', 'Bob to see the end');
    expect(ended.hangupParty).to.equal('remote');
  });
});
