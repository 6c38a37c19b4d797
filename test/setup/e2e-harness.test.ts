import { runJest } from '../support/jest-subprocess';

/**
 * What a developer sees running e2e files from the command line: each in
 * its own jest, as `npx jest <file> -t <name>` would.
 */
const DEADLINE_MS = 240_000;
const TEST_TIMEOUT_MS = DEADLINE_MS + 60_000;

describe('e2e tests from the command line', () => {
  test(
    'one e2e test selected with -t runs alone and passes: it does not depend on the tests before it',
    () => {
      // The secret-scan tests once relied on the sessions earlier tests opened.
      const name = 'the scan is not blind';
      const run = runJest(['test/e2e/workflows.e2e.test.ts', '-t', name], DEADLINE_MS);
      const results = run.report?.testResults.flatMap((file) => file.assertionResults) ?? [];
      const ran = results.filter((result) => result.status !== 'pending');
      expect(ran.map(({ fullName, status }) => ({ fullName, status }))).toEqual([
        { fullName: expect.stringContaining(name) as string, status: 'passed' },
      ]);
      expect(run.exitCode).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a beforeAll that fails while the local stack starts: jest reports it and exits, nothing left open',
    () => {
      const run = runJest(
        ['test/fixtures/jest/failing-before-all.fixture.ts', '--testMatch', '**/fixtures/jest/*.fixture.ts'],
        DEADLINE_MS,
      );
      // Killed at the deadline (a hang: a stack left open), the exit code is null.
      expect(run.exitCode).toBe(1);
      const [file] = run.report?.testResults ?? [];
      const failures = file?.assertionResults.flatMap((result) => result.failureMessages).join('\n');
      expect(failures).toMatch(/Exceeded timeout of 1 ms for a hook/);
      expect(run.output).toContain('failing-before-all.fixture.ts');
      expect(run.output).not.toContain('Jest did not exit');
    },
    TEST_TIMEOUT_MS,
  );
});
