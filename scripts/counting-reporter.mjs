// A web-test-runner reporter that counts the real results of every test (and every test file that
// failed to load) and prints the closing line `tests: N passed, N failed`, alone on its line.
// It also writes the counts to test-results/summary.json. It never decides pass or fail itself.
import { mkdirSync, writeFileSync } from 'node:fs';

function countSuite(suite, counts) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else {
      counts.failed += 1;
      counts.failures.push(test.name);
    }
  }
  for (const child of suite.suites ?? []) countSuite(child, counts);
}

export function countingReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        if (session.testResults) countSuite(session.testResults, counts);
        // A file that could not load or threw outside a test counts as one failure.
        const broken = (session.errors?.length ?? 0) > 0 || (!session.passed && !session.testResults);
        if (broken) {
          counts.failed += 1;
          counts.failures.push(`${session.testFile} (${session.errors?.[0]?.message ?? 'did not run'})`);
        }
      }
      mkdirSync('test-results', { recursive: true });
      writeFileSync('test-results/summary.json', JSON.stringify(counts, null, 2));
      const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
      // The reporter runs before the runner's own final output; print on stderr-free stdout line.
      process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
    },
  };
}
