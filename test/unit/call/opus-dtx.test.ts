import { expect } from '@open-wc/testing';
import {
  asksOpusDtx,
  opusPayloadTypes,
  setLocalDescriptionWithOpusDtx,
  withOpusDtx,
} from '../../../src/call/opus-dtx.js';

const sdp = (...lines: string[]) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...lines].join('\r\n') + '\r\n';

const AUDIO = [
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0',
  'a=mid:0',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
];

describe('Opus DTX in a session description', () => {
  it('adds usedtx=1 to the Opus fmtp line and leaves every other line as it was', () => {
    const before = sdp(...AUDIO);
    const after = withOpusDtx(before);
    expect(after).to.contain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n');
    expect(after).to.contain('a=fmtp:63 111/111\r\n');
    const changed = after.split('\r\n').filter((line, i) => line !== before.split('\r\n')[i]);
    expect(changed).to.deep.equal(['a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1']);
    expect(after.endsWith('\r\n')).to.equal(true);
    expect(asksOpusDtx(before)).to.equal(false);
    expect(asksOpusDtx(after)).to.equal(true);
  });

  it('turns usedtx=0 on, and is idempotent', () => {
    const off = sdp(
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 usedtx=0; stereo=1',
    );
    const on = withOpusDtx(off);
    expect(on).to.contain('a=fmtp:111 usedtx=1;stereo=1\r\n');
    expect(withOpusDtx(on)).to.equal(on);
  });

  it('adds an fmtp line after the rtpmap of an Opus payload type that has none, for each Opus type', () => {
    const two = sdp(
      'm=audio 9 UDP/TLS/RTP/SAVPF 111 112',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:112 OPUS/48000',
      'a=fmtp:112 minptime=20',
    );
    expect(opusPayloadTypes(two)).to.deep.equal(['111', '112']);
    const lines = withOpusDtx(two).split('\r\n');
    const at = lines.indexOf('a=rtpmap:111 opus/48000/2');
    expect(lines[at + 1]).to.equal('a=fmtp:111 usedtx=1');
    expect(lines).to.include('a=fmtp:112 minptime=20;usedtx=1');
    expect(lines.filter((l) => l.startsWith('a=fmtp:111'))).to.have.length(1);
  });

  it('returns an SDP without Opus unchanged, and keeps plain \\n line endings', () => {
    const noOpus = sdp(
      'm=audio 9 UDP/TLS/RTP/SAVPF 0',
      'a=rtpmap:0 PCMU/8000',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    );
    expect(withOpusDtx(noOpus)).to.equal(noOpus);
    expect(asksOpusDtx(noOpus)).to.equal(false);
    const lf = AUDIO.join('\n') + '\n';
    const out = withOpusDtx(lf);
    expect(out).to.not.contain('\r');
    expect(out).to.contain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\n');
  });

  it('a browser offer and answer set with it keep usedtx=1 in the local descriptions', async () => {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    try {
      a.addTransceiver('audio', { direction: 'sendrecv' });
      await setLocalDescriptionWithOpusDtx(a);
      expect(a.localDescription!.type).to.equal('offer');
      expect(asksOpusDtx(a.localDescription!.sdp)).to.equal(true);
      await b.setRemoteDescription(a.localDescription!);
      await setLocalDescriptionWithOpusDtx(b);
      expect(b.localDescription!.type).to.equal('answer');
      expect(asksOpusDtx(b.localDescription!.sdp)).to.equal(true);
      await a.setRemoteDescription(b.localDescription!);
      expect(a.signalingState).to.equal('stable');
    } finally {
      a.close();
      b.close();
    }
  });
});
