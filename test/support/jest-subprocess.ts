import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

export interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: string[];
}

export interface JestRun {
  /** null when the run was killed at the deadline: jest hung. */
  readonly exitCode: number | null;
  readonly output: string;
  /** jest's --json report, when jest got as far as writing it. */
  readonly report?: {
    testResults: { message: string; assertionResults: AssertionResult[] }[];
  };
}

/**
 * Runs jest on the project in a child process, as a developer would from the
 * command line, with its --json report. The deadline only stops a hung run;
 * callers assert on the exit code and the output, not on the time taken.
 */
export function runJest(args: string[], deadlineMs: number): JestRun {
  const folder = mkdtempSync(path.join(tmpdir(), 'rootkeeper-jest-run-'));
  const reportFile = path.join(folder, 'report.json');
  try {
    const child = spawnSync(
      process.execPath,
      [JEST, ...args, '--coverage=false', '--json', `--outputFile=${reportFile}`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: deadlineMs,
        killSignal: 'SIGKILL',
        env: { ...process.env, ROOTKEEPER_SKIP_TEST_TYPECHECK: '1' },
      },
    );
    let report: JestRun['report'];
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestRun['report'];
    } catch {
      report = undefined;
    }
    return { exitCode: child.status, output: `${child.stdout}${child.stderr}`, report };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
