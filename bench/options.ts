/**
 * Command-line flags of `npm run bench`. Every figure of the model is a flag
 * with the aws-facts.md value (or the sandbox's realistic default) as its
 * default, so a run can be repeated, or redone under other assumptions.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { StrategyName } from './types';

export interface FaultSetting {
  readonly name: string;
  readonly throttle: number;
  readonly serviceFailure: number;
}

export interface BenchOptions {
  readonly accounts: readonly number[];
  readonly faultSettings: readonly FaultSetting[];
  readonly strategies: readonly StrategyName[];
  readonly seed: number;
  readonly latencyMedianMs: number;
  readonly latencyP99Ms: number;
  readonly stsRate: number;
  readonly stsBurst: number;
  readonly organizationsRate: number;
  readonly organizationsBurst: number;
  readonly iamRate: number;
  readonly iamBurst: number;
  /** Accounts the sequential loop audits before extrapolating. */
  readonly sequentialSample: number;
  /** Hard limit per strategy run, seconds. */
  readonly timeLimitSeconds: number;
  readonly newAccount: boolean;
  readonly outDir: string;
  readonly quick: boolean;
}

const ALL_STRATEGIES: readonly StrategyName[] = ['rootkeeper', 'sequential-loop', 'unbounded-burst'];

const NO_FAULTS: FaultSetting = { name: 'none', throttle: 0, serviceFailure: 0 };

export const FAULT_SETTINGS: Readonly<Record<string, FaultSetting>> = {
  none: NO_FAULTS,
  'throttle-10-fail-1': { name: 'throttle-10-fail-1', throttle: 0.1, serviceFailure: 0.01 },
};

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

function integerList(value: string): number[] {
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1 || n > 100_000) {
      throw new InvalidArgumentError(`expected account counts from 1 to 100,000, got "${part}"`);
    }
    return n;
  });
}

function faultList(value: string): FaultSetting[] {
  return value.split(',').map((name) => {
    const setting = FAULT_SETTINGS[name.trim()];
    if (!setting)
      throw new InvalidArgumentError(
        `unknown fault setting "${name}" (${Object.keys(FAULT_SETTINGS).join(', ')})`,
      );
    return setting;
  });
}

function strategyList(value: string): StrategyName[] {
  return value.split(',').map((name) => {
    const strategy = ALL_STRATEGIES.find((s) => s === name.trim());
    if (!strategy)
      throw new InvalidArgumentError(`unknown strategy "${name}" (${ALL_STRATEGIES.join(', ')})`);
    return strategy;
  });
}

interface RawFlags {
  accounts?: number[];
  faults?: FaultSetting[];
  strategies: StrategyName[];
  seed: number;
  latencyMedian: number;
  latencyP99: number;
  stsRate: number;
  stsBurst?: number;
  orgRate: number;
  orgBurst: number;
  iamRate: number;
  iamBurst?: number;
  sequentialSample?: number;
  timeLimit?: number;
  newAccount: boolean;
  out: string;
  quick: boolean;
}

/**
 * 600 s, or 30 ms an account for the largest organization: 100,000 accounts
 * take about 500 s of listing alone (5,001 pages at 10/s), 3,000 s leaves
 * room for a busy machine.
 */
export function defaultTimeLimitSeconds(accounts: readonly number[]): number {
  return Math.max(600, Math.ceil(Math.max(0, ...accounts) * 0.03));
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('bench')
    .description(
      'Organization sweep: Rootkeeper vs a sequential loop vs an unbounded burst, against the quota floor',
    )
    .option('--accounts <list>', 'organization sizes (default 1000,10000; --quick: 200)', integerList)
    .option(
      '--faults <list>',
      `fault settings: ${Object.keys(FAULT_SETTINGS).join(', ')} (default both; --quick: none)`,
      faultList,
    )
    .option('--strategies <list>', 'strategies to run', strategyList, [...ALL_STRATEGIES])
    .option(
      '--seed <n>',
      'seed of the organization, latency and faults',
      (v) => Math.floor(positiveNumber(v)),
      42,
    )
    .option('--latency-median <ms>', 'median latency of every AWS call', positiveNumber, 60)
    .option('--latency-p99 <ms>', 'p99 latency (log-normal tail)', positiveNumber, 300)
    .option('--sts-rate <n>', 'STS requests/s per caller account (aws-facts: about 600)', positiveNumber, 600)
    .option('--sts-burst <n>', 'STS bucket size (default: the rate)', positiveNumber)
    .option(
      '--org-rate <n>',
      'Organizations requests/s per caller (sandbox realistic default)',
      positiveNumber,
      10,
    )
    .option('--org-burst <n>', 'Organizations bucket size', positiveNumber, 20)
    .option('--iam-rate <n>', 'IAM requests/s per member account', positiveNumber, 100)
    .option('--iam-burst <n>', 'IAM bucket size (default: the rate)', positiveNumber)
    .option(
      '--sequential-sample <n>',
      'accounts the sequential loop audits before extrapolating (default 200; --quick: 20)',
      (v) => Math.floor(positiveNumber(v)),
    )
    .option(
      '--time-limit <s>',
      'hard limit per strategy run, seconds (default 600, or 30 ms an account above 20,000)',
      positiveNumber,
    )
    .option('--no-new-account', 'skip the new-account path measurement')
    .option('--out <dir>', 'report folder (git-ignored)', 'reports/bench')
    .option('--quick', '200 accounts, no faults, small sequential sample: under a minute', false)
    .exitOverride()
    .parse([...argv], { from: 'user' });
  const flags = program.opts<RawFlags>();
  const accounts = flags.accounts ?? (flags.quick ? [200] : [1000, 10_000]);
  return {
    accounts,
    faultSettings: flags.faults ?? (flags.quick ? [NO_FAULTS] : Object.values(FAULT_SETTINGS)),
    strategies: flags.strategies,
    seed: flags.seed,
    latencyMedianMs: flags.latencyMedian,
    latencyP99Ms: flags.latencyP99,
    stsRate: flags.stsRate,
    stsBurst: flags.stsBurst ?? flags.stsRate,
    organizationsRate: flags.orgRate,
    organizationsBurst: flags.orgBurst,
    iamRate: flags.iamRate,
    iamBurst: flags.iamBurst ?? flags.iamRate,
    sequentialSample: flags.sequentialSample ?? (flags.quick ? 20 : 200),
    timeLimitSeconds: flags.timeLimit ?? defaultTimeLimitSeconds(accounts),
    newAccount: flags.newAccount,
    outDir: flags.out,
    quick: flags.quick,
  };
}
