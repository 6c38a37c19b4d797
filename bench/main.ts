/**
 * `npm run bench`: the organization sweep, three strategies side by side on
 * the same seeded organization, against the floor of the quota model.
 * A script, not a test; `test/bench/quick-run.test.ts` runs its quick mode.
 */
import { CommanderError } from 'commander';
import { describeMachine, processPeakRssMb } from './machine';
import { FAULT_SETTINGS, parseOptions, type BenchOptions } from './options';
import type { BenchReport, NewAccountPath, Scenario } from './report/model';
import { renderTable } from './report/table';
import { writeReport, type WrittenFiles } from './report/write';
import { runJob } from './run-job';
import type { Settings } from './environment';
import { variantLabel, variantsOf } from './types';

/** One scenario from the jobs of its strategy variants (each ran in its own process). */
export function mergeScenarioParts(parts: readonly Scenario[]): Scenario | undefined {
  const [first] = parts;
  if (!first) return undefined;
  return {
    ...first,
    rows: parts.flatMap((part) => part.rows),
    notMeasured: parts.flatMap((part) => part.notMeasured ?? []),
    series: parts.flatMap((part) => part.series ?? []),
  };
}

export interface BenchRun {
  readonly report: BenchReport;
  readonly files: WrittenFiles;
}

const NOTES = [
  'The floor uses the median latency of the model; the latency distribution has a long tail, so a chain of sequential calls (the ListAccounts pages, the sequential loop) averages more than the median per call.',
  'AWS calls per account count the STS, IAM and Organizations calls the sandbox answered (retries included), divided by the accounts the strategy attempted; DynamoDB calls are not in it.',
  'Retries: for the baselines, the SDK’s own attempt counts ($metadata.attempts); for Rootkeeper, derived from the sandbox (error answers that were not final failures), which also counts Step Functions Retry attempts.',
  'The unbounded burst starts every account at once; only HTTP agents queue its requests: the SDK default of 50 sockets for its STS client, and one pool of 500 keep-alive sockets shared by its per-account IAM clients (one agent per client would open 40,000 connections, more than the loopback listen backlog takes; the shared pool is generous to it).',
  'Each strategy (and each retry budget of a baseline) runs in its own process: its peak RSS is that process’s high-water mark (VmHWM), which also holds the sandbox and, for Rootkeeper, the local DynamoDB, the local runner and the handlers. The sandbox still shares the process (and its core) with the strategy: CPU is that process’s CPU time while the strategy ran, so when CPU approaches wall time the figure measures this machine more than the quota model.',
  'The baselines run twice: with the SDK default of 3 attempts on their audit calls, as the published scripts ship, and with Rootkeeper’s budget of 8; their listing uses 10 attempts either way.',
  'Under faults, wall ÷ fault floor divides by the honest fault floor: every throttled call still takes its token and a round trip, so any strategy needs 1 / (1 − p) requests per successful call (docs/performance.md).',
  'The handlers log at WARN during the bench (POWERTOOLS_LOG_LEVEL): one INFO line per account would cost the shared core more than the audit.',
  'Lambda GB-s are priced from the durations measured here, which include the local emulation’s CPU contention: on AWS they would be shorter, so the Lambda part of the cost is an upper bound.',
];

function faultDescriptions(options: BenchOptions): Record<string, string> {
  return Object.fromEntries(
    options.faultSettings.map((f) => [
      f.name,
      f === FAULT_SETTINGS.none
        ? 'no injected faults'
        : `${f.throttle * 100}% throttling on every call + ${f.serviceFailure * 100}% ServiceFailure on IAM`,
    ]),
  );
}

// Every AWS SDK client of this process would print it once; it says nothing about the bench.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The handlers log a line per account at INFO: 10,000 lines would bury the table and cost CPU
// the sandbox shares; warnings and errors still show.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

export async function runBench(
  argv: readonly string[],
  log: (line: string) => void = console.log,
): Promise<BenchRun> {
  const options = parseOptions(argv);
  const started = Date.now();
  const scenarios: Scenario[] = [];
  let newAccount: NewAccountPath | undefined;
  let settings: Settings | undefined;
  let peakRssMb = processPeakRssMb();
  const failures: string[] = [];
  // Beyond the strategy's own limit: starting the stack, and reading 100,000 accounts' items back.
  const jobLimitMs = (options.timeLimitSeconds * 1.5 + 300) * 1000;
  for (const accounts of options.accounts) {
    for (const fault of options.faultSettings) {
      log(
        `Organization of ${accounts.toLocaleString('en-US')} accounts (seed ${options.seed}), faults ${fault.name}`,
      );
      const parts: Scenario[] = [];
      for (const variant of variantsOf(options.strategies)) {
        // A job that fails is reported, and the others still run.
        const answer = await runJob(
          { kind: 'scenario', argv, accounts, fault: fault.name, variant },
          log,
          jobLimitMs,
        ).catch((error: unknown) => {
          failures.push(
            `${accounts} accounts, faults ${fault.name}, ${variantLabel(variant)}: ${String(error).slice(0, 500)}`,
          );
          log(`  ${variantLabel(variant)} failed: ${String(error)}`);
          return undefined;
        });
        if (answer?.type !== 'scenario') continue;
        parts.push(answer.scenario);
        settings ??= answer.settings;
        peakRssMb = Math.max(peakRssMb, answer.peakRssMb);
      }
      const merged = mergeScenarioParts(parts);
      if (merged) scenarios.push(merged);
    }
  }
  // Its own small stack: the path does not depend on the organization's size.
  if (options.newAccount) {
    log('New-account path ...');
    try {
      const answer = await runJob({ kind: 'new-account', argv }, log, 180_000);
      if (answer.type === 'new-account') {
        newAccount = answer.path;
        peakRssMb = Math.max(peakRssMb, answer.peakRssMb);
      }
    } catch (error) {
      failures.push(`new-account path: ${String(error).slice(0, 500)}`);
      log(`  new-account path failed: ${String(error)}`);
    }
  }
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    machine: describeMachine(),
    model: {
      seed: options.seed,
      latency: { medianMs: options.latencyMedianMs, p99Ms: options.latencyP99Ms },
      quotas: {
        sts: { ratePerSecond: options.stsRate, burst: options.stsBurst },
        organizations: { ratePerSecond: options.organizationsRate, burst: options.organizationsBurst },
        iam: { ratePerSecond: options.iamRate, burst: options.iamBurst },
      },
      pageSize: 20,
      faultSettings: faultDescriptions(options),
      ...(settings
        ? {
            auditConcurrency: settings.auditConcurrency,
            auditShardSize: settings.auditShardSize,
            lambdaMemoryMb: settings.lambdaMemoryMb,
          }
        : {}),
    },
    scenarios,
    ...(newAccount ? { newAccount } : {}),
    processPeakRssMb: peakRssMb,
    notes: [...failures.map((failure) => `**Failed**: ${failure}`), ...NOTES],
  };
  const files = await writeReport(report, options.outDir);
  log(renderTable(scenarios.flatMap((s) => s.rows)));
  log(
    `Written: ${files.markdown}, ${files.json}, ${files.charts.length} charts (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  return { report, files };
}

if (require.main === module) {
  runBench(process.argv.slice(2)).catch((error: unknown) => {
    // Commander has already printed help or the flag error.
    if (error instanceof CommanderError) process.exitCode = error.exitCode;
    else {
      console.error(error);
      process.exitCode = 1;
    }
  });
}
