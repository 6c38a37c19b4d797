import { sequentialListingFloor } from '../../bench/floor';
import { renderJson } from '../../bench/report/json';
import { checkTargets, renderMarkdown } from '../../bench/report/markdown';
import type { BenchReport, Scenario } from '../../bench/report/model';
import { renderTable } from '../../bench/report/table';
import { buildRow, callsPerAccountOf, diffCounts, type CallCounts } from '../../bench/result';
import type { PostureFlags, StrategyOutcome } from '../../bench/types';

const clean: PostureFlags = {
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};
const calls: CallCounts = {
  total: 2000,
  byOperation: { 'sts:AssumeRoot': 1000 },
  throttled: 10,
  throttledByQuota: 4,
  failures: 2,
};
const floor = sequentialListingFloor({
  accounts: 1000,
  listedAccounts: 1001,
  pageSize: 20,
  medianLatencyMs: 60,
  sts: { burst: 600, ratePerSecond: 600 },
  callsPerAccount: 2,
});
const correctness = {
  expected: 1000,
  correct: 1000,
  wrong: 0,
  missing: 0,
  unexpected: 0,
  wrongIds: [],
  missingIds: [],
  unexpectedIds: [],
};

function outcome(
  strategy: StrategyOutcome['strategy'],
  wallMs: number,
  extra: Partial<StrategyOutcome> = {},
): StrategyOutcome {
  return {
    strategy,
    attemptedAccounts: 1000,
    measuredWallMs: wallMs,
    recorded: new Map([['111111111111', clean]]),
    completionsMs: [wallMs],
    failedCalls: 0,
    failureSamples: [],
    ...extra,
  };
}

const rootkeeper = buildRow({
  outcome: outcome('rootkeeper', 3600),
  accounts: 1000,
  faults: 'none',
  floor,
  calls,
  correctness,
  peakRssMb: 300,
  cpuMs: 2000,
  rootkeeper: {
    stateTransitions: 120,
    lambdaInvocations: 11,
    cost: {
      stepFunctions: 0.002,
      childExecutionStarts: 0.0001,
      lambdaRequests: 0,
      lambdaCompute: 0.001,
      dynamoDb: 0.001,
      dynamoDbIndex: 0.0005,
      cloudWatchLogs: 0.0004,
      total: 0.005,
      gbSeconds: 70,
      logBytes: 800 * 1024 ** 2,
      per1000Accounts: 0.005,
    },
  },
});
const sequential = buildRow({
  outcome: outcome('sequential-loop', 80_000, {
    attemptedAccounts: 200,
    sdkRetries: 3,
    extrapolation: { wallMs: 400_000, method: 'listing measured; 200 of 1000 accounts' },
  }),
  accounts: 1000,
  faults: 'none',
  floor,
  calls: { ...calls, total: 1000 },
  correctness: { ...correctness, expected: 200, correct: 200 },
  peakRssMb: 200,
  cpuMs: 1000,
});

describe('rows', () => {
  it('uses the extrapolated wall time and the sample for per-account figures', () => {
    expect(sequential.wallMs).toBe(400_000);
    expect(sequential.extrapolated).toBe(true);
    // 1,000 audit calls over the 200 sampled accounts
    expect(sequential.callsPerAccount).toBe(5);
    expect(sequential.retries).toBe(3);
    expect(sequential.retriesSource).toBe('sdk');
  });

  it('derives retries from the sandbox when the SDK counts are not visible', () => {
    expect(rootkeeper.retries).toBe(12);
    expect(rootkeeper.retriesSource).toBe('sandbox');
    expect(rootkeeper.wallOverFloor).toBeCloseTo(3600 / floor.ms);
    expect(rootkeeper.rootkeeper?.transitionsPerAccount).toBeCloseTo(0.12);
  });

  it('spreads a sampled run’s listing over every account and its audit calls over the sample', () => {
    const counts = { ...calls, byOperation: { 'organizations:ListAccounts': 51, 'sts:AssumeRoot': 200 } };
    expect(callsPerAccountOf(counts, 'organizations:ListAccounts', 1000, 200)).toBeCloseTo(0.051);
    expect(callsPerAccountOf(counts, 'sts:AssumeRoot', 1000, 200)).toBe(1);
  });

  it('subtracts counter snapshots', () => {
    expect(diffCounts({ ...calls, total: 500, byOperation: { 'sts:AssumeRoot': 400 } }, calls)).toEqual({
      total: 1500,
      byOperation: { 'sts:AssumeRoot': 600 },
      throttled: 0,
      throttledByQuota: 0,
      failures: 0,
    });
  });
});

