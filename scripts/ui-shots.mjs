/* global document, innerWidth, innerHeight */
// Takes screenshots of the demo for people to look at (not a test): a 1:1 video call, the group
// call and the walkie-talkie, at desktop width and 375 px. Usage: node scripts/ui-shots.mjs OUTDIR PREFIX
import puppeteer from 'puppeteer-core';
import { findChromium, CHROMIUM_FLAGS } from './browser-path.mjs';

const out = process.argv[2] ?? 'test-results/ui-shots';
const prefix = process.argv[3] ?? 'shot';
const base = process.env.DEMO_URL ?? 'http://localhost:8100/';
const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function frameOf(page, name) {
  for (let i = 0; i < 100; i++) {
    for (const f of page.frames()) {
      if (f.detached) continue;
      const title = await f.frameElement().then((el) => el?.evaluate((e) => e.title)).catch(() => undefined);
      if (title === `${name}'s call widget`) return f;
    }
    await sleep(200);
  }
  throw new Error(`no frame for ${name}`);
}
async function click(frame, selector) {
  const el = await frame.waitForSelector(`pierce/${selector}`, { timeout: 20000 });
  await el.click();
}
async function shoot(page, name) {
  await page.screenshot({ path: `${out}/${prefix}-${name}.png`, fullPage: true });
  console.log('saved', name);
}

async function trySelect(page, index) {
  const radios = await page.$$('input[name="room"]');
  await radios[index].click();
  await sleep(5000);
}

for (const [width, label] of [[1280, 'wide'], [375, 'phone']]) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  await page.goto(base, { waitUntil: 'load' });
  let alice = await frameOf(page, 'Alice');
  let bob = await frameOf(page, 'Bob');
  await sleep(1500);
  await shoot(page, `${label}-idle`);
  await click(alice, 'button[part~="video-call-button"]');
  await sleep(1500);
  await shoot(page, `${label}-ringing`);
  await click(bob, 'button[part~="answer-video-button"]');
  await sleep(4000);
  await shoot(page, `${label}-video-call`);
  // Figures for the record: the remote box's shape and how much larger it is than the self view.
  const figures = await alice.evaluate(() => {
    const root = document.querySelector('matrix-call')?.shadowRoot;
    const main = root?.querySelector('call-tile.main')?.getBoundingClientRect();
    const pip = root?.querySelector('call-tile.pip')?.getBoundingClientRect();
    const video = root?.querySelector('call-tile.main')?.shadowRoot?.querySelector('video');
    const bar = root?.querySelector('call-controls')?.shadowRoot?.querySelectorAll('button');
    const rows = new Set([...(bar ?? [])].map((b) => Math.round(b.getBoundingClientRect().top))).size;
    return main && pip && video
      ? {
          widget: `${innerWidth}x${innerHeight}`,
          remoteBox: `${Math.round(main.width)}x${Math.round(main.height)} (${(main.width / main.height).toFixed(3)})`,
          remoteVideo: `${video.videoWidth}x${video.videoHeight} (${(video.videoWidth / video.videoHeight).toFixed(3)})`,
          remoteOverSelfArea: ((main.width * main.height) / (pip.width * pip.height)).toFixed(1),
          controlRows: rows,
          widgetScrollWidth: document.documentElement.scrollWidth,
        }
      : undefined;
  });
  console.log(label, 'figures', JSON.stringify(figures));
  await click(alice, 'button[part~="keypad-button"]').catch(() => {});
  await sleep(500);
  await shoot(page, `${label}-keypad`);
  await click(alice, 'button[part~="keypad-button"]').catch(() => {});
  await click(alice, 'button[part~="hold-button"]').catch(() => {});
  await sleep(1500);
  await shoot(page, `${label}-hold`);
  await click(alice, 'button[part~="hangup-button"]');
  await sleep(1500);
  await shoot(page, `${label}-ended`);
  await click(alice, 'button[part~="close-button"]').catch(() => {});
  await click(alice, 'button[part~="voice-call-button"]');
  await sleep(1500);
  await click(bob, 'button[part~="answer-voice-button"]');
  await sleep(3000);
  await shoot(page, `${label}-voice-call`);
  await click(bob, 'button[part~="hangup-button"]');
  await sleep(1000);
  console.log(label, 'page scrollWidth', await page.evaluate(() => document.documentElement.scrollWidth));
  // The three-person room: a group call, then the walkie-talkie.
  await trySelect(page, 1);
  alice = await frameOf(page, 'Alice');
  bob = await frameOf(page, 'Bob');
  const carol = await frameOf(page, 'Carol');
  await sleep(1500);
  // The first joins; the call rings the others, who answer (or join from the idle view).
  for (const f of [alice, bob, carol]) {
    await click(f, 'button[part~="join-group-button"], button[part~="answer-video-button"]');
    await sleep(2500);
  }
  await sleep(3000);
  await shoot(page, `${label}-group-call`);
  await click(alice, 'button[part~="layout-button"]').catch(() => {});
  await sleep(800);
  await shoot(page, `${label}-group-spotlight`);
  await click(carol, 'button[part~="hangup-button"]');
  await sleep(2500);
  await shoot(page, `${label}-group-left`);
  await click(alice, 'button[part~="hangup-button"]');
  await click(bob, 'button[part~="hangup-button"]');
  await sleep(1500);
  for (const f of [alice, bob]) {
    await click(f, 'button[part~="walkie-talkie-button"]').catch(() => {});
    await sleep(2500);
  }
  await shoot(page, `${label}-walkie-talkie-on`);
  const talk = await alice.waitForSelector('pierce/ptt-button button', { timeout: 10000 }).catch(() => undefined);
  if (talk) {
    const box = await talk.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await sleep(2500);
    await shoot(page, `${label}-walkie-talkie`);
    await page.mouse.up();
  }
  console.log(label, 'page scrollWidth', await page.evaluate(() => document.documentElement.scrollWidth));
  await page.close();
}
await browser.close();
