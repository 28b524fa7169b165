// Makes sure a Chromium is there before tests run. Installs Debian's chromium when it is missing and
// this process may (root with apt-get); otherwise stops with a message naming what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './browser-path.mjs';

let path = findChromium();
if (!path) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('No Chromium found: installing Debian\'s chromium package (apt-get install chromium)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    path = findChromium();
  }
}
if (!path) {
  console.error(
    'No Chromium found. The tests run in a real Chromium.\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium\n' +
      '  Or point CHROME_PATH at a Chromium or Chrome binary: CHROME_PATH=/path/to/chrome npm test',
  );
  process.exit(1);
}
if (!process.env.CI) console.log(`Using Chromium at ${path}`);
