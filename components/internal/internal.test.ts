import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import { ContextProvider } from '@lit/context';
import { KitElement } from './base-element.js';
import { ControllerSubscription } from './controller-subscription.js';
import { callControllerContext } from './context.js';
import { PlaceCallRequestEvent } from './events.js';
import { formatDuration, getLocale, initials, msg, registerMessages, setLocale } from './messages.js';
import { SpeakingHysteresis, Ringtone } from './audio.js';
import { TestCallController, snapshotOf } from '../../test/support/test-call-controller.js';
import type { CallControllerApi } from '../../src/snapshot.js';

class ProbeElement extends KitElement {
  controller?: CallControllerApi;
  static override properties = { controller: { attribute: false } };
  readonly subscription = new ControllerSubscription(this);
  renders = 0;
  protected override render() {
    this.renders++;
    return litHtml`${this.subscription.snapshot?.status ?? 'none'}`;
  }
}
ProbeElement.define('test-probe');

class ProviderElement extends LitElement {
  readonly provider = new ContextProvider(this, { context: callControllerContext });
  protected override render() {
    return litHtml`<slot></slot>`;
  }
}
customElements.define('test-provider', ProviderElement);

describe('components/internal', () => {
  describe('KitElement', () => {
    it('define() tolerates a second registration of the same tag', () => {
      class Again extends KitElement {}
      expect(() => Again.define('test-probe')).to.not.throw();
      expect(customElements.get('test-probe')).to.equal(ProbeElement);
    });

    it('emit() sends events that bubble out of shadow roots and may be vetoed', async () => {
      const el = await fixture<ProbeElement>(html`<div><test-probe></test-probe></div>`).then((d) => d.firstElementChild as ProbeElement);
      let seen: PlaceCallRequestEvent | undefined;
      document.addEventListener('request-place-call', (e) => (seen = e), { once: true });
      expect(el.emit(new PlaceCallRequestEvent('video'))).to.equal(true);
      expect(seen?.kind).to.equal('video');
      expect(seen?.composed).to.equal(true);
      el.addEventListener('request-place-call', (e) => e.preventDefault(), { once: true });
      expect(el.emit(new PlaceCallRequestEvent('voice'))).to.equal(false);
    });
  });

  describe('ControllerSubscription', () => {
    it('prefers the explicit .controller, then context, and re-renders on change', async () => {
      const fromContext = new TestCallController(snapshotOf({ status: 'starting' }));
      const explicit = new TestCallController(snapshotOf({ status: 'ready' }));
      const provider = await fixture<ProviderElement>(html`<test-provider><test-probe></test-probe></test-provider>`);
      provider.provider.setValue(fromContext);
      const probe = provider.querySelector<ProbeElement>('test-probe')!;
      await probe.updateComplete;
      expect(probe.subscription.controller).to.equal(fromContext);
      expect(probe.shadowRoot!.textContent).to.equal('starting');
      fromContext.update({ status: 'error' });
      await probe.updateComplete;
      expect(probe.shadowRoot!.textContent).to.equal('error');
      probe.controller = explicit;
      await probe.updateComplete;
      expect(probe.subscription.controller).to.equal(explicit);
      expect(probe.shadowRoot!.textContent).to.equal('ready');
      const before = probe.renders;
      fromContext.update({ status: 'starting' });
      await probe.updateComplete;
      expect(probe.renders, 'no longer follows the context controller').to.equal(before);
    });

    it('throws a clear message when there is no controller at all', async () => {
      const probe = await fixture<ProbeElement>(html`<test-probe></test-probe>`);
      expect(() => probe.subscription.require()).to.throw(/<test-probe> needs a call controller and has none.*\.controller/);
    });

    it('unsubscribes on disconnect', async () => {
      const controller = new TestCallController();
      const probe = await fixture<ProbeElement>(html`<test-probe .controller=${controller}></test-probe>`);
      probe.remove();
      const before = probe.renders;
      controller.update({ status: 'error' });
      await probe.updateComplete;
      expect(probe.renders).to.equal(before);
    });
  });

  describe('messages', () => {
    afterEach(() => setLocale('en'));

    it('fills placeholders and falls back from a region to its language, then to English', () => {
      expect(msg('call.inviting', { name: 'Bob' })).to.equal('Calling Bob…');
      registerMessages('de', { 'idle.voiceCall': 'Sprachanruf' });
      expect(setLocale('de-AT')).to.equal('de');
      expect(getLocale()).to.equal('de');
      expect(msg('idle.voiceCall')).to.equal('Sprachanruf');
      expect(msg('idle.videoCall'), 'missing keys fall back to English').to.equal('Video call');
      expect(setLocale('xx')).to.equal('en');
    });

    it('re-renders elements when the locale changes', async () => {
      class LocaleProbe extends KitElement {
        protected override render() {
          return litHtml`${msg('ended.close')}`;
        }
      }
      LocaleProbe.define('test-locale-probe');
      registerMessages('fr', { 'ended.close': 'Fermer' });
      const el = await fixture<LocaleProbe>(html`<test-locale-probe></test-locale-probe>`);
      expect(el.shadowRoot!.textContent).to.equal('Close');
      setLocale('fr');
      await el.updateComplete;
      expect(el.shadowRoot!.textContent).to.equal('Fermer');
    });

    it('formats durations and initials', () => {
      expect(formatDuration(65_000)).to.equal('1:05');
      expect(formatDuration(3_723_000)).to.equal('1:02:03');
      expect(initials('Alice Liddell')).to.equal('AL');
      expect(initials('@bob:example.org')).to.equal('BE');
      expect(initials('')).to.equal('?');
    });
  });

  describe('audio', () => {
    it('SpeakingHysteresis starts above the threshold and ends after the hold time below it', () => {
      const h = new SpeakingHysteresis(0.02, 400);
      expect(h.push(0.001, 0)).to.equal(false);
      expect(h.push(0.05, 100)).to.equal(true);
      expect(h.speaking).to.equal(true);
      expect(h.push(0.015, 200), 'between the two thresholds keeps speaking').to.equal(false);
      expect(h.push(0.001, 300)).to.equal(false);
      expect(h.push(0.001, 600)).to.equal(false);
      expect(h.push(0.001, 700)).to.equal(true);
      expect(h.speaking).to.equal(false);
    });

    it('Ringtone plays where audio is allowed and frees its context on stop', async () => {
      const tone = new Ringtone(0.01, 500);
      tone.start();
      const deadline = Date.now() + 2000;
      while (!tone.playing && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(tone.playing).to.equal(true);
      tone.stop();
      expect(tone.playing).to.equal(false);
      expect(tone.started).to.equal(false);
    });
  });
});
