/**
 * The browser's real media (fake devices in the test browser, whose flags also let getDisplayMedia
 * pick a screen without a prompt) behind LocalMediaSource, recording what was asked for.
 *
 * Owns: the request log. Never: fakes a stream.
 */
import { BrowserMediaSource } from '../../src/media/local-media.js';
import type { LocalMediaSource } from '../../src/call/peer-call-contract.js';
import type { CallKind } from '../../src/snapshot.js';

export class RecordingMediaSource implements LocalMediaSource {
  private readonly devices = new BrowserMediaSource();
  readonly userMediaRequests: CallKind[] = [];
  displayRequests = 0;

  getUserMedia(kind: CallKind): Promise<MediaStream> {
    this.userMediaRequests.push(kind);
    return this.devices.getUserMedia(kind);
  }

  getDisplayMedia(): Promise<MediaStream> {
    this.displayRequests++;
    return this.devices.getDisplayMedia();
  }
}
