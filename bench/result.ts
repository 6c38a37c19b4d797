/**
 * One measured row (strategy × size × fault setting) and the pure arithmetic
 * that turns raw counts into the figures the reports print.
 */
import type { EmulatorMemory } from './environment';
import type { Correctness } from './correctness';
import type { CostBreakdown } from './cost';
import type { Floor } from './floor';
import { variantLabel, type StrategyName, type StrategyOutcome } from './types';

/** What the sandbox counted while one strategy ran (a difference of two snapshots). */
export interface CallCounts {
  readonly total: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** Answers refused by a token bucket (real quota), and throttles injected as faults. */
  readonly throttled: number;
  /** The part of `throttled` refused by a token bucket (the quota model), not injected. */
  readonly throttledByQuota: number;
  /** Injected ServiceFailure and other non-throttling faults. */
  readonly failures: number;
}

export interface RootkeeperUsage {
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  readonly cost: CostBreakdown;
}

export interface Row {
  readonly strategy: StrategyName;
  /** SDK attempts of a baseline's audit calls (3 as peers ship them, 8 as Rootkeeper); absent for Rootkeeper. */
  readonly maxAttempts?: number;
  readonly label: string;
  readonly accounts: number;
  readonly faults: string;
  readonly attemptedAccounts: number;
  readonly extrapolated: boolean;
  readonly extrapolationMethod?: string;
  /** Reported wall time: measured, or extrapolated when `extrapolated`. */
  readonly wallMs: number;
  readonly measuredWallMs: number;
  readonly accountsPerSecond: number;
  readonly floorMs: number;
  readonly floorBinding: string;
  readonly wallOverFloor: number;
  /** Under faults: the floor counting the tokens and round trips of throttled calls (floor.ts). */
  readonly faultFloorMs?: number;
  readonly wallOverFaultFloor?: number;
  readonly parallelListingFloorMs?: number;
  readonly calls: CallCounts;
  readonly callsPerAccount: number;
  readonly retries: number;
  /** How `retries` was obtained: the SDK's own attempt counts, or derived from the sandbox's error answers. */
  readonly retriesSource: 'sdk' | 'sandbox';
  readonly correctness: Correctness;
  readonly failedCalls: number;
  readonly failureSamples: readonly string[];
  readonly rootkeeper?: RootkeeperUsage & {
    readonly transitionsPerAccount: number;
    readonly invocationsPerAccount: number;
  };
  /** The strategy's process while it ran: for Rootkeeper the runner, the handlers and the bench reading the results. */
  readonly peakRssMb: number;
  /** The processes standing in for AWS (the sandbox; for Rootkeeper the table too), apart from the strategy's. */
  readonly emulators?: EmulatorMemory;
  /** CPU time of the whole process (user + system) while the strategy ran, ms. */
  readonly cpuMs: number;
  readonly extra?: Readonly<Record<string, number | string>>;
}

export interface RowInput {
  readonly outcome: StrategyOutcome;
  readonly maxAttempts?: number;
  readonly faultFloor?: Floor;
  readonly accounts: number;
  readonly faults: string;
  readonly floor: Floor;
  readonly parallelFloor?: Floor;
  readonly calls: CallCounts;
  readonly correctness: Correctness;
  readonly peakRssMb: number;
  readonly cpuMs: number;
  readonly rootkeeper?: RootkeeperUsage;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/**
 * Calls of one operation per account. A sampled strategy listed the whole
 * organization but audited only its sample: listing calls are spread over
 * every account, audit calls over the sample.
 */
export function callsPerAccountOf(
  calls: CallCounts,
  operation: string,
  accounts: number,
  auditedAccounts: number,
): number {
  const n = calls.byOperation[operation] ?? 0;
  return operation.startsWith('organizations:') ? ratio(n, accounts) : ratio(n, auditedAccounts);
}

export function buildRow(input: RowInput): Row {
  const { outcome, calls } = input;
  const wallMs = outcome.extrapolation?.wallMs ?? outcome.measuredWallMs;
  // A sampled run is judged on its sample; a full run on every eligible account, even
  // if it stopped early (its calls still count against the whole organization's audit).
  const attempted = outcome.extrapolation ? outcome.attemptedAccounts : input.accounts;
  // Without the SDK's attempt counts, every error answer that was not a
  // final failure was retried by someone (the SDK or a Step Functions Retry).
  const derivedRetries = Math.max(0, calls.throttled + calls.failures - outcome.failedCalls);
  return {
    strategy: outcome.strategy,
    ...(input.maxAttempts === undefined ? {} : { maxAttempts: input.maxAttempts }),
    label: variantLabel({
      strategy: outcome.strategy,
      ...(input.maxAttempts === undefined ? {} : { maxAttempts: input.maxAttempts }),
    }),
    accounts: input.accounts,
    faults: input.faults,
    attemptedAccounts: outcome.attemptedAccounts,
    extrapolated: outcome.extrapolation !== undefined,
    ...(outcome.extrapolation ? { extrapolationMethod: outcome.extrapolation.method } : {}),
    wallMs,
    measuredWallMs: outcome.measuredWallMs,
    accountsPerSecond: ratio(input.accounts, wallMs / 1000),
    floorMs: input.floor.ms,
    floorBinding: input.floor.binding,
    wallOverFloor: ratio(wallMs, input.floor.ms),
    ...(input.faultFloor
      ? { faultFloorMs: input.faultFloor.ms, wallOverFaultFloor: ratio(wallMs, input.faultFloor.ms) }
      : {}),
    ...(input.parallelFloor ? { parallelListingFloorMs: input.parallelFloor.ms } : {}),
    calls,
    callsPerAccount: Object.keys(calls.byOperation).reduce(
      (sum, op) => sum + callsPerAccountOf(calls, op, input.accounts, attempted),
      0,
    ),
    retries: outcome.sdkRetries ?? derivedRetries,
    retriesSource: outcome.sdkRetries === undefined ? 'sandbox' : 'sdk',
    correctness: input.correctness,
    failedCalls: outcome.failedCalls,
    failureSamples: outcome.failureSamples,
    ...(input.rootkeeper
      ? {
          rootkeeper: {
            ...input.rootkeeper,
            transitionsPerAccount: ratio(input.rootkeeper.stateTransitions, attempted),
            invocationsPerAccount: ratio(input.rootkeeper.lambdaInvocations, attempted),
          },
        }
      : {}),
    peakRssMb: input.peakRssMb,
    cpuMs: input.cpuMs,
    ...(outcome.extra ? { extra: outcome.extra } : {}),
  };
}

/** Subtracts two cumulative counter snapshots. */
export function diffCounts(before: CallCounts, after: CallCounts): CallCounts {
  const byOperation: Record<string, number> = {};
  for (const [op, n] of Object.entries(after.byOperation)) {
    const delta = n - (before.byOperation[op] ?? 0);
    if (delta !== 0) byOperation[op] = delta;
  }
  return {
    total: after.total - before.total,
    byOperation,
    throttled: after.throttled - before.throttled,
    throttledByQuota: after.throttledByQuota - before.throttledByQuota,
    failures: after.failures - before.failures,
  };
}
