/**
 * AudioElementSink: the page's default walkie-talkie output, one detached audio element per item.
 *
 * Owns: playing a live stream or a recording file and telling when a file ended. Never: inserts anything into
 * the document, or keeps an object URL after the file stopped.
 */
import type { AudioSink, FilePlayback, PlayingHandle } from './playback-queue.js';

export class AudioElementSink implements AudioSink {
  playStream(stream: MediaStream): PlayingHandle {
    const element = new Audio();
    element.srcObject = stream;
    void element.play().catch(() => undefined);
    return {
      stop() {
        element.pause();
        element.srcObject = null;
      },
    };
  }

  playFile(file: Blob): FilePlayback {
    const url = URL.createObjectURL(file);
    const element = new Audio(url);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = () => {
        URL.revokeObjectURL(url);
        resolve();
      };
    });
    element.addEventListener('ended', finish, { once: true });
    element.addEventListener('error', finish, { once: true });
    void element.play().catch(finish);
    return {
      done,
      stop() {
        element.pause();
        finish();
      },
      pause() {
        element.pause();
      },
      resume() {
        void element.play().catch(finish);
      },
    };
  }
}
