/**
 * Layout rules of <matrix-call>, measured on element boxes (not pixels): the 1:1 video keeps its
 * shape with a small self view, the voice view, the group grid's reflow, the screen share as the
 * largest tile, overlays and panels inside the box, one-row controls and no horizontal scroll at 375 px.
 * Screenshots are saved to test-results/screenshots for people to look at; nothing compares pixels.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../index.js';
import type { MatrixCall } from './matrix-call.js';
import type { CallTile } from '../call-tile/call-tile.js';
import {
  TestCallController,
  alice,
  bob,
  callOf,
  participantOf,
  snapshotOf,
  streamOf,
} from '../../test/support/test-call-controller.js';
import { deepActiveElement, deepQuery, settle, transitionsDone } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';
import type { CallControllerApi, ParticipantView, StreamView } from '../../src/snapshot.js';
import { fitGrid, nearestCorner } from './internal/stage-layout.js';

async function mount(controller: CallControllerApi, width: number, height: number, theme = 'light') {
  const el = await fixture<MatrixCall>(
    html`<matrix-call
      theme=${theme}
      style="display:block;width:${width}px;height:${height}px"
    ></matrix-call>`,
  );
  el.controller = controller;
  await settle(el);
  return el;
}

/** Waits on a real condition, one frame at a time (the test's own timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => requestAnimationFrame(r));
}

const part = (el: MatrixCall, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const box = (el: Element) => el.getBoundingClientRect();
const area = (r: DOMRect) => r.width * r.height;
const inside = (inner: DOMRect, outer: DOMRect, slack = 1) =>
  inner.left >= outer.left - slack &&
  inner.top >= outer.top - slack &&
  inner.right <= outer.right + slack &&
  inner.bottom <= outer.bottom + slack;

/** A stream of a canvas of the given size (a camera of that shape). */
function cameraOf(width: number, height: number, patch: Partial<StreamView> = {}): StreamView {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  const paint = () => {
    g.fillStyle = '#2d6cdf';
    g.fillRect(0, 0, width, height);
  };
  paint();
  const stream = canvas.captureStream(10);
  const timer = setInterval(paint, 100);
  stream.getVideoTracks()[0]!.addEventListener('ended', () => clearInterval(timer));
  return { ...streamOf(patch), stream };
}

function videoCall(remote: StreamView, local: StreamView) {
  return new TestCallController(
    snapshotOf({
      calls: [callOf({ remoteStreams: [remote], localStreams: [local], connectedAt: Date.now() })],
    }),
  );
}

