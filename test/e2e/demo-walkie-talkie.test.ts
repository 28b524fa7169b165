/**
 * The demo's three-person room as a walkie-talkie, end to end: Alice, Bob and Carol turn it on with
 * clicks in their widgets; Alice holds her <ptt-button> down with the real mouse (the test browser's
 * input, not a synthetic event), Bob's and Carol's buttons name her as the talker, and when she lets go
 * her transmission lands in the room as a voice message: a voice m.audio whose encrypted file downloads
 * and decodes to about as long as she talked, and which Bob's and Carol's message lists hold.
 */
import { expect } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import type { Demo } from '../../demo/demo-app.js';
import type { WidgetConnection } from '../../demo/widget-controller.js';
import { ALICE, BOB, CAROL, inView, mountDemoForEachTest, until } from '../support/demo-page.js';
import { saveScreenshot } from '../support/screenshot.js';
import { decryptAttachment } from '../../src/ptt/attachment-crypto.js';
import type { CallControllerApi } from '../../src/snapshot.js';

function controllerOf(element: HTMLElement): CallControllerApi | undefined {
  return (element as HTMLElement & { controller?: CallControllerApi }).controller;
}

interface VoiceContent {
  msgtype?: string;
  url?: string;
  file?: { url: string } & Parameters<typeof decryptAttachment>[1];
  info?: { duration?: number; mimetype?: string };
  'org.matrix.msc3245.voice'?: unknown;
}

function pttButtonOf(element: HTMLElement): HTMLElement | undefined {
  return element.shadowRoot?.querySelector<HTMLElement>('ptt-button') ?? undefined;
}

function floorOf(element: HTMLElement): string | null {
  return pttButtonOf(element)?.getAttribute('floor') ?? null;
}

/** Where the centre of an element inside a person's widget iframe is, in the test page's viewport. */
function pagePoint(demo: Demo, userId: string, inner: Element): [number, number] {
  const frame = demo.grid.widgetOf(userId)!.iframe.getBoundingClientRect();
  const box = inner.getBoundingClientRect();
  return [
    Math.round(frame.left + box.left + box.width / 2),
    Math.round(frame.top + box.top + box.height / 2),
  ];
}

describe('the demo page: walkie-talkie in the three-person room (e2e)', function () {
  this.timeout(90_000);
  const mounted = mountDemoForEachTest();

  it('three people turn it on, Alice holds the button to talk, the others see her talking and get her voice message', async () => {
    const { demo } = mounted;
    const team = demo.world.rooms.find((room) => room.members.length === 3)!;
    demo.selectRoom(team.roomId);
    const elements: HTMLElement[] = [];
    for (const userId of [ALICE, BOB, CAROL]) {
      const idle = await inView(demo, userId, 'idle');
      const turnOn = await until(`${userId}'s walkie-talkie button`, () =>
        idle.shadowRoot?.querySelector<HTMLElement>('[part~="walkie-talkie-button"]'),
      );
      turnOn.click();
      elements.push(await inView(demo, userId, 'walkie-talkie'));
    }
    const [alice, bob, carol] = elements as [HTMLElement, HTMLElement, HTMLElement];
    for (const element of elements) await until('the floor to show idle', () => floorOf(element) === 'idle');

    const talk = await until('Alice’s talk button', () =>
      pttButtonOf(alice)?.shadowRoot?.querySelector<HTMLElement>('[part~="button"]'),
    );
    demo.grid.widgetOf(ALICE)!.iframe.scrollIntoView({ block: 'center' });
    await sendMouse({ type: 'move', position: pagePoint(demo, ALICE, talk) });
    await sendMouse({ type: 'down' });
    await until('Alice talking', () => floorOf(alice) === 'talking');
    await until(
      'Bob and Carol listening',
      () => floorOf(bob) === 'listening' && floorOf(carol) === 'listening',
    );
    const status = pttButtonOf(bob)!.shadowRoot!.textContent ?? '';
    expect(status).to.match(/Alice/);
    await saveScreenshot('demo-walkie-talkie');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await sendMouse({ type: 'up' });

    for (const element of elements) await until('the floor free again', () => floorOf(element) === 'idle');
    const message = await until('the voice message in the event panel', () =>
      demo.panel.seen.find((row) => row.type === 'm.room.message' && row.sender === ALICE),
    );
    expect(message.bytes).to.be.greaterThan(100);

    // The voice message itself: a voice m.audio whose file downloads, decrypts (the demo's rooms are
    // encrypted) and decodes to about as long as Alice held the button.
    const { homeserver } = demo.world;
    const event = homeserver
      .timeline(team.roomId)
      .find((e) => e.type === 'm.room.message' && e.sender === ALICE)!;
    const content = event.content as VoiceContent;
    expect(content.msgtype).to.equal('m.audio');
    expect(content['org.matrix.msc3245.voice'], 'marked as a voice message').to.not.equal(undefined);
    expect(content.info?.duration ?? 0).to.be.greaterThan(500);
    const mxc = content.file?.url ?? content.url;
    const blob = homeserver.download(mxc!);
    expect(blob, 'the file downloads').to.not.equal(undefined);
    let bytes: ArrayBuffer = await blob!.arrayBuffer();
    if (content.file) {
      const decrypted = await decryptAttachment(bytes, content.file);
      expect(decrypted.ok, decrypted.ok ? '' : decrypted.reason).to.equal(true);
      if (decrypted.ok) bytes = decrypted.value.buffer;
    }
    const context = new AudioContext();
    const audio = await context.decodeAudioData(bytes);
    await context.close();
    expect(audio.duration).to.be.greaterThan(0.5);

    // Bob and Carol have it in their walkie-talkie's message list, from Alice.
    for (const [who, element] of [
      ['Bob', bob],
      ['Carol', carol],
    ] as const) {
      await until(`${who}'s list to hold Alice's message`, () =>
        controllerOf(element)?.snapshot.ptt?.transmissions?.some(
          (t) => t.id === event.event_id && t.sender.userId === ALICE && t.durationMs > 500,
        ),
      );
    }
    const connection = (
      demo.grid.widgetOf(BOB)!.iframe.contentWindow as Window & {
        matrixCallWidget?: WidgetConnection;
      }
    ).matrixCallWidget;
    expect(connection?.ok).to.equal(true);
  });
});
