import { expect, fixture, html } from '@open-wc/testing';
import './device-select.js';
import type { DeviceSelect } from './device-select.js';
import { TestCallController, callOf, snapshotOf, streamOf } from '../../test/support/test-call-controller.js';
import { settle } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';

async function listed(el: DeviceSelect) {
  await el.deviceList.refresh();
  await settle(el);
}

describe('<device-select>', () => {
  before(async () => {
    // Labels appear once the page has used the (fake) devices.
    const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    s.getTracks().forEach((t) => t.stop());
  });

  it('lists the fake microphones and cameras with labels', async () => {
    const el = await fixture<DeviceSelect>(html`<device-select kinds="audioinput videoinput"></device-select>`);
    await listed(el);
    const selects = el.shadowRoot!.querySelectorAll('select');
    expect(selects.length).to.equal(2);
    const mics = el.shadowRoot!.querySelectorAll('#audioinput option');
    expect(mics.length).to.be.greaterThan(0);
    expect(mics[0]!.textContent!.trim()).to.not.equal('');
    expect(el.shadowRoot!.querySelector('label[for="audioinput"]')!.textContent).to.equal('Microphone');
    await expect(el).to.be.accessible();
    await saveScreenshot('device-select', 'device-select');
  });

  it('choosing a device calls selectDevice, unless vetoed', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<DeviceSelect>(html`<device-select kinds="videoinput" .controller=${controller}></device-select>`);
    await listed(el);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#videoinput')!;
    const id = select.options[0]!.value;
    expect(id).to.not.equal('');
    select.value = id;
    select.dispatchEvent(new Event('change'));
    expect(controller.actions).to.deep.equal([{ name: 'selectDevice', args: ['videoinput', id] }]);
    el.addEventListener('request-device-select', (e) => e.preventDefault());
    select.dispatchEvent(new Event('change'));
    expect(controller.actions.length).to.equal(1);
  });

  it('starts on the device the call uses', async () => {
    const media = await navigator.mediaDevices.getUserMedia({ audio: true });
    const inUse = media.getAudioTracks()[0]!.getSettings().deviceId!;
    const local = { ...streamOf({ local: true }), stream: media };
    const controller = new TestCallController(snapshotOf({ calls: [callOf({ localStreams: [local] })] }));
    const el = await fixture<DeviceSelect>(html`<device-select kinds="audioinput" .controller=${controller}></device-select>`);
    await listed(el);
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('#audioinput')!.value).to.equal(inUse);
    media.getTracks().forEach((t) => t.stop());
  });

  it('reads the list again on devicechange while connected, and not after removal', async () => {
    const el = await fixture<DeviceSelect>(html`<device-select></device-select>`);
    await listed(el);
    const before = el.deviceList.reads;
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    expect(el.deviceList.reads).to.equal(before + 1);
    el.remove();
    navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    expect(el.deviceList.reads).to.equal(before + 1);
  });
});