describe('reports', () => {
  const scenario: Scenario = {
    accounts: 1000,
    eligibleAccounts: 1000,
    faults: 'none',
    floor,
    rows: [
      {
        ...rootkeeper,
        extra: { auditPeakRssMb: 280 },
        emulators: { sandboxPeakRssMb: 120, tablePeakRssMb: 90 },
      },
      { ...sequential, emulators: { sandboxPeakRssMb: 110 } },
    ],
  };
  const report: BenchReport = {
    generatedAt: '2026-11-24T14:40:00.000Z',
    command: 'npm run bench',
    machine: { cpus: 2, cpuModel: 'test cpu', memoryGb: 24, node: 'v20.20.2', platform: 'linux' },
    model: {
      seed: 42,
      latency: { medianMs: 60, p99Ms: 300 },
      quotas: { sts: { ratePerSecond: 600, burst: 600 } },
      pageSize: 20,
      faultSettings: { none: 'no injected faults' },
    },
    scenarios: [{ ...scenario, series: [{ label: 'x', points: [[0, 0]] }] }],
    processPeakRssMb: 400,
    notes: ['a note'],
  };

  it('marks every extrapolated figure in the table', () => {
    const table = renderTable([sequential]);
    expect(table).toContain('400 s (extrap.)');
    expect(table).toContain('200 / 0 / 0 of 200 sampled');
  });

  it('checks the targets of the issue', () => {
    const checks = checkTargets(scenario);
    expect(checks.find((c) => c.target.startsWith('≥ 30'))?.met).toBe(true);
    expect(checks.find((c) => c.target.startsWith('cost'))?.met).toBe(true);
    expect(checks.find((c) => c.target.startsWith('every account'))?.met).toBe(true);
  });

  it('writes the machine, the model, the extrapolation and the floor into the Markdown', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('Machine: 2 CPUs (test cpu)');
    expect(markdown).toContain('**Sequential loop is extrapolated**');
    expect(markdown).toContain('| ListAccounts pages |');
    expect(markdown).toContain('- a note');
    // Every line of the corrected cost model is printed.
    for (const line of [
      '  - Step Functions state transitions: $0.0020',
      '  - Step Functions child execution starts: $0.00010',
      '  - DynamoDB index GSI1: $0.00050',
      '  - CloudWatch Logs: $0.00040 (800.0 MB)',
      '  - total: $0.0050',
    ]) {
      expect(markdown).toContain(line);
    }
  });

  it('gives each process its own peak memory: the strategy, the audit alone, the sandbox, the table', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(
      "- Peak memory, Rootkeeper (Audit organization workflow): its process 300 MB (the audit alone, before the bench reads the results: 280 MB), the sandbox's process 120 MB, the table's process 90 MB.",
    );
    expect(markdown).toMatch(
      /- Peak memory, Sequential loop[^\n]*: its process 200 MB, the sandbox's process 110 MB\./,
    );
  });

  it('leaves the chart series out of the JSON', () => {
    const json = JSON.parse(renderJson(report)) as { scenarios: Record<string, unknown>[] };
    expect(json.scenarios[0]).not.toHaveProperty('series');
    expect(json.scenarios[0]).toHaveProperty('floor');
  });
});
