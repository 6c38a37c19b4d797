/** The Markdown report: what ran, on what, the figures, and which figures are extrapolated. */
import type { CostBreakdown } from '../cost';
import { callsPerAccountOf, type Row } from '../result';
import { RETRY_BUDGETS, STRATEGY_LABELS } from '../types';
import { EXTRAPOLATED_MARK, decimal, integer, seconds, usd } from './format';
import type { BenchReport, NewAccountPath, Scenario } from './model';
import { TABLE_HEAD, rowCells } from './table';

const line = (cells: readonly string[]): string =>
  `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const find = (rows: readonly Row[], strategy: Row['strategy'], maxAttempts?: number): Row | undefined =>
  rows.find(
    (row) => row.strategy === strategy && (maxAttempts === undefined || row.maxAttempts === maxAttempts),
  );

/** The issue's targets, checked against one scenario. `undefined`: not measurable here. */
export function checkTargets(scenario: Scenario): TargetCheck[] {
  const rk = find(scenario.rows, 'rootkeeper');
  // The same retry budget as Rootkeeper's: the comparison of structures.
  const seq =
    find(scenario.rows, 'sequential-loop', RETRY_BUDGETS.rootkeeper) ??
    find(scenario.rows, 'sequential-loop');
  const checks: TargetCheck[] = [];
  if (!rk) return checks;
  const c = rk.correctness;
  checks.push({
    target: 'every account recorded correctly, none lost',
    measured: `${integer(c.correct)} correct, ${integer(c.wrong)} wrong, ${integer(c.missing)} missing of ${integer(c.expected)}`,
    met: c.correct === c.expected && c.unexpected === 0,
  });
  if (scenario.faults === 'none') {
    checks.push({
      target: 'within 1.2 × the floor',
      measured: `${decimal(rk.wallOverFloor, 2)} × (${seconds(rk.wallMs)} vs ${seconds(rk.floorMs)})`,
      met: rk.wallOverFloor <= 1.2,
    });
  } else if (rk.wallOverFaultFloor !== undefined) {
    checks.push({
      target: 'within 1.3 × the honest fault floor',
      measured: `${decimal(rk.wallOverFaultFloor, 2)} × (${seconds(rk.wallMs)} vs ${seconds(rk.faultFloorMs ?? 0)})`,
      met: rk.wallOverFaultFloor <= 1.3,
    });
  }
  if (seq) {
    const speedup = seq.wallMs / rk.wallMs;
    checks.push({
      target: `≥ 30 × faster than the sequential loop (${seq.maxAttempts ?? '?'} attempts)`,
      measured: `${decimal(speedup, 1)} ×${seq.extrapolated ? ' (sequential loop extrapolated)' : ''}`,
      met: speedup >= 30,
    });
  }
  if (rk.rootkeeper) {
    checks.push({
      target: 'cost per 1,000 accounts ≤ $0.005 (corrected model)',
      measured: usd(rk.rootkeeper.cost.per1000Accounts),
      met: rk.rootkeeper.cost.per1000Accounts <= 0.005,
    });
  }
  return checks;
}

/** AWS calls per account by operation and strategy: where each strategy's calls go. */
function operationsTable(rows: readonly Row[]): string {
  const operations = [...new Set(rows.flatMap((row) => Object.keys(row.calls.byOperation)))].sort();
  const perAccount = (row: Row, op: string): string => {
    const audited = row.extrapolated ? row.attemptedAccounts : row.accounts;
    return row.calls.byOperation[op]
      ? decimal(callsPerAccountOf(row.calls, op, row.accounts, audited), 3)
      : '–';
  };
  return markdownTable(
    ['operation (calls per account)', ...rows.map((row) => row.strategy)],
    operations.map((op) => [op, ...rows.map((row) => perAccount(row, op))]),
  );
}

function floorSection(scenario: Scenario): string[] {
  const out = [
    `Floor (sequential ListAccounts): **${seconds(scenario.floor.ms)}**, set by _${scenario.floor.binding}_.` +
      (scenario.floor.listingDominates
        ? ' Listing the accounts dominates it; the per-OU enumeration below is the alternative AWS offers.'
        : ''),
    '',
    markdownTable(
      ['bound', 'time', 'formula'],
      scenario.floor.bounds.map((b) => [b.name, seconds(b.ms), b.formula]),
    ),
  ];
  if (scenario.listThenAuditMs !== undefined) {
    out.push(
      '',
      `A strategy that lists every account before auditing any (Rootkeeper's structure: ListMemberAccounts writes all the shards, then the Distributed Map starts) cannot beat listing + STS-bound audit = **${seconds(scenario.listThenAuditMs)}** (${decimal(scenario.listThenAuditMs / scenario.floor.ms, 2)} × the floor).`,
    );
  }
  if (scenario.parallelFloor) {
    out.push(
      '',
      `Floor with the per-OU enumeration (ListAccountsForParent per OU in parallel): **${seconds(scenario.parallelFloor.ms)}**, set by _${scenario.parallelFloor.binding}_.`,
      '',
      markdownTable(
        ['bound', 'time', 'formula'],
        scenario.parallelFloor.bounds.map((b) => [b.name, seconds(b.ms), b.formula]),
      ),
    );
  }
  return out;
}

