import { expect } from '@open-wc/testing';
import type { LivekitFocus } from '../../../../src/group/livekit/focus.js';
import { MAX_REMOTE_FOCI, RemoteFoci } from '../../../../src/group/livekit/remote-foci.js';
import type { SfuRoom } from '../../../../src/group/livekit/sfu-room.js';

const focus = (host: string): LivekitFocus => ({ type: 'livekit', serviceUrl: `https://${host}/jwt` });

/** A labelled test double of a subscriber room: records disconnects. */
function roomDouble(log: string[], name: string): SfuRoom {
  return {
    keySink: undefined,
    state: { connection: 'connected', remotes: [], activeSpeakers: [], localSpeaking: false },
    onChange: () => () => undefined,
    onEnded: () => () => undefined,
    connect: async () => undefined,
    publishUserMedia: async () => undefined,
    setMuted: async () => undefined,
    publishScreen: async () => undefined,
    unpublishScreen: async () => undefined,
    disconnect: async () => {
      log.push(`disconnect ${name}`);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RemoteFoci (subscriber rooms of a multi-SFU call)', () => {
  it('opens one room per other focus, remembers refusals, and closes rooms no member uses any more', async () => {
    const log: string[] = [];
    const foci = new RemoteFoci({
      open: async (f) => {
        log.push(`open ${f.serviceUrl}`);
        if (f.serviceUrl.includes('evil')) throw new Error('not trusted: your identity was not sent');
        return roomDouble(log, f.serviceUrl);
      },
      onChange: () => undefined,
      log: () => undefined,
    });
    foci.update([focus('east.example'), focus('evil.example')]);
    foci.update([focus('east.example'), focus('evil.example')]);
    await settle();
    expect(log, 'each focus opened once').to.deep.equal([
      'open https://east.example/jwt',
      'open https://evil.example/jwt',
    ]);
    expect(foci.rooms).to.have.length(1);
    expect(foci.refused.map((r) => r.focus.serviceUrl)).to.deep.equal(['https://evil.example/jwt']);
    foci.update([]);
    await settle();
    expect(log.at(-1)).to.equal('disconnect https://east.example/jwt');
    expect(foci.rooms).to.have.length(0);
    expect(foci.refused).to.have.length(0);
  });

  it('connects to at most MAX_REMOTE_FOCI other foci, and a room that opens after closeAll is disconnected', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const foci = new RemoteFoci({
      open: async (f) => {
        await gate;
        return roomDouble(log, f.serviceUrl);
      },
      onChange: () => undefined,
      log: () => undefined,
    });
    foci.update(Array.from({ length: MAX_REMOTE_FOCI + 5 }, (_, i) => focus(`n${i}.example`)));
    await foci.closeAll();
    release();
    await settle();
    await settle();
    expect(log.filter((l) => l.startsWith('disconnect'))).to.have.length(MAX_REMOTE_FOCI);
    expect(foci.rooms).to.have.length(0);
  });
});
