import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './incoming-call.js';
import type { IncomingCall } from './incoming-call.js';
import { TestCallController, bob, snapshotOf } from '../../test/support/test-call-controller.js';
import { describeFocus, settle } from '../../test/support/element-helpers.js';
import { saveScreenshot } from '../../test/support/screenshot.js';

const part = (el: IncomingCall, name: string) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~="${name}"]`);

describe('<incoming-call>', () => {
  it('shows the caller and offers voice and video for a video call', async () => {
    const el = await fixture<IncomingCall>(
      html`<incoming-call silent call-id="c1" kind="video" .caller=${bob}></incoming-call>`,
    );
    expect(part(el, 'caller')!.textContent).to.equal('Bob Builder');
    expect(part(el, 'kind')!.textContent).to.equal('Incoming video call');
    expect(part(el, 'answer-video-button')).to.not.equal(null);
    await expect(el).to.be.accessible();
    await saveScreenshot('incoming-call', 'incoming-call');
    el.kind = 'voice';
    await settle(el);
    expect(part(el, 'answer-video-button')).to.equal(null);
    expect(part(el, 'kind')!.textContent).to.equal('Incoming voice call');
  });

  it('Tab order: answer with voice first (one Tab into the widget), answer with video, decline', async () => {
    const el = await fixture<IncomingCall>(
      html`<incoming-call silent call-id="c1" kind="video" .caller=${bob}></incoming-call>`,
    );
    part(el, 'answer-voice-button')!.focus();
    const order = [describeFocus()];
    await sendKeys({ press: 'Tab' });
    order.push(describeFocus());
    await sendKeys({ press: 'Tab' });
    order.push(describeFocus());
    expect(order).to.deep.equal(['answer-voice-button', 'answer-video-button', 'reject-button']);
    const [voice, video, decline] = ['answer-voice-button', 'answer-video-button', 'reject-button'].map(
      (name) => part(el, name)!.getBoundingClientRect(),
    );
    expect(voice!.left < video!.left && video!.left < decline!.left, 'visual order is tab order').to.equal(
      true,
    );
  });

  it('answers through the controller, and Escape declines', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<IncomingCall>(
      html`<incoming-call
        silent
        call-id="c1"
        kind="video"
        .caller=${bob}
        .controller=${controller}
      ></incoming-call>`,
    );
    part(el, 'answer-voice-button')!.click();
    el.focus();
    await sendKeys({ press: 'Escape' });
    expect(controller.actions).to.deep.equal([
      { name: 'answer', args: ['c1', 'voice'] },
      { name: 'reject', args: ['c1'] },
    ]);
  });

  it('a page may veto answering', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<IncomingCall>(
      html`<incoming-call silent call-id="c1" .caller=${bob} .controller=${controller}></incoming-call>`,
    );
    el.addEventListener('request-answer', (e) => {
      expect(e.callId).to.equal('c1');
      e.preventDefault();
    });
    part(el, 'answer-voice-button')!.click();
    expect(controller.actions).to.deep.equal([]);
  });

  it('a group ring: answering joins the group call', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<IncomingCall>(
      html`<incoming-call
        silent
        group
        call-id="notif-1"
        kind="video"
        .caller=${bob}
        .controller=${controller}
      ></incoming-call>`,
    );
    expect(part(el, 'kind')!.textContent).to.equal('Incoming group call');
    part(el, 'answer-video-button')!.click();
    expect(controller.actions).to.deep.equal([{ name: 'joinGroupCall', args: ['video'] }]);
  });

  it('a group ring: declining tells everyone', async () => {
    const controller = new TestCallController(snapshotOf());
    const el = await fixture<IncomingCall>(
      html`<incoming-call
        silent
        group
        call-id="notif-1"
        kind="video"
        .caller=${bob}
        .controller=${controller}
      ></incoming-call>`,
    );
    part(el, 'reject-button')!.click();
    expect(controller.actions).to.deep.equal([{ name: 'declineGroupCall', args: [] }]);
  });

  it('rings with Web Audio while shown, and stops on answer and on removal', async () => {
    const el = await fixture<IncomingCall>(html`<incoming-call call-id="c1" .caller=${bob}></incoming-call>`);
    await settle(el);
    expect(el.ringtone.started).to.equal(true);
    // The test browser allows audio without a gesture, so the context runs at once.
    const deadline = Date.now() + 2000;
    while (!el.ringtone.playing && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(el.ringtone.playing).to.equal(true);
    part(el, 'answer-voice-button')!.click();
    expect(el.ringtone.started).to.equal(false);

    const again = await fixture<IncomingCall>(
      html`<incoming-call call-id="c2" .caller=${bob}></incoming-call>`,
    );
    await settle(again);
    expect(again.ringtone.started).to.equal(true);
    again.remove();
    expect(again.ringtone.started).to.equal(false);
  });

  it('no ringtone when silent or for a waiting call', async () => {
    const silent = await fixture<IncomingCall>(html`<incoming-call silent .caller=${bob}></incoming-call>`);
    const waiting = await fixture<IncomingCall>(html`<incoming-call waiting .caller=${bob}></incoming-call>`);
    await settle(silent);
    await settle(waiting);
    expect(silent.ringtone.started).to.equal(false);
    expect(waiting.ringtone.started).to.equal(false);
    expect(part(waiting, 'kind')!.textContent).to.equal('Call waiting');
  });
});
