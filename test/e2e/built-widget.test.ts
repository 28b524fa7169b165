/**
 * The built widget page (dist/widget/index.html, what `npm run build` writes for real hosts to serve
 * from any static server) inside the demo's host: a real ClientWidgetApi per person over the
 * homeserver double. Needs `npm run build` first (npm test does it): it checks the built files, not
 * the TypeScript sources the dev server compiles.
 */
import { expect } from '@open-wc/testing';
import { ALICE, BOB, inView, mountDemoForEachTest, until } from '../support/demo-page.js';

describe('the built widget page (e2e)', function () {
  this.timeout(60_000);
  const mounted = mountDemoForEachTest({
    widgetUrl: new URL('/dist/widget/index.html', location.href).href,
  });

  it('loads the bundled widget.js (no TypeScript), asks its capabilities, and rings Bob on a voice call', async () => {
    const { demo } = mounted;
    const iframe = await until('Alice’s widget iframe', () => demo.grid.widgetOf(ALICE)?.iframe);
    const alice = await inView(demo, ALICE, 'idle');
    await inView(demo, BOB, 'idle');
    const scripts = [...(iframe.contentDocument?.querySelectorAll('script') ?? [])].map((s) => s.src);
    expect(scripts.some((src) => src.endsWith('/dist/widget/widget.js'))).to.equal(true);
    expect(demo.grid.widgetOf(ALICE)!.approved()).to.include('org.matrix.msc2762.send.event:m.call.invite');

    alice.shadowRoot!.querySelector<HTMLElement>('[part~="voice-call-button"]')!.click();
    await inView(demo, BOB, 'incoming');
  });
});
