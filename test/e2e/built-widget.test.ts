/**
 * The built widget page (dist/widget/index.html, what `npm run build` writes for real hosts to serve
 * from any static server) inside the demo's host: a real ClientWidgetApi per person over the
 * homeserver double. Needs `npm run build` first (npm test does it): it checks the built files, not
 * the TypeScript sources the dev server compiles.
 */
import { expect } from '@open-wc/testing';
import { startDemo, type Demo } from '../../demo/demo-app.js';

const ALICE = '@alice:demo.invalid';
const BOB = '@bob:demo.invalid';

async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function callElement(demo: Demo, userId: string, view: string): Promise<HTMLElement> {
  return until(`${userId}'s built widget to show ${view}`, () => {
    const element = demo.grid
      .widgetOf(userId)
      ?.iframe.contentDocument?.querySelector<HTMLElement>('matrix-call');
    return element?.getAttribute('view') === view && element.shadowRoot ? element : undefined;
  });
}

describe('the built widget page (e2e)', function () {
  this.timeout(60_000);
  let root: HTMLElement;
  let demo: Demo;

  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
    demo = startDemo(root, { widgetUrl: new URL('/dist/widget/index.html', location.href).href });
  });

  afterEach(() => {
    demo.dispose();
    root.remove();
  });

  it('loads the bundled widget.js (no TypeScript), asks its capabilities, and rings Bob on a voice call', async () => {
    const iframe = await until('Alice’s widget iframe', () => demo.grid.widgetOf(ALICE)?.iframe);
    const alice = await callElement(demo, ALICE, 'idle');
    await callElement(demo, BOB, 'idle');
    const scripts = [...(iframe.contentDocument?.querySelectorAll('script') ?? [])].map((s) => s.src);
    expect(scripts.some((src) => src.endsWith('/dist/widget/widget.js'))).to.equal(true);
    expect(demo.grid.widgetOf(ALICE)!.approved()).to.include('org.matrix.msc2762.send.event:m.call.invite');

    alice.shadowRoot!.querySelector<HTMLElement>('[part~="voice-call-button"]')!.click();
    await callElement(demo, BOB, 'incoming');
  });
});
