// The npm package as a user gets it: `npm pack` of this repository (its built dist/), installed into a
// fresh project outside the repository, imported through the package's three entries, bundled by
// esbuild and type-checked by TypeScript under the `bundler` and `node16` resolution modes.
//
// Owns: the scratch project's files (test/shipped/scratch/ is copied in), the pack, the install, the
// bundle and the type checks, each step's output for the test to show. Never: reads the repository's
// sources from the scratch project (only the installed tarball), or decides whether a step passed.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve('.');
const run = (command, args, cwd) =>
  new Promise((done) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: process.env }, (error, stdout, stderr) =>
      done({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        output: `${stdout}${stderr}`,
      }),
    );
  });

/**
 * Packs, installs and bundles once per call. Resolves to `{ dir, steps }`: `dir` is the scratch
 * project (its page at dir/index.html, the bundle in dir/out/), `steps` each `{ name, code, output }`.
 * Stops at the first failing step.
 */
export async function buildScratchProject() {
  const dir = mkdtempSync(join(tmpdir(), 'matrix-call-kit-scratch-'));
  const steps = [];
  const step = async (name, command, args, cwd) => {
    const result = await run(command, args, cwd);
    steps.push({ name, ...result });
    return result.code === 0;
  };
  cpSync(join(repo, 'test/shipped/scratch'), dir, { recursive: true });
  const ok =
    (await step('npm pack', 'npm', ['pack', '--pack-destination', dir, '--silent'], repo)) &&
    (await step(
      'npm install (the tarball, fresh project)',
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${packedName()}`],
      dir,
    )) &&
    (await bundleStep(dir, steps));
  return { dir, ok, steps };
}

/** Type-checks the scratch project's check.ts with tsconfig.<mode>.json (`bundler` or `node16`). */
export async function typeCheckScratch(dir, mode) {
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  return {
    name: `tsc (${mode})`,
    ...(await run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], dir)),
  };
}

export function removeScratch(dir) {
  rmSync(dir, { recursive: true, force: true });
}

function packedName() {
  const { name, version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  return `${name}-${version}.tgz`;
}

// ES modules with code splitting (the LiveKit backend loads lazily), for browsers, minified. The
// scratch project's own node_modules resolve every import: esbuild starts from the project's folder.
async function bundleStep(dir, steps) {
  const esbuild = await import('esbuild');
  try {
    const result = await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ['app.ts'],
      bundle: true,
      format: 'esm',
      splitting: true,
      platform: 'browser',
      target: 'es2022',
      minify: true,
      outdir: 'out',
      logLevel: 'silent',
    });
    steps.push({ name: 'esbuild bundle', code: 0, output: result.warnings.map((w) => w.text).join('\n') });
    return true;
  } catch (error) {
    steps.push({ name: 'esbuild bundle', code: 1, output: String(error) });
    return false;
  }
}
