/**
 * The npm package as a user installs it: `npm pack` of this repository, installed into a fresh
 * project outside it (test/shipped/scratch/ copied to a temporary folder), its three entries imported
 * by an app that esbuild bundles, types checked under TypeScript's `bundler` and `node16` resolution,
 * and the bundled app run cross-origin in a ClientWidgetApi host where Alice calls Bob.
 * The work happens in scripts/shipped/scratch-project.mjs; needs `npm run build` first.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { ALICE, BOB, mountDemoForEachTest } from '../support/demo-page.js';
import {
  frameOf,
  shippedOrigin,
  untilInFrame,
  untilView,
  videoCallWithMediaBothWays,
} from '../support/cross-origin-widget.js';

interface Step {
  name: string;
  code: number;
  output: string;
}

/**
 * A scratch-project command's answer once its work is done: the command answers { pending: true } at
 * once while packing, installing or type-checking runs, since that outlasts one command's time limit
 * on a loaded machine.
 */
async function settled<T extends object, P>(command: string, payload?: P): Promise<T> {
  const end = Date.now() + 200_000;
  for (;;) {
    const answer = await executeServerCommand<T | { pending: true }, P>(command, payload);
    if (!('pending' in answer)) return answer;
    if (Date.now() > end) throw new Error(`${command} did not finish in 200 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const failed = (steps: Step[]) => steps.filter((s) => s.code !== 0).map((s) => `${s.name}:\n${s.output}`);

describe('the npm package, packed and installed into a fresh project (shipped)', function () {
  this.timeout(240_000);
  let built: { ok: boolean; steps: Step[] };
  let scratchUrl: string | undefined;

  before(async () => {
    built = await settled<{ ok: boolean; steps: Step[] }, undefined>('scratch-project');
    scratchUrl = `${await shippedOrigin()}/scratch/index.html`;
  });

  it('packs, installs from the tarball, and bundles with esbuild', () => {
    expect(failed(built.steps)).to.deep.equal([]);
    expect(built.steps.map((s) => s.name)).to.deep.equal([
      'npm pack',
      'npm install (the tarball, fresh project)',
      'esbuild bundle',
    ]);
  });

  for (const mode of ['bundler', 'node16'] as const) {
    it(`its types resolve under TypeScript's ${mode} resolution`, async () => {
      const result = await settled<Step, { mode: string }>('scratch-typecheck', { mode });
      expect(result.output.trim(), result.output).to.equal('');
      expect(result.code).to.equal(0);
    });
  }

  describe('the bundled app in a widget host', () => {
    const mounted = mountDemoForEachTest({
      get widgetUrl() {
        return scratchUrl;
      },
    });

    it('loads all three entries, and Alice video-calls Bob with media both ways', async () => {
      expect(built.ok, 'the scratch project was built').to.equal(true);
      const { demo } = mounted;
      await untilView(frameOf(ALICE), 'idle');
      await untilView(frameOf(BOB), 'idle');
      const tags = await untilInFrame<string[]>('the app', frameOf(ALICE), 'window.scratchApp?.elements');
      expect(tags).to.include('matrix-call');
      expect(demo.grid.widgetOf(ALICE)!.approved()).to.include('org.matrix.msc2762.send.event:m.call.invite');

      await videoCallWithMediaBothWays(ALICE, BOB);
    });
  });
});
