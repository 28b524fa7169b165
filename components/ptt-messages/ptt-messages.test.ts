import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './ptt-messages.js';
import type { PttMessages } from './ptt-messages.js';
import { TestCallController, alice, bob, snapshotOf } from '../../test/support/test-call-controller.js';
import { describeFocus, settle } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';
import type { PttView, TransmissionView } from '../../src/snapshot.js';

const carol = { userId: '@carol:example.org', displayName: 'Carol' };
const at = new Date(2025, 0, 1, 10, 42).getTime();

function item(patch: Partial<TransmissionView> & { id: string }): TransmissionView {
  return { sender: bob, own: false, sentAt: at, durationMs: 4_000, state: 'played', ...patch };
}

function pttWith(transmissions: TransmissionView[]): PttView {
  return { optedIn: true, floor: 'idle', maxTransmitMs: 30_000, queuedRecordings: 0, transmissions };
}

const list = [
  item({ id: '$1', sender: bob, durationMs: 4_000, state: 'played' }),
  item({ id: '$2', sender: alice, own: true, durationMs: 12_300, state: 'played', sentAt: at + 60_000 }),
  item({ id: '$3', sender: carol, durationMs: 7_000, state: 'playing', sentAt: at + 120_000 }),
  item({ id: '$4', sender: bob, durationMs: 2_000, state: 'queued', sentAt: at + 130_000 }),
  item({ id: '$5', sender: carol, durationMs: 65_000, state: 'unplayed', sentAt: at + 140_000 }),
];

async function mount(controller: TestCallController) {
  const el = await fixture<PttMessages>(html`<ptt-messages .controller=${controller}></ptt-messages>`);
  await settle(el);
  return el;
}

const items = (el: PttMessages) => [...el.shadowRoot!.querySelectorAll<HTMLLIElement>('[part~="item"]')];
const buttons = (el: PttMessages) => [
  ...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="play-button"]'),
];

describe('<ptt-messages>', () => {
  it('lists each transmission with sender, time, duration and state; each button is named for what it does', async () => {
    const el = await mount(new TestCallController(snapshotOf({ ptt: pttWith(list) })));
    expect(el.shadowRoot!.querySelector('ol')).to.not.equal(null);
    expect(items(el).map((li) => li.dataset.state)).to.deep.equal([
      'played',
      'played',
      'playing',
      'queued',
      'unplayed',
    ]);
    expect(buttons(el).map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'Play Bob Builder’s message, 0:04',
      'Play your message, 0:12',
      'Pause Carol’s message, 0:07',
      'Play Bob Builder’s message, 0:02',
      'Play Carol’s message, 1:05',
    ]);
    const texts = items(el).map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(texts[1]).to.contain('You');
    expect(texts[2]).to.contain('Playing');
    expect(texts[3]).to.contain('Queued');
    expect(texts[4]).to.contain('New');
    expect(texts[0]).to.not.match(/New|Queued|Playing|Paused/);
    const time = items(el)[0]!.querySelector('time')!;
    expect(new Date(time.getAttribute('datetime')!).getTime()).to.equal(at);
    expect(time.textContent).to.match(/42/);
    // The playing one is marked, and only it.
    expect(items(el).map((li) => li.getAttribute('aria-current'))).to.deep.equal([
      null,
      null,
      'true',
      null,
      null,
    ]);
    await expect(el).to.be.accessible();
  });

  it('a button plays its transmission, or pauses it while it plays', async () => {
    const controller = new TestCallController(snapshotOf({ ptt: pttWith(list) }));
    const el = await mount(controller);
    buttons(el)[0]!.click();
    buttons(el)[2]!.click();
    buttons(el)[4]!.click();
    expect(controller.actions).to.deep.equal([
      { name: 'pttPlay', args: ['$1'] },
      { name: 'pttPause', args: [] },
      { name: 'pttPlay', args: ['$5'] },
    ]);
    controller.update({ ptt: pttWith([item({ id: '$1', state: 'paused' })]) });
    await settle(el);
    expect(buttons(el)[0]!.getAttribute('aria-label')).to.equal('Play Bob Builder’s message, 0:04');
    expect(items(el)[0]!.textContent).to.contain('Paused');
  });

  it('keyboard: Tab reaches the first button, arrows move between items, Enter and Space press', async () => {
    const controller = new TestCallController(snapshotOf({ ptt: pttWith(list) }));
    const el = await mount(controller);
    el.focus();
    expect(describeFocus()).to.equal('play-button');
    expect(el.shadowRoot!.activeElement === buttons(el)[0]).to.equal(true);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement === buttons(el)[2]).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'End' });
    expect(el.shadowRoot!.activeElement === buttons(el)[4]).to.equal(true);
    await sendKeys({ press: 'Space' });
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowUp' });
    expect(el.shadowRoot!.activeElement === buttons(el)[0]).to.equal(true);
    expect(controller.actions).to.deep.equal([
      { name: 'pttPause', args: [] },
      { name: 'pttPlay', args: ['$5'] },
    ]);
  });

  it('says when nothing was said', async () => {
    const empty = await mount(new TestCallController(snapshotOf({ ptt: pttWith([]) })));
    expect(empty.shadowRoot!.querySelector('[part~="empty"]')!.textContent).to.contain('No messages yet');
    expect(empty.shadowRoot!.querySelector('ol') === null).to.equal(true);
  });

  it('fits a narrow box and passes axe, light and dark (screenshots)', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      fixtureCleanup(); // the screenshot takes the first <ptt-messages> on the page
      const background = scheme === 'dark' ? '#101418' : '#fff';
      const el = await fixture<HTMLDivElement>(
        html`<div style="inline-size:320px;padding:8px;color-scheme:${scheme};background:${background}">
          <ptt-messages
            .controller=${new TestCallController(snapshotOf({ ptt: pttWith(list) }))}
          ></ptt-messages>
        </div>`,
      );
      const messages = el.querySelector('ptt-messages')!;
      await settle(messages);
      expect(messages.scrollWidth).to.be.at.most(messages.clientWidth + 1);
      await expect(messages).to.be.accessible();
      await saveScreenshot(`ptt-messages-${scheme}`, 'ptt-messages');
    }
  });
});
