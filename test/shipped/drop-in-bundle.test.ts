/**
 * The drop-in bundle (dist/matrix-call-kit.min.js) as a page author uses it: one script tag in a plain
 * HTML page (test/shipped/fixtures/drop-in.html), served by a plain static server with no import map
 * and no rewriting, cross-origin to the test page. Needs `npm run build` first (npm test does it).
 */
import { expect } from '@open-wc/testing';
import { inFrame, shippedOrigin, untilInFrame } from '../support/cross-origin-widget.js';

const TAGS = [
  'matrix-call',
  'call-tile',
  'call-controls',
  'incoming-call',
  'device-select',
  'dtmf-keypad',
  'ptt-button',
  'ptt-messages',
];

describe('the drop-in bundle in a plain page (shipped)', function () {
  this.timeout(60_000);
  let iframe: HTMLIFrameElement;

  before(async () => {
    iframe = document.createElement('iframe');
    iframe.src = `${await shippedOrigin()}/fixtures/drop-in.html?drop-in-page`;
    iframe.style.width = '720px';
    iframe.style.height = '600px';
    document.body.append(iframe);
  });
  after(() => iframe.remove());

  it('registers every element from one script tag, with no page errors', async () => {
    await untilInFrame(
      'the elements to register',
      'drop-in-page',
      `${JSON.stringify(TAGS)}.every((t) => customElements.get(t))`,
    );
    expect(await inFrame<string[]>('drop-in-page', 'window.pageErrors')).to.deep.equal([]);
  });

  it('renders a call tile with its name and a matrix-call that tells the page author it has no controller', async () => {
    const tileText = await untilInFrame<string>(
      'the tile to render',
      'drop-in-page',
      `document.querySelector('call-tile')?.shadowRoot?.textContent?.includes('Alice Liddell') && document.querySelector('call-tile').shadowRoot.textContent`,
    );
    expect(tileText).to.include('Alice Liddell');
    const callText = await untilInFrame<string>(
      'matrix-call to render',
      'drop-in-page',
      `document.querySelector('matrix-call')?.shadowRoot?.textContent?.trim() || ''`,
    );
    expect(callText).to.match(/controller/i);
  });
});
