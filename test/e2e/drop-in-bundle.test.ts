import { expect } from '@open-wc/testing';

// Needs `npm run build` first (npm test does it): checks the built artefacts, not the sources.
interface Manifest {
  modules: { declarations?: { tagName?: string; customElement?: boolean }[] }[];
}

describe('the drop-in bundle', () => {
  it('registers every element that custom-elements.json documents', async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
    const tags = manifest.modules
      .flatMap((m) => m.declarations ?? [])
      .map((d) => d.tagName)
      .filter((t): t is string => typeof t === 'string');
    expect(tags).to.include.members(['matrix-call', 'call-tile', 'ptt-button']);
    for (const tag of tags) expect(customElements.get(tag), `${tag} before loading`).to.equal(undefined);

    const bundleUrl = '/dist/matrix-call-kit.min.js';
    await import(/* @vite-ignore */ bundleUrl);
    for (const tag of tags) expect(customElements.get(tag), `${tag} after loading`).to.be.a('function');
  });

  it('tolerates being loaded twice (a widget page may include it twice)', async () => {
    const again = '/dist/matrix-call-kit.min.js?second-copy';
    await import(/* @vite-ignore */ again);
    expect(customElements.get('matrix-call')).to.be.a('function');
  });
});
