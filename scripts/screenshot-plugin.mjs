// A web-test-runner command: `executeServerCommand('save-screenshot', { name, selector? })` writes a PNG
// of the test page (or of one element) to test-results/screenshots/NAME.png so a person can look at it.
// It only writes files; it compares nothing.
import { mkdirSync } from 'node:fs';

export function screenshotPlugin() {
  return {
    name: 'save-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'save-screenshot') return undefined;
      const { name, selector } = payload ?? {};
      if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) throw new Error('save-screenshot needs a simple name');
      const page = session.browser.getPage(session.id);
      mkdirSync('test-results/screenshots', { recursive: true });
      const path = `test-results/screenshots/${name}.png`;
      if (selector) {
        const handle = await page.$(selector);
        if (!handle) throw new Error(`save-screenshot: nothing matches ${selector}`);
        await handle.screenshot({ path });
      } else {
        await page.screenshot({ path, fullPage: true });
      }
      return path;
    },
  };
}