describe('<matrix-call> layout', () => {
  afterEach(async () => {
    document.body.style.margin = '';
    await setViewport({ width: 800, height: 600 });
  });

  for (const [width, height, label] of [
    [720, 480, 'widget'],
    [375, 640, 'phone'],
  ] as const) {
    it(`1:1 video (${label}): the remote keeps its 16:9 shape and the self view is at least 3x smaller`, async () => {
      await setViewport({ width: Math.max(width, 400), height: Math.max(height, 600) });
      const el = await mount(
        videoCall(cameraOf(320, 180), cameraOf(320, 180, { local: true, userId: alice.userId })),
        width,
        height,
      );
      const main = el.shadowRoot!.querySelector<CallTile>('call-tile.main')!;
      const pip = el.shadowRoot!.querySelector<CallTile>('call-tile.pip')!;
      await until(() => main.videoAspect > 0 && pip.videoAspect > 0);
      await settle(el);
      const m = box(main);
      const p = box(pip);
      expect(m.width / m.height, 'remote box aspect').to.be.within(1.72, 1.84);
      expect(area(m) / area(p), 'remote area / self-view area').to.be.at.least(3);
      expect(inside(p, m), 'the self view sits on the remote video').to.equal(true);
      expect(area(p) / area(box(part(el, 'pip')!)), 'the self view fills its frame').to.be.above(0.95);
      expect(area(m) / area(p), 'the self view is still a readable picture').to.be.below(25);
      expect(p.width / p.height, 'self view aspect').to.be.within(1.72, 1.84);
      const stage = box(part(el, 'stage')!);
      // No letterbox band: the remote fills the stage along one axis.
      expect(Math.max(m.width / stage.width, m.height / stage.height)).to.be.above(0.97);
      expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(width);
      await saveScreenshot(`layout-1to1-${label}`, 'matrix-call');
    });
  }

  it('1:1 video: a portrait remote camera gets a portrait box; the self view swaps and moves by keyboard', async () => {
    const el = await mount(
      videoCall(cameraOf(180, 320), cameraOf(320, 180, { local: true, userId: alice.userId })),
      720,
      480,
    );
    const main = el.shadowRoot!.querySelector<CallTile>('call-tile.main')!;
    await until(() => main.videoAspect > 0);
    await settle(el);
    const m = box(main);
    expect(m.width / m.height).to.be.within(0.53, 0.6);
    const swap = part(el, 'swap-button')!;
    expect(part(el, 'pip')!.dataset.corner).to.equal('bottom-end');
    swap.focus();
    await sendKeys({ press: 'ArrowUp' });
    await settle(el);
    expect(part(el, 'pip')!.dataset.corner).to.equal('top-end');
    const pipBox = box(part(el, 'pip')!);
    expect(pipBox.top - box(main).top).to.be.below(20);
    swap.click();
    await settle(el);
    expect(
      el.shadowRoot!.querySelector<CallTile>('call-tile.main')!.local,
      'swapped: the self view is large',
    ).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('voice call: the avatar and name, no video tiles and no camera-off badges', async () => {
    const controller = new TestCallController(
      snapshotOf({
        calls: [
          callOf({
            kind: 'voice',
            remoteStreams: [streamOf({ withAudio: true })],
            localStreams: [streamOf({ local: true })],
            connectedAt: Date.now(),
          }),
        ],
      }),
    );
    const el = await mount(controller, 375, 560);
    expect(part(el, 'stage')!.dataset.layout).to.equal('voice');
    expect(el.shadowRoot!.querySelectorAll('call-tile').length).to.equal(0);
    expect(deepQuery(el, '[part~="camera-off"]')).to.equal(null);
    expect(part(el, 'voice-name')!.textContent).to.equal('Bob Builder');
    const avatar = box(part(el, 'voice-avatar')!);
    expect(Math.abs(avatar.width - avatar.height)).to.be.below(1);
    expect(inside(avatar, box(part(el, 'stage')!))).to.equal(true);
    expect(deepQuery(el, '[part~="camera-button"]')).to.equal(null);
    await expect(el).to.be.accessible();
    await saveScreenshot('layout-voice', 'matrix-call');
  });

  it('group grid: 1, 2, 3, 4, 6 and 9 tiles keep 16:9, stay inside the stage and reflow', async () => {
    const people: ParticipantView[] = Array.from({ length: 9 }, (_, i) =>
      participantOf(
        { userId: `@p${i}:example.org`, displayName: `Person ${i}` },
        { local: i === 0, videoMuted: true },
      ),
    );
    const controller = new TestCallController(
      snapshotOf({
        group: { state: 'joined', backend: 'mesh', ongoing: true, participants: people.slice(0, 1) },
      }),
    );
    const el = await mount(controller, 900, 560);
    const seen: Record<number, number> = {};
    for (const count of [1, 2, 3, 4, 6, 9]) {
      controller.update({
        group: { state: 'joined', backend: 'mesh', ongoing: true, participants: people.slice(0, count) },
      });
      await settle(el);
      // Wait until the grid was fitted to the stage's current size (the header may have reflowed).
      const fitted = () => {
        const grid = el.shadowRoot!.querySelector<HTMLElement>('.grid-tiles');
        const stageEl = part(el, 'stage');
        if (!grid || !stageEl) return false;
        return (
          grid.dataset.fitted === `${stageEl.clientWidth}x${stageEl.clientHeight}` &&
          el.shadowRoot!.querySelectorAll('call-tile').length === count
        );
      };
      for (;;) {
        await settle(el);
        if (fitted()) break;
        await new Promise((r) => requestAnimationFrame(r));
      }
      const stage = box(part(el, 'stage')!);
      const tiles = [...el.shadowRoot!.querySelectorAll('call-tile')].map(box);
      for (const t of tiles) {
        expect(t.width / t.height, `aspect with ${count} tiles`).to.be.within(1.74, 1.82);
        expect(inside(t, stage), `inside the stage with ${count} tiles`).to.equal(true);
        expect(deepQuery(el, '.avatar')!.getBoundingClientRect().height).to.be.at.most(t.height);
      }
      seen[count] = new Set(tiles.map((t) => Math.round(t.left))).size;
    }
    // A wide stage: 2 side by side, 4 as 2x2 or 4x1, 6 as 3x2, 9 as 3x3 or wider.
    expect(seen[1]).to.equal(1);
    expect(seen[2]).to.equal(2);
    expect(seen[6]).to.be.at.least(3);
    expect(seen[9]).to.be.at.least(3);
    await expect(el).to.be.accessible();
    await saveScreenshot('layout-group-9', 'matrix-call');
    // Narrow and tall: fewer columns.
    el.style.width = '375px';
    el.style.height = '700px';
    await until(
      () => el.shadowRoot!.querySelector<HTMLElement>('.grid-tiles')?.dataset.columns !== String(seen[9]),
    );
    await settle(el);
    const columnsNarrow = Number(el.shadowRoot!.querySelector<HTMLElement>('.grid-tiles')!.dataset.columns);
    expect(columnsNarrow).to.be.below(seen[9]!);
    expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(375);
  });

  it('group spotlight: the active speaker is largest, the others a strip', async () => {
    const people = [
      participantOf(alice, { local: true, videoMuted: true }),
      participantOf(bob, { videoMuted: true }),
      participantOf({ userId: '@carol:example.org', displayName: 'Carol' }, { videoMuted: true }),
    ];
    const controller = new TestCallController(
      snapshotOf({
        group: {
          state: 'joined',
          backend: 'mesh',
          ongoing: true,
          participants: people,
          activeSpeaker: '@carol:example.org',
        },
      }),
    );
    const el = await mount(controller, 720, 480);
    part(el, 'layout-button')!.click();
    await settle(el);
    await transitionsDone();
    const main = el.shadowRoot!.querySelector<CallTile>('call-tile.main')!;
    expect(main.name).to.equal('Carol');
    const strip = [...el.shadowRoot!.querySelectorAll('call-tile.strip')];
    expect(strip.length).to.equal(2);
    for (const t of strip) expect(area(box(main))).to.be.above(area(box(t)) * 3);
    await expect(el).to.be.accessible();
  });

  it('screen share: the shared screen is the largest tile, never carries a mic badge; cameras form a strip', async () => {
    const share = streamOf({ purpose: 'm.screenshare', colour: '#222' });
    const people = [
      participantOf(alice, { local: true, streams: [streamOf({ local: true, userId: alice.userId })] }),
      participantOf(bob, { audioMuted: true, streams: [streamOf(), share] }),
      participantOf({ userId: '@carol:example.org', displayName: 'Carol' }, { streams: [streamOf()] }),
    ];
    const controller = new TestCallController(
      snapshotOf({ group: { state: 'joined', backend: 'mesh', ongoing: true, participants: people } }),
    );
    const el = await mount(controller, 375, 600);
    const tiles = [...el.shadowRoot!.querySelectorAll<CallTile>('call-tile')];
    const largest = tiles.reduce((a, b) => (area(box(a)) >= area(box(b)) ? a : b));
    expect(largest.screenShare).to.equal(true);
    expect(largest.shadowRoot!.querySelector('[part~="mic-muted"]'), 'no mic badge on a screen').to.equal(
      null,
    );
    const bobCamera = tiles.find((t) => t.name === 'Bob Builder' && !t.screenShare)!;
    expect(bobCamera.shadowRoot!.querySelector('[part~="mic-muted"]')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(375);
    await expect(el).to.be.accessible();
    await saveScreenshot('layout-screen-share-375', 'matrix-call');
  });

  it('375 px: no horizontal scroll, Hang up on the same row as the other controls, keypad overlay inside the box', async () => {
    await setViewport({ width: 375, height: 640 });
    document.body.style.margin = '0';
    const el = await mount(
      videoCall(cameraOf(320, 180), cameraOf(320, 180, { local: true, userId: alice.userId })),
      375,
      640,
    );
    expect(document.documentElement.scrollWidth).to.be.at.most(375);
    expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(375);
    const hangup = deepQuery(el, '[part~="hangup-button"]')!;
    const mic = deepQuery(el, '[part~="mic-button"]')!;
    expect(Math.abs(box(hangup).top - box(mic).top), 'one row').to.be.below(2);
    expect(hangup.getAttribute('aria-label')).to.equal('Hang up');
    const stageBefore = box(part(el, 'stage')!);
    const hangupBefore = box(hangup);
    deepQuery<HTMLButtonElement>(el, '[part~="keypad-button"]')!.click();
    await settle(el);
    const panel = deepQuery(el, '#keypad-panel')!;
    await until(() => deepQuery(panel, 'button') !== null);
    expect(inside(box(panel), box(el)), 'the panel stays inside the call box').to.equal(true);
    expect(box(part(el, 'stage')!).toJSON(), 'the stage did not move').to.deep.equal(stageBefore.toJSON());
    expect(box(hangup).toJSON(), 'Hang up did not move').to.deep.equal(hangupBefore.toJSON());
    expect(inside(box(hangup), new DOMRect(0, 0, innerWidth, innerHeight))).to.equal(true);
    // Focus went into the panel, after the bar in tab order; Escape brings it back to its button.
    expect(
      panel.contains(deepActiveElement()) ||
        deepQuery(panel, 'dtmf-keypad')!.shadowRoot!.contains(deepActiveElement()),
    ).to.equal(true);
    await saveScreenshot('layout-keypad-375', 'matrix-call');
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(deepActiveElement()!.getAttribute('part')).to.contain('keypad-button');
  });

  it('hold: an overlay on the stage on both sides, "Call on hold" and "Call resumed" announced', async () => {
    const controller = videoCall(cameraOf(320, 180), cameraOf(320, 180, { local: true }));
    const el = await mount(controller, 720, 480, 'dark');
    const call = controller.snapshot.calls[0]!;
    controller.update({ calls: [{ ...call, onHold: true }] });
    await settle(el);
    expect(part(el, 'hold-overlay')!.textContent).to.contain('On hold');
    expect(inside(box(part(el, 'hold-overlay')!), box(part(el, 'stage')!))).to.equal(true);
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Call on hold');
    await expect(el).to.be.accessible();
    await saveScreenshot('state-hold-dark', 'matrix-call');
    controller.update({ calls: [{ ...call, onHold: false }] });
    await settle(el);
    expect(part(el, 'hold-overlay')).to.equal(null);
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Call resumed');
    controller.update({ calls: [{ ...call, remoteOnHold: true }] });
    await settle(el);
    expect(part(el, 'hold-overlay')!.textContent).to.contain('Bob Builder put the call on hold');
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Bob Builder put the call on hold');
  });

  it('reconnecting: one state: timer hidden, status and overlay say so, quality at its worst', async () => {
    const controller = videoCall(cameraOf(320, 180), cameraOf(320, 180, { local: true }));
    const el = await mount(controller, 720, 480);
    expect(part(el, 'duration')).to.not.equal(null);
    const call = controller.snapshot.calls[0]!;
    controller.update({ calls: [{ ...call, connection: 'disconnected' }] });
    await settle(el);
    expect(part(el, 'duration'), 'no running clock while reconnecting').to.equal(null);
    expect(part(el, 'call-state')!.textContent).to.equal('Reconnecting…');
    expect(el.shadowRoot!.textContent).to.not.contain('Connected');
    expect(part(el, 'reconnecting-overlay')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector<CallTile>('call-tile.main')!.quality).to.equal('lost');
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Reconnecting…');
    await expect(el).to.be.accessible();
    await saveScreenshot('state-reconnecting', 'matrix-call');
    controller.update({ calls: [{ ...call, connection: 'connected' }] });
    await settle(el);
    expect(part(el, 'reconnecting-overlay')).to.equal(null);
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Call with Bob Builder connected');
  });

  it('an error during a call shows where the user is looking, and can be dismissed', async () => {
    const controller = new TestCallController(
      snapshotOf({
        group: {
          state: 'joined',
          backend: 'mesh',
          ongoing: true,
          participants: [participantOf(alice, { local: true })],
        },
      }),
    );
    const el = await mount(controller, 720, 480, 'dark');
    controller.update({ error: { code: 'group-call-full', message: 'full' } });
    await settle(el);
    const banner = part(el, 'action-error')!;
    expect(banner.getAttribute('role')).to.equal('alert');
    expect(banner.textContent).to.contain('The group call is full.');
    await expect(el).to.be.accessible();
    banner.querySelector('button')!.click();
    await settle(el);
    expect(part(el, 'action-error')).to.equal(null);
  });

  it('a group join that failed (SFU unreachable) is said on the idle screen, not dropped silently', async () => {
    const controller = new TestCallController(
      snapshotOf({
        room: {
          roomId: '!r',
          members: [alice, bob, { userId: '@carol:example.org', displayName: 'Carol' }],
          canCall: false,
          isPublic: false,
        },
        group: { state: 'idle', backend: 'livekit', ongoing: false, participants: [] },
        error: { code: 'no-focus', message: 'No SFU' },
      }),
    );
    const el = await mount(controller, 375, 520, 'dark');
    expect(el.view).to.equal('idle');
    expect(part(el, 'action-error')!.textContent).to.contain('No call server is set up for group calls.');
    expect(part(el, 'join-group-button')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('group: "Bob left" is shown and announced', async () => {
    const people = [participantOf(alice, { local: true }), participantOf(bob)];
    const controller = new TestCallController(
      snapshotOf({ group: { state: 'joined', backend: 'mesh', ongoing: true, participants: people } }),
    );
    const el = await mount(controller, 720, 480);
    controller.update({
      group: { state: 'joined', backend: 'mesh', ongoing: true, participants: people.slice(0, 1) },
    });
    await settle(el);
    expect(part(el, 'membership-notice')!.textContent).to.equal('Bob Builder left');
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Bob Builder left');
    expect(part(el, 'status')!.textContent).to.contain('1 in the call');
  });
});

describe('<matrix-call> end reasons', () => {
  const ended = (patch: Parameters<typeof callOf>[0]) =>
    new TestCallController(snapshotOf({ calls: [callOf({ state: 'ended', ...patch })] }));
  const text = (el: MatrixCall) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ');

  it('an unanswered incoming call: "Missed call from Alice", never "Alice did not answer"', async () => {
    const el = await mount(
      ended({
        direction: 'incoming',
        peer: alice,
        missed: true,
        hangupReason: 'invite_timeout',
        hangupParty: 'remote',
      }),
      600,
      420,
    );
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal('Missed call from Alice Liddell');
    expect(text(el)).to.not.contain('did not answer');
    const hungUp = await mount(
      ended({
        direction: 'incoming',
        peer: alice,
        missed: true,
        hangupReason: 'user_hangup',
        hangupParty: 'remote',
      }),
      600,
      420,
    );
    expect(hungUp.shadowRoot!.querySelector('h2')!.textContent).to.equal('Missed call from Alice Liddell');
    expect(part(hungUp, 'reason')!.textContent).to.equal('Alice Liddell hung up before you answered.');
    await expect(hungUp).to.be.accessible();
  });

  it('the callee’s media failed: the caller hears it was the other side', async () => {
    const el = await mount(ended({ hangupReason: 'user_media_failed', hangupParty: 'remote' }), 600, 420);
    expect(part(el, 'reason')!.textContent).to.contain(
      'Bob Builder’s microphone or camera could not be started',
    );
    expect(text(el)).to.not.contain('Your microphone');
    const mine = await mount(ended({ hangupReason: 'user_media_failed', hangupParty: 'local' }), 600, 420);
    expect(part(mine, 'reason')!.textContent).to.contain('Your microphone or camera');
  });

  it('the other side vanished after connecting: the connection to Bob was lost, no firewall blamed', async () => {
    const el = await mount(
      ended({ hangupReason: 'ice_failed', hangupParty: 'local', connectedAt: 1_000, endedAt: 9_000 }),
      600,
      420,
    );
    expect(part(el, 'reason')!.textContent).to.equal('The connection to Bob Builder was lost.');
    expect(text(el)).to.not.contain('firewall');
    const never = await mount(ended({ hangupReason: 'ice_failed', hangupParty: 'local' }), 600, 420, 'dark');
    expect(part(never, 'reason')!.textContent).to.contain('firewall');
    await expect(never).to.be.accessible();
    never.id = 'ended-ice';
    await saveScreenshot('state-ended-ice-dark', '#ended-ice');
  });
});

describe('<matrix-call> walkie-talkie channel', () => {
  const carol = { userId: '@carol:example.org', displayName: 'Carol' };

  it('shows who is tuned in and who is talking, and the button names the talker', async () => {
    const controller = new TestCallController(
      snapshotOf({
        ptt: {
          optedIn: true,
          floor: 'listening',
          talker: bob,
          maxTransmitMs: 30_000,
          queuedRecordings: 1,
          tunedIn: [bob, carol],
        },
      }),
    );
    for (const theme of ['light', 'dark']) {
      const el = await mount(controller, 375, 560, theme);
      expect(part(el, 'tuned-in')!.textContent).to.contain('Tuned in: Bob Builder and Carol');
      expect(part(el, 'talker')!.dataset.talking).to.equal('true');
      expect(part(el, 'talker')!.textContent).to.contain('Bob Builder');
      const button = deepQuery(el.shadowRoot!.querySelector('ptt-button')!, '[part~="button"]')!;
      expect(button.getAttribute('aria-disabled')).to.equal('true');
      expect(button.textContent).to.contain('Bob Builder is talking');
      expect(button.textContent).to.not.contain('Hold to talk');
      expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(375);
      await expect(el).to.be.accessible();
      await saveScreenshot(`state-walkie-talkie-listening-${theme}`, 'matrix-call');
      el.remove();
    }
  });

  it('lists the recent messages with a play button each, and the list fits a phone', async () => {
    const sentAt = Date.now() - 120_000;
    const controller = new TestCallController(
      snapshotOf({
        ptt: {
          optedIn: true,
          floor: 'idle',
          maxTransmitMs: 30_000,
          queuedRecordings: 1,
          tunedIn: [bob, carol],
          transmissions: [
            { id: '$a', sender: bob, own: false, sentAt, durationMs: 4_000, state: 'played' },
            {
              id: '$b',
              sender: alice,
              own: true,
              sentAt: sentAt + 20_000,
              durationMs: 9_000,
              state: 'played',
            },
            {
              id: '$c',
              sender: carol,
              own: false,
              sentAt: sentAt + 40_000,
              durationMs: 3_000,
              state: 'playing',
            },
            {
              id: '$d',
              sender: bob,
              own: false,
              sentAt: sentAt + 60_000,
              durationMs: 6_000,
              state: 'queued',
            },
          ],
        },
      }),
    );
    for (const theme of ['light', 'dark']) {
      const el = await mount(controller, 375, 640, theme);
      const list = el.shadowRoot!.querySelector('ptt-messages')!;
      expect(list, 'the channel view shows the messages').to.not.equal(null);
      const play = deepQuery(list, '[part~="play-button"]')!;
      expect(play.getAttribute('aria-label')).to.equal('Play Bob Builder’s message, 0:04');
      play.click();
      expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(375);
      await expect(el).to.be.accessible();
      await saveScreenshot(`state-walkie-talkie-messages-${theme}`, 'matrix-call');
      el.remove();
    }
    expect(controller.actions.filter((a) => a.name === 'pttPlay')).to.have.length(2);
  });

  it('a device not tuned in sees that the channel is in use and can tune in from there', async () => {
    const controller = new TestCallController(
      snapshotOf({
        room: { roomId: '!r', members: [alice, bob, carol], canCall: false, isPublic: false },
        ptt: { optedIn: false, floor: 'off', talker: bob, maxTransmitMs: 30_000, queuedRecordings: 0 },
      }),
    );
    const el = await mount(controller, 375, 560);
    expect(el.view).to.equal('idle');
    expect(part(el, 'channel-in-use')!.textContent).to.contain(
      'The channel is in use: Bob Builder is talking',
    );
    const tuneIn = part(el, 'walkie-talkie-button')!;
    expect(tuneIn.textContent).to.contain('Tune in');
    tuneIn.click();
    expect(controller.actions).to.deep.equal([{ name: 'setPttOptIn', args: [true] }]);
    await expect(el).to.be.accessible();
  });
});

describe('<matrix-call> focus and theme', () => {
  it('never takes focus from the host page on a ring or a remote hang-up', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <input aria-label="Host text box" /><matrix-call
          style="display:block;width:600px;height:420px"
        ></matrix-call>
      </div>`,
    );
    const input = wrapper.querySelector('input')!;
    const el = wrapper.querySelector<MatrixCall>('matrix-call')!;
    const controller = new TestCallController();
    el.controller = controller;
    el.silent = true;
    await settle(el);
    input.focus();
    controller.update({ calls: [callOf({ state: 'ringing', direction: 'incoming' })] });
    await settle(el);
    expect(el.view).to.equal('incoming');
    expect(document.activeElement).to.equal(input);
    expect(part(el, 'announcer')!.textContent!.trim()).to.equal('Incoming call from Bob Builder');
    controller.update({ calls: [callOf({ state: 'connected', direction: 'incoming' })] });
    await settle(el);
    controller.update({
      calls: [
        callOf({ state: 'ended', direction: 'incoming', hangupReason: 'user_hangup', hangupParty: 'remote' }),
      ],
    });
    await settle(el);
    expect(el.view).to.equal('ended');
    expect(document.activeElement).to.equal(input);
  });

  it('theme="auto" follows the host page’s color-scheme, not the system alone', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="color-scheme: light">
        <matrix-call theme="auto" style="display:block;width:400px;height:360px"></matrix-call>
      </div>`,
    );
    const el = wrapper.querySelector<MatrixCall>('matrix-call')!;
    el.controller = new TestCallController();
    await settle(el);
    const light = getComputedStyle(el).backgroundColor;
    wrapper.style.colorScheme = 'dark';
    await new Promise((r) => setTimeout(r, 250));
    const dark = getComputedStyle(el).backgroundColor;
    expect(dark).to.not.equal(light);
    expect(getComputedStyle(el).colorScheme).to.equal('dark');
    await expect(el).to.be.accessible();
  });
});

describe('<matrix-call> every state in both themes', () => {
  const states: Record<string, () => TestCallController> = {
    idle: () => new TestCallController(),
    incoming: () =>
      new TestCallController(snapshotOf({ calls: [callOf({ state: 'ringing', direction: 'incoming' })] })),
    'video-call': () =>
      videoCall(cameraOf(320, 180), cameraOf(320, 180, { local: true, userId: alice.userId })),
    'voice-call': () =>
      new TestCallController(snapshotOf({ calls: [callOf({ kind: 'voice', connectedAt: Date.now() })] })),
    'remote-hold': () =>
      new TestCallController(
        snapshotOf({ calls: [callOf({ remoteOnHold: true, connectedAt: Date.now() })] }),
      ),
    reconnecting: () =>
      new TestCallController(
        snapshotOf({ calls: [callOf({ connection: 'disconnected', connectedAt: Date.now() })] }),
      ),
    'group-call': () =>
      new TestCallController(
        snapshotOf({
          group: {
            state: 'joined',
            backend: 'mesh',
            ongoing: true,
            participants: [
              participantOf(alice, { local: true, videoMuted: true }),
              participantOf(bob, { videoMuted: true, audioMuted: true }),
            ],
          },
          error: { code: 'group-call-full', message: 'full' },
        }),
      ),
    missed: () =>
      new TestCallController(
        snapshotOf({
          calls: [
            callOf({
              state: 'ended',
              direction: 'incoming',
              missed: true,
              hangupReason: 'invite_timeout',
              hangupParty: 'remote',
            }),
          ],
        }),
      ),
    error: () =>
      new TestCallController(snapshotOf({ status: 'error', error: { code: 'transport', message: 'lost' } })),
  };
  for (const theme of ['light', 'dark']) {
    for (const [name, make] of Object.entries(states)) {
      it(`${name} (${theme}): passes axe at 375 px with no horizontal scroll`, async () => {
        const el = await mount(make(), 375, 560, theme);
        el.silent = true;
        await settle(el);
        await transitionsDone();
        expect(el.shadowRoot!.querySelector('.base')!.scrollWidth).to.be.at.most(375);
        await expect(el).to.be.accessible();
        await saveScreenshot(`state-${name}-${theme}`, 'matrix-call');
      });
    }
  }
});

describe('stage-layout', () => {
  it('fitGrid picks the column count that makes 16:9 tiles largest', () => {
    const wide = (n: number) => fitGrid(n, 1200, 600, 16 / 9, 8).columns;
    expect([1, 2, 3, 4, 6, 9].map(wide)).to.deep.equal([1, 2, 2, 2, 3, 3]);
    const tall = (n: number) => fitGrid(n, 360, 700, 16 / 9, 8).columns;
    expect([1, 2, 3, 4, 6].map(tall)).to.deep.equal([1, 1, 1, 1, 1]);
    const many = fitGrid(30, 360, 300, 16 / 9, 8, 144);
    expect(many.scrolls).to.equal(true);
    expect(many.tileWidth).to.be.at.least(144);
  });

  it('nearestCorner maps a drop point to a logical corner', () => {
    expect(nearestCorner(10, 10, 100, 100)).to.equal('top-start');
    expect(nearestCorner(90, 90, 100, 100)).to.equal('bottom-end');
    expect(nearestCorner(10, 90, 100, 100, true)).to.equal('bottom-end');
  });
});
