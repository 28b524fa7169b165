/**
 * The widget page as `npm run build` writes it (dist/widget/), served by a plain static server (no
 * rewriting, no bare-import resolution) from 127.0.0.1 while the host page runs on localhost: a
 * cross-origin iframe per person under a real ClientWidgetApi, as in Element Web. Needs `npm run build`
 * first (npm test does it). Nothing here loads the built files through the dev server.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { Demo } from '../../demo/demo-app.js';
import { ALICE, BOB, CAROL, mountDemoForEachTest, until, type MountedDemo } from '../support/demo-page.js';
import {
  clickPart,
  frameOf,
  inFrame,
  shippedOrigin,
  untilInFrame,
  untilView,
  videoCallWithMediaBothWays,
} from '../support/cross-origin-widget.js';

interface BuiltFile {
  path: string;
  bare: string[];
  litDevMode: boolean;
}

/** Remote call tiles whose video plays, counted inside the widget's frame. */
const PLAYING_REMOTE_TILES = `(() => {
  let playing = 0;
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName === 'call-tile' && !el.hasAttribute('local')) {
        const video = el.shadowRoot?.querySelector('video');
        if (video && video.videoWidth > 0) playing++;
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return playing;
})()`;

async function widgetUrl(): Promise<string> {
  return `${await shippedOrigin()}/dist/widget/index.html`;
}

describe('the built widget files', () => {
  it('contain no bare module specifier (a browser resolves none without an import map)', async () => {
    const files = await executeServerCommand<BuiltFile[], undefined>('built-files-scan');
    expect(files.map((f) => f.path)).to.include('dist/widget/widget.js');
    expect(files.length).to.be.greaterThan(5);
    const bare = files.filter((f) => f.bare.length > 0).map((f) => `${f.path}: ${f.bare.join(', ')}`);
    expect(bare).to.deep.equal([]);
  });

  it('carry lit’s production build, not its development build', async () => {
    const files = await executeServerCommand<BuiltFile[], undefined>('built-files-scan');
    expect(files.filter((f) => f.litDevMode).map((f) => f.path)).to.deep.equal([]);
  });
});

