/**
 * One organization size under one fault setting: every strategy in turn on
 * the same sandbox organization, each with a fresh fault draw sequence and
 * refilled token buckets, and each checked against the sandbox's truth.
 */
import { compareRecorded } from './correctness';
import { listThenAuditMs, parallelListingFloor, sequentialListingFloor, type FloorInput } from './floor';
import { RssSampler } from './machine';
import type { BenchOptions, FaultSetting } from './options';
import { completionCurve, type Series } from './report/svg-chart';
import type { Scenario } from './report/model';
import { buildRow, diffCounts, type Row, type RootkeeperUsage } from './result';
import { countsOf, shapeOf, truthOf, type OrganizationShape, type ScenarioSandbox } from './sandbox-view';
import type { StrategyContext } from './strategies/context';
import { runSequentialLoop } from './strategies/sequential-loop';
import { runUnboundedBurst } from './strategies/unbounded-burst';
import {
  variantLabel,
  variantsOf,
  type StrategyName,
  type StrategyOutcome,
  type StrategyVariant,
} from './types';

/** Runs the Audit organization workflow on the local stack; supplied by the local-stack integration. */
export type RootkeeperRunner = (
  timeLimitMs: number,
) => Promise<{ outcome: StrategyOutcome; usage: RootkeeperUsage }>;

export interface ScenarioEnv {
  readonly sandbox: ScenarioSandbox;
  readonly rootkeeper?: RootkeeperRunner;
  readonly log: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function floorInput(options: BenchOptions, shape: OrganizationShape, accounts: number): FloorInput {
  return {
    accounts,
    listedAccounts: shape.listedAccounts,
    pageSize: 20,
    medianLatencyMs: options.latencyMedianMs,
    sts: { burst: options.stsBurst, ratePerSecond: options.stsRate },
    organizations: { burst: options.organizationsBurst, ratePerSecond: options.organizationsRate },
    iam: { burst: options.iamBurst, ratePerSecond: options.iamRate },
    callsPerAccount: 2,
    parents: { accountsPerParent: shape.accountsPerParent, ouDepth: shape.ouDepth },
  };
}

function seriesOf(variant: StrategyVariant, outcome: StrategyOutcome, total: number): Series[] {
  const label = variantLabel(variant);
  const measured = completionCurve(outcome.completionsMs);
  if (!outcome.extrapolation) return [{ label, points: measured }];
  const last = measured[measured.length - 1] ?? [0, 0];
  return [
    { label: `${label} (measured)`, points: measured },
    { label: `${label} (extrapolated)`, points: [last, [outcome.extrapolation.wallMs, total]], dashed: true },
  ];
}

/** The truth and the shape, from one read of the sandbox's state (let go of before the strategies run). */
async function readOrganization(sandbox: ScenarioSandbox) {
  const snapshot = await sandbox.state();
  return { truth: truthOf(snapshot), shape: shapeOf(snapshot) };
}

async function runOne(
  strategy: StrategyName,
  env: ScenarioEnv,
  context: StrategyContext,
  options: BenchOptions,
): Promise<{ outcome: StrategyOutcome; usage?: RootkeeperUsage } | undefined> {
  switch (strategy) {
    case 'rootkeeper':
      return env.rootkeeper ? env.rootkeeper(context.timeLimitMs) : undefined;
    case 'sequential-loop':
      return { outcome: await runSequentialLoop(context, { sample: options.sequentialSample }) };
    case 'unbounded-burst':
      return { outcome: await runUnboundedBurst(context) };
  }
}

export async function runScenario(
  env: ScenarioEnv,
  options: BenchOptions,
  accounts: number,
  fault: FaultSetting,
  variants: readonly StrategyVariant[] = variantsOf(options.strategies),
): Promise<Scenario> {
  const { truth, shape } = await readOrganization(env.sandbox);
  const input = floorInput(options, shape, truth.size);
  const floor = sequentialListingFloor(input);
  const faulty = fault.throttle > 0 || fault.serviceFailure > 0;
  const faultFloor = faulty ? sequentialListingFloor({ ...input, faults: fault }) : undefined;
  const parallelFloor = parallelListingFloor(input);
  // Long enough for the STS and Organizations buckets to be full again.
  const refillMs =
    1000 *
      Math.max(options.stsBurst / options.stsRate, options.organizationsBurst / options.organizationsRate) +
    500;
  const rows: Row[] = [];
  const notMeasured: StrategyName[] = [];
  const series: Series[] = [];
  for (const variant of variants) {
    const { strategy } = variant;
    const context: StrategyContext = {
      endpoint: env.sandbox.endpoint,
      region: env.sandbox.region,
      credentials: env.sandbox.managementCredentials,
      timeLimitMs: options.timeLimitSeconds * 1000,
      maxAttempts: variant.maxAttempts ?? 8,
    };
    // The same draw sequence for every strategy: the faults differ only by what each strategy sends.
    await env.sandbox.setFaults({
      seed: options.seed,
      throttle: fault.throttle,
      serviceFailure: fault.serviceFailure,
    });
    const before = countsOf(await env.sandbox.metricsSummary());
    const sampler = new RssSampler();
    const cpuBefore = process.cpuUsage();
    env.log(`  ${variantLabel(variant)}: ${accounts} accounts, faults ${fault.name} ...`);
    const result = await runOne(strategy, env, context, options).finally(() => sampler.stop());
    const peakRssMb = sampler.peakMb;
    const cpu = process.cpuUsage(cpuBefore);
    await env.sandbox.setFaults({});
    if (!result) {
      env.log(`  ${strategy}: not available (the local stack is not running)`);
      notMeasured.push(strategy);
      continue;
    }
    const calls = diffCounts(before, countsOf(await env.sandbox.metricsSummary()));
    // A sampled strategy is checked on the accounts it attempted: the first N of the listing.
    const expected = result.outcome.extrapolation ? sampleIds(truth, result.outcome) : truth.keys();
    const row = buildRow({
      outcome: result.outcome,
      ...(variant.maxAttempts === undefined ? {} : { maxAttempts: variant.maxAttempts }),
      ...(faultFloor ? { faultFloor } : {}),
      accounts: truth.size,
      faults: fault.name,
      floor,
      ...(parallelFloor ? { parallelFloor } : {}),
      calls,
      correctness: compareRecorded(truth, result.outcome.recorded, expected),
      peakRssMb,
      cpuMs: (cpu.user + cpu.system) / 1000,
      ...(result.usage ? { rootkeeper: result.usage } : {}),
    });
    rows.push(row);
    series.push(...seriesOf(variant, result.outcome, truth.size));
    env.log(
      `  ${strategy}: ${(row.wallMs / 1000).toFixed(2)} s${row.extrapolated ? ' (extrapolated)' : ''}, ` +
        `${row.correctness.correct}/${row.correctness.expected} correct, ${row.correctness.missing} missing`,
    );
    if (variant !== variants[variants.length - 1]) await sleep(refillMs);
  }
  return {
    accounts,
    eligibleAccounts: truth.size,
    faults: fault.name,
    floor,
    ...(faultFloor ? { faultFloor } : {}),
    ...(parallelFloor ? { parallelFloor } : {}),
    listThenAuditMs: listThenAuditMs(input),
    rows,
    notMeasured,
    series,
  };
}

/**
 * The accounts a sampled strategy attempted, in listing order: the strategy
 * audits the first N eligible accounts, and the sandbox lists accounts in
 * its own order, which `truth` keeps.
 */
function sampleIds(truth: ReadonlyMap<string, unknown>, outcome: StrategyOutcome): string[] {
  return [...truth.keys()].slice(0, outcome.attemptedAccounts);
}
