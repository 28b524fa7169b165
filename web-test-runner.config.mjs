// Browser tests: groups unit, integration, e2e, interop, fuzz, shipped, adversarial, sfu (`web-test-runner --group NAME`);
// all run by default.
// adversarial: hostile input, spoofing and trust rules (docs/security.md).
// shipped: the built artefacts as users get them, from a plain static server (scripts/shipped/).
// sfu: against real livekit-server nodes that scripts/sfu/sfu-rig-plugin.mjs starts on loopback when a
// test asks (build the server first: scripts/sfu/ensure-livekit.sh).
import { existsSync, readdirSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChromium, CHROMIUM_FLAGS } from './scripts/browser-path.mjs';
import { countingReporter } from './scripts/counting-reporter.mjs';
import { screenshotPlugin } from './scripts/screenshot-plugin.mjs';
import { devServerMiddleware } from './scripts/dev-middleware.mjs';
import { kitDevServerPlugins } from './scripts/dev-server-plugins.mjs';
import { jwtServiceDoubleMiddleware } from './scripts/jwt-service-double.mjs';
import { shippedArtefactsPlugin } from './scripts/shipped/artefacts-plugin.mjs';
import { sfuRigPlugin } from './scripts/sfu/sfu-rig-plugin.mjs';

// A group with no test files yet is left out, since the runner refuses an empty pattern.
function hasTests(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
}
const group = (name, dirs) => ({ name, files: dirs.map((d) => `${d}/**/*.test.ts`), dirs });
const groups = [
  group('unit', ['test/unit', 'components']),
  group('integration', ['test/integration']),
  group('e2e', ['test/e2e']),
  group('interop', ['test/interop']),
  // Self-checks of the test rig itself (the matrix-js-sdk peer harness): no kit code runs there.
  group('harness', ['test/harness']),
  group('fuzz', ['test/fuzz']),
  group('shipped', ['test/shipped']),
  group('adversarial', ['test/adversarial']),
  group('sfu', ['test/sfu']),
]
  .filter((g) => g.dirs.some(hasTests))
  .map(({ name, files }) => ({ name, files }));
// `web-test-runner path/to/a.test.ts` runs just that file, not every group besides.
const namedFiles = process.argv.slice(2).some((arg) => arg.endsWith('.ts') || arg.includes('*'));

export default {
  nodeResolve: { exportConditions: ['browser', 'development'] },
  rootDir: '.',
  concurrency: 1,
  testsFinishTimeout: 15 * 60 * 1000,
  testFramework: { config: { timeout: 20000 } },
  browserStartTimeout: 60000,
  groups: namedFiles ? [] : groups,
  // The JWT service double (labelled as one) answers the SFU token tests on this same server.
  middleware: [...devServerMiddleware, jwtServiceDoubleMiddleware],
  plugins: [
    screenshotPlugin(),
    shippedArtefactsPlugin(),
    sfuRigPlugin(),
    ...kitDevServerPlugins({ matrixJsSdk: true }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChromium(),
        headless: true,
        args: CHROMIUM_FLAGS,
      },
    }),
  ],
  reporters: [process.env.CI ? summaryReporter({ flatten: true }) : defaultReporter(), countingReporter()],
};
