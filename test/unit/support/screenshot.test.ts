import { expect } from '@open-wc/testing';
import { saveScreenshot } from '../../support/screenshot.js';

describe('saveScreenshot', () => {
  it('writes a PNG of an element and refuses names that are not plain', async () => {
    document.body.innerHTML = '<p id="shot-target" style="width:80px;height:20px;background:teal">x</p>';
    const path = await saveScreenshot('support-self-check', '#shot-target');
    expect(path).to.equal('test-results/screenshots/support-self-check.png');
    const refused = await saveScreenshot('../escape').then(() => false, () => true);
    expect(refused).to.equal(true);
    document.body.innerHTML = '';
  });
});
