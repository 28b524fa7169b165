/* global setTimeout, document */
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

for (const [width, label] of [[1280, 'wide'], [375, 'phone']]) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  await page.goto(base, { waitUntil: 'load' });
  const alice = await frameOf(page, 'Alice');
  const bob = await frameOf(page, 'Bob');
  await sleep(1500);
  await shoot(page, `${label}-idle`);
  await click(alice, 'button[part~="video-call-button"]');
  await sleep(1500);
  await shoot(page, `${label}-ringing`);
  await click(bob, 'button[part~="answer-video-button"], button[part~="answer-video"]').catch(async () => {
    const buttons = await bob.$$('pierce/incoming-call button');
    await buttons.at(-1)?.click();
  });
  await sleep(4000);
  await shoot(page, `${label}-video-call`);
  await click(alice, 'button[part~="keypad-button"]').catch(() => {});
  await sleep(500);
  await shoot(page, `${label}-keypad`);
  await click(alice, 'button[part~="hangup-button"]');
  await sleep(1500);
  await shoot(page, `${label}-ended`);
  const width1 = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log(label, 'page scrollWidth', width1);
  await page.close();
}
await browser.close();
