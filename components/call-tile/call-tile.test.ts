import { expect, fixture, html } from '@open-wc/testing';
import './call-tile.js';
import type { CallTile } from './call-tile.js';
import { settle } from '../../test/support/element-helpers.js';
import { streamOf } from '../../test/support/test-call-controller.js';
import { saveScreenshot } from '../../test/support/screenshot.js';

const part = (el: CallTile, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

/** A stream whose audio is a loud tone, to drive the speaking indicator. */
function toneStream(): { stream: MediaStream; stop: () => void } {
  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  gain.gain.value = 0.5;
  const dest = ctx.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  osc.start();
  return { stream: dest.stream, stop: () => void ctx.close() };
}

describe('<call-tile>', () => {
  it('shows the video (muted, inline) while video is on, and the initials while it is off', async () => {
    const view = streamOf();
    const el = await fixture<CallTile>(html`<call-tile name="Bob Builder" .stream=${view.stream} quality="fair"></call-tile>`);
    const video = part(el, 'video') as HTMLVideoElement;
    expect(video.hidden).to.equal(false);
    expect(video.muted).to.equal(true);
    expect(video.hasAttribute('playsinline')).to.equal(true);
    expect(video.srcObject).to.equal(view.stream);
    expect(part(el, 'avatar')).to.equal(null);
    expect(part(el, 'quality')!.getAttribute('aria-label')).to.equal('Fair connection');
    await expect(el).to.be.accessible();

    el.videoMuted = true;
    el.audioMuted = true;
    await settle(el);
    expect(video.hidden).to.equal(true);
    expect(part(el, 'initials')!.textContent).to.equal('BB');
    expect(part(el, 'mic-muted')!.textContent).to.contain('Microphone off');
    expect(part(el, 'camera-off')!.textContent).to.contain('Camera off');
    expect(el.matches(':state(video-off)')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('shows an avatar picture when given one, and initials without a stream', async () => {
    const el = await fixture<CallTile>(html`<call-tile name="Carol Danvers"></call-tile>`);
    expect(part(el, 'initials')!.textContent).to.equal('CD');
    el.avatarUrl = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    await settle(el);
    expect(part(el, 'avatar-image')!.getAttribute('src')).to.contain('data:image/gif');
  });

  it('mirrors the local camera but not a local screen share, and labels both', async () => {
    const el = await fixture<CallTile>(html`<call-tile local name="Alice" .stream=${streamOf().stream}></call-tile>`);
    const video = part(el, 'video')!;
    expect(video.classList.contains('mirrored')).to.equal(true);
    expect(getComputedStyle(video).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    expect(part(el, 'label')!.textContent).to.contain('Alice (you)');
    expect(part(el, 'quality'), 'no quality for the local side').to.equal(null);
    el.screenShare = true;
    await settle(el);
    expect(video.classList.contains('mirrored')).to.equal(false);
    expect(part(el, 'label')!.textContent).to.contain('Alice’s screen');
    expect(part(el, 'screen-share-badge')).to.not.equal(null);
  });

  it('lights the speaking indicator from the audio level, and drops it on mute', async function () {
    this.timeout(10_000);
    const tone = toneStream();
    const el = await fixture<CallTile>(html`<call-tile name="Bob" .stream=${tone.stream}></call-tile>`);
    const deadline = Date.now() + 4000;
    while (!el.speaking && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(el.speaking).to.equal(true);
    expect(el.hasAttribute('speaking')).to.equal(true);
    await saveScreenshot('call-tile-speaking', 'call-tile');
    el.audioMuted = true;
    await settle(el);
    expect(el.speaking).to.equal(false);
    tone.stop();
  });

  it('stays quiet on a silent stream, and leaves speaking to the page with no-speaking-detection', async () => {
    const silent = streamOf({ withAudio: true });
    const el = await fixture<CallTile>(html`<call-tile name="Bob" .stream=${silent.stream}></call-tile>`);
    await new Promise((r) => setTimeout(r, 600));
    expect(el.speaking).to.equal(false);
    const tone = toneStream();
    const manual = await fixture<CallTile>(html`<call-tile name="Bob" no-speaking-detection .stream=${tone.stream}></call-tile>`);
    await new Promise((r) => setTimeout(r, 600));
    expect(manual.speaking).to.equal(false);
    manual.speaking = true;
    await settle(manual);
    expect(manual.matches(':state(speaking)')).to.equal(true);
    tone.stop();
  });
});
