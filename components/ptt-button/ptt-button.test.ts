import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './ptt-button.js';
import type { PttButton } from './ptt-button.js';
import { TestCallControllerWithExtras, TestCallController, bob, snapshotOf } from '../../test/support/test-call-controller.js';
import { settle, transitionsDone } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';
import type { PttView } from '../../src/snapshot.js';

const button = (el: PttButton) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="button"]')!;
const status = (el: PttButton) => el.shadowRoot!.querySelector('[part~="status"]')!.textContent!.replace(/\s+/g, ' ').trim();

function ptt(patch: Partial<PttView> = {}): PttView {
  return { optedIn: true, floor: 'idle', maxTransmitMs: 30_000, queuedRecordings: 0, ...patch };
}

describe('<ptt-button>', () => {
  it('Space held down presses, Space released releases; aria-pressed follows', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    const events: string[] = [];
    el.addEventListener('ptt-press', () => events.push('press'));
    el.addEventListener('ptt-release', () => events.push('release'));
    button(el).focus();
    await sendKeys({ down: ' ' });
    await settle(el);
    expect(events).to.deep.equal(['press']);
    expect(el.pressed).to.equal(true);
    expect(el.hasAttribute('pressed')).to.equal(true);
    expect(el.matches(':state(pressed)')).to.equal(true);
    expect(button(el).getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ up: ' ' });
    await settle(el);
    expect(events).to.deep.equal(['press', 'release']);
    expect(button(el).getAttribute('aria-pressed')).to.equal('false');
  });

  it('Enter held works the same, and repeats while held do not press twice', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    let presses = 0;
    el.addEventListener('ptt-press', () => presses++);
    button(el).focus();
    button(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    button(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', repeat: true, bubbles: true, composed: true }));
    expect(presses).to.equal(1);
    expect(el.pressed).to.equal(true);
    button(el).dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true, composed: true }));
    expect(el.pressed).to.equal(false);
  });

  it('pointer down and up press and release; losing focus while held releases', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    const b = button(el);
    b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
    expect(el.pressed).to.equal(true);
    b.dispatchEvent(new PointerEvent('pointerup', { button: 0, pointerId: 1, bubbles: true }));
    expect(el.pressed).to.equal(false);
    b.dispatchEvent(new PointerEvent('pointerdown', { button: 0, pointerId: 1, bubbles: true }));
    b.blur();
    expect(el.pressed).to.equal(false);
  });

  it('toggle mode: a click talks, the next click stops', async () => {
    const el = await fixture<PttButton>(html`<ptt-button mode="toggle"></ptt-button>`);
    expect(button(el).textContent).to.contain('Tap to talk');
    button(el).click();
    expect(el.pressed).to.equal(true);
    button(el).click();
    expect(el.pressed).to.equal(false);
  });

  it('a page can veto a press', async () => {
    const el = await fixture<PttButton>(html`<ptt-button></ptt-button>`);
    el.addEventListener('ptt-press', (e) => e.preventDefault());
    expect(el.press()).to.equal(false);
    expect(el.pressed).to.equal(false);
  });

  it('shows each floor state from attributes without a controller', async () => {
    const el = await fixture<PttButton>(html`<ptt-button floor="requesting"></ptt-button>`);
    expect(status(el)).to.equal('Waiting for the channel…');
    el.floor = 'listening';
    el.talker = 'Bob Builder';
    await settle(el);
    expect(status(el)).to.equal('Bob Builder is talking');
    el.floor = 'talking';
    el.endsAt = Date.now() + 12_400;
    await settle(el);
    expect(status(el)).to.contain('13 s left');
    el.floor = 'denied';
    await settle(el);
    expect(status(el)).to.equal('You may not talk in this room');
    expect(button(el).getAttribute('aria-disabled')).to.equal('true');
    expect(el.press()).to.equal(false);
    el.floor = 'off';
    await settle(el);
    expect(status(el)).to.equal('Walkie-talkie is off');
  });

  it('reads snapshot.ptt from a controller and calls its optional pttPress / pttRelease', async () => {
    const controller = new TestCallControllerWithExtras(snapshotOf({ ptt: ptt() }));
    const el = await fixture<PttButton>(html`<ptt-button .controller=${controller}></ptt-button>`);
    button(el).focus();
    await sendKeys({ down: ' ' });
    controller.update({ ptt: ptt({ floor: 'talking', floorEndsAt: Date.now() + 20_000 }) });
    await settle(el);
    expect(el.floor).to.equal('talking');
    expect(status(el)).to.contain('Talking');
    expect(el.shadowRoot!.querySelector('[part~="progress"]')).to.not.equal(null);
    await transitionsDone();
    await expect(el).to.be.accessible();
    await saveScreenshot('ptt-button-talking', 'ptt-button');
    await sendKeys({ up: ' ' });
    expect(controller.actionNames()).to.deep.equal(['pttPress', 'pttRelease']);

    controller.update({ ptt: ptt({ floor: 'listening', talker: bob, queuedRecordings: 2 }) });
    await settle(el);
    expect(status(el)).to.equal('Bob Builder is talking');
    expect(el.shadowRoot!.textContent).to.contain('2 messages waiting');
    expect(el.matches(':state(listening)')).to.equal(true);
    await transitionsDone();
    await expect(el).to.be.accessible();
    await saveScreenshot('ptt-button-listening', 'ptt-button');
  });

  it('works with a controller that has no floor control yet (events only)', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<PttButton>(html`<ptt-button .controller=${controller}></ptt-button>`);
    expect(el.press()).to.equal(true);
    el.release();
    expect(controller.actions).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