describe('the built widget, served statically, cross-origin in a ClientWidgetApi host (shipped)', function () {
  this.timeout(120_000);

  describe('a host that waits for content_loaded (as Element Web does for Element Call)', () => {
    const mounted = mountDemoWith({ waitForContentLoaded: true });

    it('begins once the widget says content_loaded; Alice video-calls Bob, Bob answers, media flows both ways', async () => {
      const { demo } = mounted;
      // The host asks for capabilities only after content_loaded: ready proves the widget sent it.
      await demo.grid.widgetOf(ALICE)!.ready;
      await demo.grid.widgetOf(BOB)!.ready;
      await oneToOneCall(demo);
    });
  });

  describe('a host that begins on the iframe’s load event', () => {
    const mounted = mountDemoWith({});

    it('Alice video-calls Bob, Bob answers, media flows both ways', async () => {
      const { demo } = mounted;
      await oneToOneCall(demo);
    });

    it('Alice, Bob and Carol join the room’s group call and each sees both others’ cameras', async () => {
      const { demo } = mounted;
      const team = demo.world.rooms.find((room) => room.members.length === 3)!;
      demo.selectRoom(team.roomId);
      for (const person of [ALICE, BOB, CAROL]) {
        const frame = frameOf(person);
        const view = await untilView(frame, 'idle', 'incoming');
        await clickPart(frame, view === 'incoming' ? 'answer-video-button' : 'join-group-button');
        await untilView(frame, 'group-call');
      }
      for (const person of [ALICE, BOB, CAROL]) {
        await untilInFrame(
          `${person} to see both others’ cameras`,
          frameOf(person),
          `${PLAYING_REMOTE_TILES} === 2`,
          60_000,
        );
      }
      const types = new Set(demo.panel.seen.map((row) => row.type));
      expect(
        [...types].some((type) => type.endsWith('call.member')),
        'membership state',
      ).to.equal(true);
    });
  });

  describe('what the widget fetches', () => {
    const mounted = mountDemoWith({});

    it('fetches no group call, SFU or walkie-talkie chunk until a group feature is used; joining the group call fetches the group call chunk', async () => {
      const { demo } = mounted;
      const manifest = await untilInFrame<ChunkManifest>('the build’s chunks.json', frameOf(ALICE), MANIFEST);
      const lazyFiles = (facade: string) =>
        Object.entries(manifest)
          .filter(([, chunk]) => chunk.facade === facade)
          .map(([file]) => file);
      const group = lazyFiles('src/group/session/group-call-session.ts');
      const later = [
        ...group,
        ...lazyFiles('src/group/livekit/livekit-room-adapter.ts'),
        ...lazyFiles('src/ptt/room-walkie-talkie.ts'),
        // The elements only the walkie-talkie view, the device and keypad panels and the question
        // about an untrusted media server show, defined when first shown.
        ...lazyFiles('components/matrix-call/internal/walkie-controls.ts'),
        ...lazyFiles('components/device-select/device-select.ts'),
        ...lazyFiles('components/dtmf-keypad/dtmf-keypad.ts'),
        ...lazyFiles('components/matrix-call/internal/focus-asking.ts'),
      ];
      expect(group, 'the build has a group call chunk').to.have.length(1);
      expect(later, 'the build has each lazily loaded chunk').to.have.length(7);

      // The 1:1 room, and then the team room (a fresh widget page) before anyone joins its group call.
      await untilView(frameOf(ALICE), 'idle');
      const oneToOne = await fetchedChunks(ALICE);
      expect(oneToOne, 'the first load is fetched').to.include('chunks/elements-');
      for (const file of later) expect(oneToOne, `${file} in the 1:1 room`).to.not.include(file);
      const team = demo.world.rooms.find((room) => room.members.length === 3)!;
      demo.selectRoom(team.roomId);
      await untilView(frameOf(ALICE), 'idle');
      const beforeJoin = await fetchedChunks(ALICE);
      for (const file of later)
        expect(beforeJoin, `${file} before a group feature is used`).to.not.include(file);

      await clickPart(frameOf(ALICE), 'join-group-button');
      await untilView(frameOf(ALICE), 'group-call');
      expect(await fetchedChunks(ALICE), 'the group call chunk after joining').to.include(group[0]);
    });
  });
});

type ChunkManifest = Record<string, { facade: string | null; imports: string[]; dynamicImports: string[] }>;

/**
 * The build's chunks.json, fetched inside the frame (same origin as the built files); null while the
 * frame still shows its first blank document, so the probe asks again.
 */
const MANIFEST = `location.protocol.startsWith('http') ? fetch(new URL('./chunks.json', location.href)).then((r) => r.json()) : null`;

/** The chunk files (relative to dist/widget/) the frame has fetched so far, as one string per file. */
async function fetchedChunks(person: string): Promise<string> {
  const files = await inFrame<string[]>(
    frameOf(person),
    `performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.includes('/chunks/')).map((p) => p.slice(p.indexOf('chunks/')))`,
  );
  return (files ?? []).join('\n');
}

/** Mounts the demo host around each test with the built widget page from the static server. */
function mountDemoWith(options: { waitForContentLoaded?: boolean }): MountedDemo {
  let url: string | undefined;
  // Read when each test mounts the demo, after `before` learnt the static server's origin.
  const mounted = mountDemoForEachTest({
    get widgetUrl() {
      return url;
    },
    ...options,
  });
  before(async () => {
    url = await widgetUrl();
  });
  return mounted;
}

async function oneToOneCall(demo: Demo): Promise<void> {
  const pair = demo.world.rooms.find((room) => room.members.length === 2)!;
  expect(demo.grid.currentRoom?.roomId).to.equal(pair.roomId);
  await untilView(frameOf(ALICE), 'idle');
  await untilView(frameOf(BOB), 'idle');
  const iframe = await until('Alice’s widget iframe', () => demo.grid.widgetOf(ALICE)?.iframe);
  expect(new URL(iframe.src).origin, 'the widget is cross-origin to its host').to.not.equal(location.origin);
  expect(iframe.contentDocument === null, 'the host cannot reach into the widget').to.equal(true);
  expect(demo.grid.widgetOf(ALICE)!.approved()).to.include('org.matrix.msc2762.send.event:m.call.invite');

  await videoCallWithMediaBothWays(ALICE, BOB);
}
