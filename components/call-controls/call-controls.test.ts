import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './call-controls.js';
import type { CallControls } from './call-controls.js';
import {
  TestCallController,
  alice,
  callOf,
  participantOf,
  snapshotOf,
} from '../../test/support/test-call-controller.js';
import { describeFocus, settle, transitionsDone } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';

const part = (el: CallControls, name: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${name}"]`);

async function mount(controller: TestCallController) {
  const el = await fixture<CallControls>(html`<call-controls .controller=${controller}></call-controls>`);
  await settle(el);
  return el;
}

describe('<call-controls>', () => {
  it('says what is missing without a controller', async () => {
    const el = await fixture<CallControls>(html`<call-controls></call-controls>`);
    expect(el.shadowRoot!.textContent).to.contain('needs a call controller and has none');
  });

  it('each toggle asks the controller for the opposite of the snapshot', async () => {
    const controller = new TestCallController(snapshotOf({ calls: [callOf({ micMuted: true })] }));
    const el = await mount(controller);
    expect(part(el, 'mic-button')!.dataset.active).to.equal('true');
    expect(part(el, 'camera-button')!.dataset.active).to.equal('false');
    expect(part(el, 'mic-button')!.hasAttribute('aria-pressed'), 'the name carries the state').to.equal(false);
    part(el, 'mic-button')!.click();
    part(el, 'camera-button')!.click();
    part(el, 'screen-share-button')!.click();
    part(el, 'hold-button')!.click();
    part(el, 'hangup-button')!.click();
    expect(controller.actions).to.deep.equal([
      { name: 'setMicMuted', args: ['call-1', false] },
      { name: 'setCameraMuted', args: ['call-1', true] },
      { name: 'setScreenSharing', args: ['call-1', true] },
      { name: 'setHold', args: ['call-1', true] },
      { name: 'hangup', args: ['call-1'] },
    ]);
    controller.update({ calls: [callOf({ onHold: true, screenSharing: true })] });
    await settle(el);
    expect(part(el, 'hold-button')!.dataset.active).to.equal('true');
    expect(part(el, 'screen-share-button')!.dataset.active).to.equal('true');
    await transitionsDone();
    await expect(el).to.be.accessible();
    await saveScreenshot('call-controls', 'call-controls');
  });

  it('each toggle is named for what pressing it does now, label and tooltip alike', async () => {
    const controller = new TestCallController(
      snapshotOf({ calls: [callOf({ micMuted: true, cameraMuted: true, onHold: true, screenSharing: true })] }),
    );
    const el = await mount(controller);
    const named = (name: string) => [part(el, name)!.getAttribute('aria-label'), part(el, name)!.title];
    expect(named('mic-button')).to.deep.equal(['Unmute microphone', 'Unmute microphone']);
    expect(named('camera-button')).to.deep.equal(['Turn on camera', 'Turn on camera']);
    expect(named('screen-share-button')).to.deep.equal(['Stop sharing screen', 'Stop sharing screen']);
    expect(named('hold-button')).to.deep.equal(['Resume call', 'Resume call']);
    controller.update({ calls: [callOf()] });
    await settle(el);
    expect(named('mic-button')).to.deep.equal(['Mute microphone', 'Mute microphone']);
    expect(named('camera-button')).to.deep.equal(['Turn off camera', 'Turn off camera']);
    expect(named('hold-button')).to.deep.equal(['Hold call', 'Hold call']);
  });

  it('a page may veto a toggle or a hang-up', async () => {
    const controller = new TestCallController(snapshotOf({ calls: [callOf()] }));
    const el = await mount(controller);
    el.addEventListener('request-media-toggle', (e) => {
      expect([e.toggle, e.on]).to.deep.equal(['microphone', true]);
      e.preventDefault();
    });
    el.addEventListener('request-hangup', (e) => e.preventDefault());
    part(el, 'mic-button')!.click();
    part(el, 'hangup-button')!.click();
    expect(controller.actions).to.deep.equal([]);
  });

  it('Tab order: microphone, camera, screen share, hold, devices, keypad, hang up', async () => {
    const el = await mount(new TestCallController(snapshotOf({ calls: [callOf()] })));
    part(el, 'mic-button')!.focus();
    const order = [describeFocus()];
    for (let i = 0; i < 6; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(describeFocus());
    }
    expect(order).to.deep.equal([
      'control mic-button',
      'control camera-button',
      'control screen-share-button',
      'control hold-button',
      'control devices-button',
      'control keypad-button',
      'control hangup-button',
    ]);
  });

  it('a voice call has no camera button; hold only once connected', async () => {
    const el = await mount(new TestCallController(snapshotOf({ calls: [callOf({ kind: 'voice', state: 'inviting' })] })));
    expect(part(el, 'camera-button')).to.equal(null);
    expect(part(el, 'hold-button')).to.equal(null);
  });

  it('the keypad sends DTMF on the call; Escape closes it and returns focus', async () => {
    const controller = new TestCallController(snapshotOf({ calls: [callOf()] }));
    const el = await mount(controller);
    part(el, 'keypad-button')!.click();
    await settle(el);
    expect(part(el, 'keypad-button')!.getAttribute('aria-expanded')).to.equal('true');
    const keypad = el.shadowRoot!.querySelector('dtmf-keypad')!;
    // <dtmf-keypad> is defined when the panel first opens.
    await customElements.whenDefined('dtmf-keypad');
    await settle(keypad);
    const five = [...keypad.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="key"]')].find(
      (k) => k.dataset.tone === '5',
    )!;
    five.click();
    five.focus();
    await sendKeys({ press: '#' });
    expect(controller.actions).to.deep.equal([
      { name: 'sendDtmf', args: ['call-1', '5'] },
      { name: 'sendDtmf', args: ['call-1', '#'] },
    ]);
    await sendKeys({ press: 'Escape' });
    await settle(el);
    expect(el.shadowRoot!.querySelector('dtmf-keypad')).to.equal(null);
    expect(describeFocus()).to.equal('control keypad-button');
  });

  it('the devices panel holds a <device-select>', async () => {
    const el = await mount(new TestCallController(snapshotOf({ calls: [callOf()] })));
    part(el, 'devices-button')!.click();
    await settle(el);
    expect(el.shadowRoot!.querySelector('device-select')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('in a group call: no keypad or hold, and hang up leaves the group call', async () => {
    const controller = new TestCallController(
      snapshotOf({
        group: {
          state: 'joined',
          backend: 'mesh',
          ongoing: true,
          participants: [participantOf(alice, { local: true, audioMuted: true })],
        },
      }),
    );
    const el = await mount(controller);
    expect(part(el, 'keypad-button')).to.equal(null);
    expect(part(el, 'hold-button')).to.equal(null);
    expect(part(el, 'hangup-button')!.textContent).to.contain('Leave call');
    part(el, 'mic-button')!.click();
    part(el, 'hangup-button')!.click();
    expect(controller.actions).to.deep.equal([
      { name: 'setMicMuted', args: ['group', false] },
      { name: 'leaveGroupCall', args: [] },
    ]);
  });
});
