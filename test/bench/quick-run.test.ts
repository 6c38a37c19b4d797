/**
 * Keeps `npm run bench -- --quick` working: every strategy records every
 * account it attempted correctly, none lost. Speed is not asserted: the
 * machine running the tests is shared.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench, type BenchRun } from '../../bench/main';

describe('npm run bench -- --quick', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'rootkeeper-bench-'));
  let run: BenchRun;
  const lines: string[] = [];

  beforeAll(async () => {
    run = await runBench(['--quick', '--out', out], (line) => lines.push(line));
    // Five processes (Rootkeeper, each baseline twice) and the new-account path: minutes on a busy machine.
  }, 420_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs the three strategies on the same organization, each baseline with 3 and with 8 attempts', () => {
    const [scenario] = run.report.scenarios;
    expect(run.report.scenarios).toHaveLength(1);
    expect(scenario?.rows.map((row) => `${row.strategy} ${row.maxAttempts ?? ''}`.trim()).sort()).toEqual([
      'rootkeeper',
      'sequential-loop 3',
      'sequential-loop 8',
      'unbounded-burst 3',
      'unbounded-burst 8',
    ]);
  });

  it('records every account correctly with every strategy, none lost', () => {
    for (const row of run.report.scenarios.flatMap((scenario) => scenario.rows)) {
      const { correctness } = row;
      expect({ strategy: row.strategy, ...correctness, wrongIds: [], missingIds: [] }).toMatchObject({
        strategy: row.strategy,
        wrong: 0,
        missing: 0,
        unexpected: 0,
        correct: correctness.expected,
      });
      expect(correctness.expected).toBeGreaterThan(0);
    }
  });

  it('measures the sandbox, and for Rootkeeper the table, in processes apart from the strategy', () => {
    for (const row of run.report.scenarios.flatMap((scenario) => scenario.rows)) {
      expect(row.emulators?.sandboxPeakRssMb).toBeGreaterThan(0);
      expect(row.emulators?.tablePeakRssMb === undefined).toBe(row.strategy !== 'rootkeeper');
    }
    expect(readFileSync(run.files.markdown, 'utf8')).toContain("the sandbox's process");
  });

  it('labels the sampled sequential loop as extrapolated', () => {
    const sequential = run.report.scenarios[0]?.rows.find((row) => row.strategy === 'sequential-loop');
    expect(sequential?.extrapolated).toBe(true);
    expect(readFileSync(run.files.markdown, 'utf8')).toContain('is extrapolated');
  });

  it('measures the new-account path for a clean account', () => {
    expect(run.report.newAccount?.recorded).toBe(true);
    expect(run.report.newAccount?.correct).toBe(true);
    // The count of round trips comes from call timings: printed by the bench, not asserted here.
    expect(run.report.newAccount?.sequentialRoundTrips).toBeGreaterThan(0);
  });

  it('writes the JSON, the Markdown and a chart', () => {
    expect(JSON.parse(readFileSync(run.files.json, 'utf8'))).toHaveProperty('scenarios');
    expect(run.files.charts.every((file) => existsSync(file))).toBe(true);
  });
});
