/**
 * The demo, end to end: the very host code of demo/index.html (homeserver double, one widget iframe
 * per person through a real ClientWidgetApi, the event panel) mounted in the test page. Two people
 * call each other with clicks inside their widgets (same origin: the test reaches into each iframe
 * and the elements' shadow roots), media flows, and a screenshot of the page in a call is saved.
 */
import { expect } from '@open-wc/testing';
import { startDemo, type Demo } from '../../demo/demo-app.js';
import type { WidgetConnection } from '../../demo/widget-controller.js';
import { saveScreenshot } from '../support/screenshot.js';
import {
  ALICE,
  BOB,
  CAROL,
  callElementOf,
  inView,
  mountDemoForEachTest,
  part,
  until,
} from '../support/demo-page.js';

interface WidgetWindow extends Window {
  matrixCallWidget?: WidgetConnection;
}

function connectionOf(demo: Demo, userId: string): Extract<WidgetConnection, { ok: true }> {
  const win = demo.grid.widgetOf(userId)?.iframe.contentWindow as WidgetWindow | null;
  const connection = win?.matrixCallWidget;
  if (!connection?.ok) throw new Error(`${userId}'s widget has no connection`);
  return connection;
}

/** Bytes of video received so far on the person's live call. */
async function inboundVideoBytes(demo: Demo, userId: string): Promise<number> {
  const controller = connectionOf(demo, userId).controller();
  const call = controller.snapshot.calls.find((c) => c.state !== 'ended');
  const pc = call ? controller.peerCall(call.id)?.peerConnection : undefined;
  if (!pc) return 0;
  let bytes = 0;
  (await pc.getStats()).forEach((report: { type?: string; kind?: string; bytesReceived?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'video') bytes += report.bytesReceived ?? 0;
  });
  return bytes;
}