/** Each line of the cost model, named as the report prints it. */
function costLines(cost: CostBreakdown): [string, string][] {
  return [
    ['Step Functions state transitions', usd(cost.stepFunctions)],
    ['Step Functions child execution starts', usd(cost.childExecutionStarts)],
    ['Lambda requests', usd(cost.lambdaRequests)],
    ['Lambda compute', `${usd(cost.lambdaCompute)} (${decimal(cost.gbSeconds, 2)} GB-s)`],
    ['DynamoDB table', usd(cost.dynamoDb)],
    ['DynamoDB index GSI1', usd(cost.dynamoDbIndex)],
    ['CloudWatch Logs', `${usd(cost.cloudWatchLogs)} (${decimal(cost.logBytes / 1024 ** 2, 1)} MB)`],
    ['total', usd(cost.total)],
  ];
}

/** Each process's peak: the strategy's own, and the processes standing in for AWS beside it. */
function memoryLine(row: Row): string {
  const audit = row.extra?.auditPeakRssMb;
  const parts = [
    `its process ${integer(row.peakRssMb)} MB${typeof audit === 'number' ? ` (the audit alone, before the bench reads the results: ${integer(audit)} MB)` : ''}`,
    ...(row.emulators?.sandboxPeakRssMb === undefined
      ? []
      : [`the sandbox's process ${integer(row.emulators.sandboxPeakRssMb)} MB`]),
    ...(row.emulators?.tablePeakRssMb === undefined
      ? []
      : [`the table's process ${integer(row.emulators.tablePeakRssMb)} MB`]),
  ];
  return `- Peak memory, ${row.label}: ${parts.join(', ')}.`;
}

function scenarioSection(scenario: Scenario): string[] {
  const out = [
    `### ${integer(scenario.accounts)} accounts, faults: ${scenario.faults}`,
    '',
    `${integer(scenario.eligibleAccounts)} ACTIVE member accounts to audit (the others are suspended or the management account).`,
    '',
    markdownTable(TABLE_HEAD, scenario.rows.map(rowCells)),
    '',
  ];
  for (const strategy of scenario.notMeasured ?? []) {
    out.push(`- **${STRATEGY_LABELS[strategy]} was not measured** (the local stack did not start).`);
  }
  for (const row of scenario.rows.filter((r) => r.extrapolated)) {
    out.push(
      `- **${row.label} is extrapolated**: ${row.extrapolationMethod ?? ''}. Measured part: ${seconds(row.measuredWallMs)}.`,
    );
  }
  for (const row of scenario.rows) out.push(memoryLine(row));
  for (const row of scenario.rows.filter((r) => r.failureSamples.length > 0)) {
    out.push(
      `- ${row.label}: ${integer(row.failedCalls)} calls failed after retries, e.g. \`${row.failureSamples[0] ?? ''}\`.`,
    );
  }
  const rk = find(scenario.rows, 'rootkeeper');
  if (rk?.rootkeeper) {
    const cost = rk.rootkeeper.cost;
    out.push(
      `- Rootkeeper cost for this run (corrected model, docs/performance.md), ${usd(cost.per1000Accounts)} per 1,000 accounts:`,
      ...costLines(cost).map(([name, value]) => `  - ${name}: ${value}`),
    );
  }
  out.push('');
  const checks = checkTargets(scenario);
  if (checks.length > 0) {
    out.push(
      markdownTable(
        ['target', 'measured', 'met'],
        checks.map((c) => [c.target, c.measured, c.met === undefined ? '–' : c.met ? 'yes' : '**no**']),
      ),
      '',
    );
  }
  out.push(operationsTable(scenario.rows), '', ...floorSection(scenario), '');
  if (scenario.chartFile) out.push(`![accounts completed over time](${scenario.chartFile})`, '');
  return out;
}

