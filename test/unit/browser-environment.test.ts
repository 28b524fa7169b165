import { expect } from '@open-wc/testing';
import { inboundBytes, linkCandidates, waitFor } from '../support/webrtc.js';

describe('the test browser', () => {
  it('gives an audio and a video track from fake devices', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    try {
      expect(stream.getAudioTracks()).to.have.length(1);
      expect(stream.getVideoTracks()).to.have.length(1);
      expect(stream.getVideoTracks()[0]!.readyState).to.equal('live');
    } finally {
      stream.getTracks().forEach((t) => t.stop());
    }
  });

  it('connects two RTCPeerConnections over loopback with media flowing', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    try {
      linkCandidates(a, b);
      stream.getTracks().forEach((t) => a.addTrack(t, stream));
      const offer = await a.createOffer();
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      await b.setLocalDescription(answer);
      await a.setRemoteDescription(answer);
      await waitFor(() => b.connectionState === 'connected', 'the peer connection to connect');
      let bytes = await inboundBytes(b);
      for (let i = 0; i < 50 && bytes <= 1000; i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        bytes = await inboundBytes(b);
      }
      expect(bytes).to.be.greaterThan(1000);
    } finally {
      a.close();
      b.close();
      stream.getTracks().forEach((t) => t.stop());
    }
  });
});
