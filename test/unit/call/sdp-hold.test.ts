import { expect } from '@open-wc/testing';
import { holdsOtherSide, mediaDirections } from '../../../src/call/sdp-hold.js';

const sdp = (...sections: string[]) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...sections].join('\r\n') + '\r\n';
const audio = (dir?: string, port = 9) =>
  `m=audio ${port} UDP/TLS/RTP/SAVPF 111\r\na=mid:0${dir ? `\r\na=${dir}` : ''}`;
const video = (dir?: string, port = 9) =>
  `m=video ${port} UDP/TLS/RTP/SAVPF 96\r\na=mid:1${dir ? `\r\na=${dir}` : ''}`;

describe('hold read from a session description', () => {
  it('reads each live media section direction, defaulting to the session level', () => {
    expect(mediaDirections(sdp(audio('sendrecv'), video('recvonly')))).to.deep.equal([
      'sendrecv',
      'recvonly',
    ]);
    expect(mediaDirections(sdp('a=sendonly', audio(), video('inactive')))).to.deep.equal([
      'sendonly',
      'inactive',
    ]);
    expect(mediaDirections(sdp(audio('sendrecv'), video('sendrecv', 0)))).to.deep.equal(['sendrecv']);
    expect(mediaDirections(sdp(audio(), 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel'))).to.deep.equal([
      'sendrecv',
    ]);
  });

  it('a side receiving nothing holds the other', () => {
    expect(holdsOtherSide(sdp(audio('sendonly'), video('sendonly')))).to.equal(true);
    expect(holdsOtherSide(sdp(audio('sendonly'), video('inactive')))).to.equal(true);
    expect(holdsOtherSide(sdp(audio('inactive')))).to.equal(true);
  });

  it('a side receiving anything does not', () => {
    expect(holdsOtherSide(sdp(audio('sendrecv'), video('inactive')))).to.equal(false);
    expect(holdsOtherSide(sdp(audio('recvonly')))).to.equal(false);
    expect(holdsOtherSide(sdp(audio()))).to.equal(false);
    expect(holdsOtherSide(sdp())).to.equal(false);
    expect(holdsOtherSide(sdp(audio('sendonly', 0)))).to.equal(false, 'rejected sections do not count');
  });
});

describe('hold directions', () => {
  it('sendonly or inactive on hold, sendrecv or recvonly after', async () => {
    const { holdDirection } = await import('../../../src/call/hold-directions.js');
    expect(holdDirection(true, true)).to.equal('sendonly');
    expect(holdDirection(true, false)).to.equal('inactive');
    expect(holdDirection(false, true)).to.equal('sendrecv');
    expect(holdDirection(false, false)).to.equal('recvonly');
  });
});
