import { expect, fixture, html } from '@open-wc/testing';
import './dtmf-keypad.js';
import type { DtmfKeypad } from './dtmf-keypad.js';
import { TestCallController, snapshotOf } from '../../test/support/test-call-controller.js';
import { saveScreenshot } from '../../test/support/screenshot.js';

describe('<dtmf-keypad>', () => {
  it('twelve keys; each emits dtmf-tone and is sent on the call', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<DtmfKeypad>(html`<dtmf-keypad call-id="c9" .controller=${controller}></dtmf-keypad>`);
    const keys = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="key"]')];
    expect(keys.map((k) => k.dataset.tone).join('')).to.equal('123456789*0#');
    const tones: string[] = [];
    el.addEventListener('dtmf-tone', (e) => tones.push(e.tone));
    keys[0]!.click();
    keys[11]!.click();
    expect(tones).to.deep.equal(['1', '#']);
    expect(controller.actions).to.deep.equal([
      { name: 'sendDtmf', args: ['c9', '1'] },
      { name: 'sendDtmf', args: ['c9', '#'] },
    ]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="display"]')!.textContent).to.equal('1#');
    await expect(el).to.be.accessible();
    await saveScreenshot('dtmf-keypad', 'dtmf-keypad');
  });
});
