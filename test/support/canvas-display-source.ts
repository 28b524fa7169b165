/**
 * TEST DOUBLE of a screen for screen sharing: headless Chromium refuses getDisplayMedia without a
 * user gesture, so the "screen" here is a canvas that keeps drawing, captured as a video stream.
 * Camera and microphone are the browser's real (fake-device) getUserMedia.
 *
 * Owns: the canvas and its animation. Never: pretends to be a camera.
 */
import { BrowserMediaSource } from '../../src/media/local-media.js';
import type { LocalMediaSource } from '../../src/call/peer-call-contract.js';
import type { CallKind } from '../../src/snapshot.js';

export class CanvasScreenMediaSource implements LocalMediaSource {
  private readonly devices = new BrowserMediaSource();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  displayRequests = 0;
  userMediaRequests: CallKind[] = [];

  getUserMedia(kind: CallKind): Promise<MediaStream> {
    this.userMediaRequests.push(kind);
    return this.devices.getUserMedia(kind);
  }

  async getDisplayMedia(): Promise<MediaStream> {
    this.displayRequests++;
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const context = canvas.getContext('2d')!;
    let frame = 0;
    const draw = () => {
      frame++;
      context.fillStyle = `hsl(${(frame * 7) % 360} 60% 50%)`;
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.fillStyle = '#fff';
      context.fillText(`screen ${frame}`, 10, 20);
    };
    draw();
    this.timers.push(setInterval(draw, 50));
    return canvas.captureStream(15);
  }

  dispose(): void {
    for (const t of this.timers) clearInterval(t);
  }
}