function newAccountSection(path: NewAccountPath): string[] {
  return [
    '## New account path',
    '',
    `From a CreateAccountResult event put on the local bus to the posture recorded in the table, for a clean account: **${path.sequentialRoundTrips} sequential AWS round trips** (${path.awsCalls} AWS calls in all), **${seconds(path.wallMs)}** wall time at the modelled latency; posture recorded: ${path.recorded ? (path.correct ? 'yes, correct' : 'yes, **wrong**') : '**no**'}.`,
    '',
    markdownTable(
      ['target', 'measured', 'met'],
      [
        [
          'new clean account: ≤ 4 sequential round trips ([claim ∥ eligibility], AssumeRoot, GetAccountSummary, the posture write)',
          `${path.sequentialRoundTrips}: ${path.calls.map((c) => c.operation).join(' → ')}`,
          path.sequentialRoundTrips <= 4 ? 'yes' : '**no**',
        ],
      ],
    ),
    '',
    markdownTable(
      ['call', 'start', 'end'],
      path.calls.map((c) => [c.operation, `${decimal(c.startMs, 0)} ms`, `${decimal(c.endMs, 0)} ms`]),
    ),
    ...(path.note ? ['', path.note] : []),
    '',
  ];
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const model = report.model;
  const quotas = Object.entries(model.quotas)
    .map(([service, q]) => `${service} ${q.ratePerSecond}/s (burst ${q.burst})`)
    .join(', ');
  const faults = Object.entries(model.faultSettings)
    .map(([name, text]) => `\`${name}\` = ${text}`)
    .join('; ');
  const out = [
    '# Rootkeeper benchmark',
    '',
    `Generated ${report.generatedAt} by \`${report.command}\`.`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${decimal(m.memoryGb, 1)} GB memory, Node ${m.node}, ${m.platform}. Peak memory of a scenario process (VmHWM): ${integer(report.processPeakRssMb)} MB.`,
    '',
    `Model (seed ${model.seed}): latency log-normal, median ${model.latency.medianMs} ms, p99 ${model.latency.p99Ms} ms; token buckets ${quotas}; ListAccounts ${model.pageSize} accounts a page; fault settings ${faults}.` +
      (model.auditConcurrency !== undefined
        ? ` Rootkeeper: Distributed Map concurrency ${model.auditConcurrency}, shards of ${model.auditShardSize ?? '?'} accounts, ${model.lambdaMemoryMb ?? '?'} MB functions (arm64 prices).`
        : ''),
    '',
    `Figures marked${EXTRAPOLATED_MARK} are extrapolated from a sample, not measured in full.`,
    '',
    ...report.scenarios.flatMap(scenarioSection),
    ...(report.newAccount ? newAccountSection(report.newAccount) : []),
    ...(report.notes.length > 0 ? ['## Notes', '', ...report.notes.map((n) => `- ${n}`), ''] : []),
  ];
  return `${out.join('\n')}\n`;
}
