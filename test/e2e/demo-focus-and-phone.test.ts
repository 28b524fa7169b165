/**
 * The demo host page as a person at a phone or typing in the host would meet it: the widget never
 * takes focus from the host page (not on a ring, not on a remote hang-up), and at 375 px the page,
 * including an expanded m.call.invite in the event panel, never scrolls sideways.
 */
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { BOB, ALICE, inView, mountDemoForEachTest, part, until } from '../support/demo-page.js';
import { saveScreenshot } from '../support/screenshot.js';

describe('the demo page: focus stays with the host, and the page fits a phone (e2e)', function () {
  this.timeout(90_000);
  const mounted = mountDemoForEachTest();

  after(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('a ring and a remote hang-up leave focus in the host’s text box; at 375 px nothing scrolls sideways', async () => {
    await setViewport({ width: 375, height: 800 });
    const { demo, root } = mounted;
    const hostInput = document.createElement('input');
    hostInput.setAttribute('aria-label', 'Host message box');
    root.prepend(hostInput);

    const alice = await inView(demo, ALICE, 'idle');
    await inView(demo, BOB, 'idle');
    hostInput.focus();
    expect(document.activeElement).to.equal(hostInput);

    part(alice.shadowRoot, 'voice-call-button').click();
    const bob = await inView(demo, BOB, 'incoming');
    expect(document.activeElement, 'the ring did not take focus').to.equal(hostInput);
    const answer = await until('Bob’s answer button', () =>
      bob.shadowRoot?.querySelector('incoming-call')?.shadowRoot?.querySelector<HTMLElement>('[part~="answer-voice-button"]'),
    );
    answer.click();
    await inView(demo, BOB, 'in-call');
    hostInput.focus();

    const controls = part(alice.shadowRoot, 'controls');
    const hangup = await until('Alice’s hang-up button', () =>
      controls.shadowRoot?.querySelector<HTMLElement>('[part~="hangup-button"]'),
    );
    hangup.click();
    await inView(demo, BOB, 'ended');
    expect(document.activeElement, 'the remote hang-up did not take focus').to.equal(hostInput);

    // Open the invite's JSON in the event panel: it wraps inside its own box.
    const invite = await until('the m.call.invite row', () =>
      root.querySelector<HTMLDetailsElement>('.event-row[data-type="m.call.invite"] details'),
    );
    invite.open = true;
    await new Promise((r) => requestAnimationFrame(r));
    expect(document.documentElement.scrollWidth, 'page width at 375 px').to.be.at.most(innerWidth);
    const pre = invite.querySelector('pre')!;
    expect(pre.getBoundingClientRect().right).to.be.at.most(innerWidth);
    await saveScreenshot('demo-phone-after-call');
  });
});