describe('the demo page (e2e)', function () {
  this.timeout(90_000);
  const mounted = mountDemoForEachTest();

  it('Alice video-calls Bob with clicks in their widgets, Bob answers, media flows both ways, Alice hangs up', async () => {
    const { demo, root } = mounted;
    const pair = demo.world.rooms.find((room) => room.members.length === 2)!;
    expect(demo.grid.currentRoom?.roomId).to.equal(pair.roomId);
    // Carol is not in the two-person room: her card has no widget.
    expect(demo.grid.widgetOf(CAROL)).to.equal(undefined);

    const alice = await inView(demo, ALICE, 'idle');
    const bob = await inView(demo, BOB, 'idle');
    // The host approved what the controller asked, and only the room's call signalling came with it.
    const approved = demo.grid.widgetOf(ALICE)!.approved();
    expect(approved).to.include('org.matrix.msc2762.send.event:m.call.invite');
    expect(approved).to.include('org.matrix.msc2762.receive.state_event:m.room.member');

    part(alice.shadowRoot, 'video-call-button').click();
    await inView(demo, BOB, 'incoming');
    const incoming = await until('the incoming call element', () =>
      bob.shadowRoot
        ?.querySelector('incoming-call')
        ?.shadowRoot?.querySelector('[part~="answer-video-button"]'),
    );
    (incoming as HTMLElement).click();

    await inView(demo, ALICE, 'in-call');
    await inView(demo, BOB, 'in-call');
    for (const [who, element] of [
      ['Alice', alice],
      ['Bob', bob],
    ] as const) {
      await until(`${who}'s call to connect`, () =>
        element.shadowRoot?.querySelector('[data-state="connected"]'),
      );
      // The remote tile plays the other person's camera.
      const remoteVideo = await until(`${who}'s remote video to play`, () => {
        const tiles = [...(element.shadowRoot?.querySelectorAll('call-tile') ?? [])];
        const remote = tiles.find((tile) => !tile.hasAttribute('local'));
        const video = remote?.shadowRoot?.querySelector('video');
        return video && video.videoWidth > 0 ? video : undefined;
      });
      expect(remoteVideo.videoWidth).to.be.greaterThan(0);
    }
    const first = await inboundVideoBytes(demo, ALICE);
    const later = await (async () => {
      const end = Date.now() + 5000;
      for (;;) {
        const bytes = await inboundVideoBytes(demo, ALICE);
        if (bytes > first || Date.now() > end) return bytes;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    expect(later, 'video bytes keep arriving at Alice').to.be.greaterThan(first);
    expect(await inboundVideoBytes(demo, BOB), 'video bytes arrive at Bob').to.be.greaterThan(0);

    // The panel listed the signalling as it flowed, in order, with sizes.
    const callTypes = demo.panel.seen.filter((r) => r.type.startsWith('m.call.')).map((r) => r.type);
    expect(callTypes).to.include.members(['m.call.invite', 'm.call.answer', 'm.call.candidates']);
    expect(callTypes.indexOf('m.call.invite')).to.be.lessThan(callTypes.indexOf('m.call.answer'));
    const invite = demo.panel.seen.find((r) => r.type === 'm.call.invite')!;
    expect(invite.sender).to.equal(ALICE);
    expect(invite.target).to.equal(pair.roomId);
    expect(invite.bytes).to.be.greaterThan(100);
    const rows = [...root.querySelectorAll<HTMLElement>('.event-row')].map((row) => row.dataset.type);
    expect(rows).to.include('m.call.invite');

    await saveScreenshot('demo-in-call');

    const controls = part(alice.shadowRoot, 'controls');
    await until('the hang-up button', () => controls.shadowRoot?.querySelector('[part~="hangup-button"]'));
    part(controls.shadowRoot, 'hangup-button').click();
    await inView(demo, ALICE, 'ended');
    await inView(demo, BOB, 'ended');
    expect(demo.panel.seen.some((r) => r.type === 'm.call.hangup' && r.sender === ALICE)).to.equal(true);
  });

  it('the three-person room gives Carol a widget too, offering the group call instead of a 1:1 call', async () => {
    const { demo } = mounted;
    const team = demo.world.rooms.find((room) => room.members.length === 3)!;
    demo.selectRoom(team.roomId);
    expect(demo.grid.currentRoom?.roomId).to.equal(team.roomId);
    for (const userId of [ALICE, BOB, CAROL]) {
      const element = await inView(demo, userId, 'idle');
      expect(element.shadowRoot?.querySelector('[part~="video-call-button"]'), userId).to.equal(null);
      expect(part(element.shadowRoot, 'join-group-button').textContent).to.match(/group/i);
      expect(connectionOf(demo, userId).params.roomId).to.equal(team.roomId);
    }
  });

  it('tells every widget about a theme change without reloading it', async () => {
    const { demo } = mounted;
    const alice = await inView(demo, ALICE, 'idle');
    expect(alice.getAttribute('theme')).to.equal('auto');
    demo.setTheme('dark');
    await until('the widget to turn dark', () => alice.getAttribute('theme') === 'dark');
    expect(callElementOf(demo, ALICE)).to.equal(alice);
  });

  it('two linked windows (BroadcastChannel) call each other: Alice in one, Bob in the other', async () => {
    // The test page plays both windows: two demos, each with its own homeserver replica.
    const { root } = mounted;
    mounted.demo.dispose();
    const aliceRoot = document.createElement('div');
    const bobRoot = document.createElement('div');
    root.append(aliceRoot, bobRoot);
    const aliceWindow = startDemo(aliceRoot, { people: ['alice'], crossTab: true });
    const bobWindow = startDemo(bobRoot, { people: ['bob'], crossTab: true });
    mounted.demo = aliceWindow;
    try {
      expect(aliceWindow.grid.widgetOf(BOB)).to.equal(undefined);
      expect(bobWindow.grid.widgetOf(ALICE)).to.equal(undefined);
      await until('the windows to see each other', () => aliceWindow.link!.otherWindows >= 1);
      const alice = await inView(aliceWindow, ALICE, 'idle');
      const bob = await inView(bobWindow, BOB, 'idle');
      part(alice.shadowRoot, 'voice-call-button').click();
      await inView(bobWindow, BOB, 'incoming');
      const answer = await until('the answer button', () =>
        bob.shadowRoot
          ?.querySelector('incoming-call')
          ?.shadowRoot?.querySelector('[part~="answer-voice-button"]'),
      );
      (answer as HTMLElement).click();
      await until('both to connect', () =>
        [alice, bob].every((element) => element.shadowRoot?.querySelector('[data-state="connected"]')),
      );
      // Each replica saw the other window's signalling.
      expect(aliceWindow.panel.seen.some((r) => r.type === 'm.call.answer' && r.sender === BOB)).to.equal(
        true,
      );
      expect(bobWindow.panel.seen.some((r) => r.type === 'm.call.invite' && r.sender === ALICE)).to.equal(
        true,
      );
      const controls = part(bob.shadowRoot, 'controls');
      await until('the hang-up button', () => controls.shadowRoot?.querySelector('[part~="hangup-button"]'));
      part(controls.shadowRoot, 'hangup-button').click();
      await inView(aliceWindow, ALICE, 'ended');
    } finally {
      bobWindow.dispose();
    }
  });
});
