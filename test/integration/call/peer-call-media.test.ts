// Mid-call changes over real connections: hold, mute, screen share, voice to video, DTMF.
import { expect } from '@open-wc/testing';
import { CallPair } from './call-pair.js';
import { waitFor } from '../../support/webrtc.js';
import type { CallMetadataChanged } from '../../../src/signalling/voip/types.js';

describe('PeerCall: changes during a call', () => {
  let pair: CallPair;
  afterEach(() => pair?.dispose());

  it('hold is seen by the other side and resume lifts it', async () => {
    pair = new CallPair();
    await pair.connect();
    await pair.alice.setHold(true);
    await waitFor(() => pair.bob.view.remoteOnHold, 'Bob sees he is on hold');
    expect(pair.alice.view).to.include({ onHold: true, remoteOnHold: false });
    expect(pair.bob.view.onHold).to.equal(false);
    expect(pair.sent('alice', 'negotiate').length).to.be.greaterThan(0);
    expect(pair.alice.localUserMedia!.getTracks().every((t) => !t.enabled)).to.equal(
      true,
      'tracks off on hold',
    );
    await waitFor(() => pair.alice.peerConnection!.signalingState === 'stable', 'Alice stable');
    expect(pair.alice.view.remoteOnHold).to.equal(false, 'the answer to a hold is not a hold');

    await pair.alice.setHold(false);
    await waitFor(() => !pair.bob.view.remoteOnHold, 'Bob off hold');
    expect(pair.alice.localUserMedia!.getTracks().every((t) => t.enabled)).to.equal(true);
    await pair.mediaFlowsBothWays();
  });

  it('both holding: each sees the other on hold until both resume', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.connect();
    await pair.bob.setHold(true);
    await waitFor(() => pair.alice.view.remoteOnHold, 'Alice sees hold');
    await pair.alice.setHold(true);
    await waitFor(
      () => pair.bob.view.remoteOnHold && pair.alice.peerConnection!.signalingState === 'stable',
      'Bob sees hold',
    );
    expect(pair.alice.view.remoteOnHold).to.equal(true);
    await pair.alice.setHold(false);
    await waitFor(() => !pair.bob.view.remoteOnHold, 'Bob sees resume');
    await waitFor(() => pair.alice.peerConnection!.signalingState === 'stable', 'Alice stable');
    expect(pair.alice.view.remoteOnHold).to.equal(true, 'Bob still holds');
  });

  it('mute is seen remotely through sdp_stream_metadata and switches tracks off', async () => {
    pair = new CallPair();
    await pair.connect();
    await pair.alice.setMicMuted(true);
    await waitFor(() => pair.bob.view.remoteStreams[0]?.audioMuted === true, 'Bob sees mic muted');
    expect(pair.bob.view.remoteStreams[0]!.videoMuted).to.equal(false);
    const changed = pair.sent('alice', 'metadata_changed') as CallMetadataChanged[];
    expect(changed).to.have.length(1);
    expect(changed[0]!.sdp_stream_metadata[pair.alice.localUserMedia!.id]).to.deep.equal({
      purpose: 'm.usermedia',
      audio_muted: true,
      video_muted: false,
    });
    expect(pair.alice.localUserMedia!.getAudioTracks()[0]!.enabled).to.equal(false);
    expect(pair.alice.view.micMuted).to.equal(true);

    await pair.alice.setCameraMuted(true);
    await waitFor(() => pair.bob.view.remoteStreams[0]?.videoMuted === true, 'Bob sees camera muted');
    expect(pair.alice.localUserMedia!.getVideoTracks()[0]!.enabled).to.equal(false);
    await pair.alice.setMicMuted(false);
    await waitFor(() => pair.bob.view.remoteStreams[0]?.audioMuted === false, 'Bob sees mic back');
    expect(pair.sent('alice', 'negotiate')).to.have.length(0, 'mute needs no renegotiation');
  });

  it('screen share arrives as a second stream with purpose m.screenshare and goes away when stopped', async () => {
    pair = new CallPair();
    await pair.connect();
    await pair.alice.setScreenSharing(true);
    expect(pair.alice.view.screenSharing).to.equal(true);
    expect(pair.aliceMedia.displayRequests).to.equal(1, 'the real getDisplayMedia');
    const localScreen = pair.alice.view.localStreams.find((s) => s.purpose === 'm.screenshare')!;
    expect(localScreen).to.not.equal(undefined);
    await waitFor(() => pair.bob.view.remoteStreams.length === 2, 'Bob sees two streams');
    const remoteScreen = pair.bob.view.remoteStreams.find((s) => s.purpose === 'm.screenshare')!;
    expect(remoteScreen.id).to.equal(localScreen.id);
    expect(remoteScreen.stream.getVideoTracks()).to.have.length(1);
    expect(pair.bob.view.remoteStreams.find((s) => s.purpose === 'm.usermedia')!.id).to.equal(
      pair.alice.localUserMedia!.id,
    );
    await waitFor(() => !remoteScreen.stream.getVideoTracks()[0]!.muted, 'screen frames arrive');

    await pair.alice.setScreenSharing(false);
    await waitFor(() => pair.bob.view.remoteStreams.length === 1, 'Bob sees the screen go');
    expect(pair.bob.view.remoteStreams[0]!.purpose).to.equal('m.usermedia');
    expect(pair.alice.view.screenSharing).to.equal(false);
    expect(localScreen.stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('unmuting the camera on a voice call turns it into a video call by renegotiation', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.connect();
    expect(pair.alice.view).to.include({ kind: 'voice', cameraMuted: true });
    expect(pair.bob.view.kind).to.equal('voice');
    await pair.alice.setCameraMuted(false);
    expect(pair.alice.view).to.include({ kind: 'video', cameraMuted: false });
    await waitFor(
      () => (pair.bob.view.remoteStreams[0]?.stream.getVideoTracks().length ?? 0) === 1,
      'Bob gets a video track',
    );
    await waitFor(() => pair.bob.view.remoteStreams[0]!.videoMuted === false, 'Bob sees the camera on');
    expect(pair.bob.view.kind).to.equal('video');
    expect(pair.bob.view.remoteStreams[0]!.id).to.equal(pair.alice.localUserMedia!.id, 'same stream');
    expect(pair.sent('alice', 'negotiate').length).to.be.greaterThan(0);
    expect(pair.aliceMedia.userMediaRequests).to.deep.equal(['voice', 'video']);
  });

  it('sends DTMF tones on the audio sender', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.connect();
    const sender = pair.alice.peerConnection!.getSenders().find((s) => s.track?.kind === 'audio')!;
    const tones: string[] = [];
    sender.dtmf!.addEventListener('tonechange', (e) => tones.push((e as RTCDTMFToneChangeEvent).tone));
    pair.alice.sendDtmf('1#');
    await waitFor(() => tones.includes(''), 'tones played', 5000);
    expect(tones).to.deep.equal(['1', '#', '']);
  });

  it('unmuting the camera while a voice call rings answers it with video', async () => {
    pair = new CallPair({ kind: 'voice' });
    await pair.alice.place();
    await waitFor(() => pair.bob.view.state === 'ringing', 'Bob rings');
    expect(pair.bob.view.cameraMuted).to.equal(true);
    await pair.bob.setCameraMuted(false);
    await pair.bob.answer();
    await waitFor(
      () => pair.alice.view.state === 'connected' && pair.bob.view.state === 'connected',
      'connected',
    );
    expect(pair.bobMedia.userMediaRequests).to.deep.equal(['video']);
    await waitFor(
      () => pair.alice.view.remoteStreams[0]?.stream.getVideoTracks().length === 1,
      "Alice gets Bob's camera",
    );
    await waitFor(() => pair.alice.view.remoteStreams[0]!.videoMuted === false, 'camera on');
  });
});
