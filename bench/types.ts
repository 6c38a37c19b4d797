/** Shapes shared by the strategies, the pure calculators and the reports. */

/** The four facts an audit establishes about an account's root user. */
export interface PostureFlags {
  readonly passwordPresent: boolean;
  readonly accessKeysPresent: boolean;
  readonly signingCertificatesPresent: boolean;
  readonly mfaEnabled: boolean;
}

export type StrategyName = 'rootkeeper' | 'sequential-loop' | 'unbounded-burst';

/**
 * One run of a strategy. The baselines run twice: with the SDK's default 3
 * attempts, as the published scripts ship, and with Rootkeeper's budget of
 * 8, so that "accounts lost" compares structures, not retry budgets.
 */
export interface StrategyVariant {
  readonly strategy: StrategyName;
  /** SDK attempts of a baseline's audit calls; absent for Rootkeeper (its own budget, 8). */
  readonly maxAttempts?: number;
}

export const RETRY_BUDGETS = { asPeersShipThem: 3, rootkeeper: 8 } as const;

export function variantsOf(strategies: readonly StrategyName[]): StrategyVariant[] {
  return strategies.flatMap((strategy): StrategyVariant[] =>
    strategy === 'rootkeeper'
      ? [{ strategy }]
      : [
          { strategy, maxAttempts: RETRY_BUDGETS.asPeersShipThem },
          { strategy, maxAttempts: RETRY_BUDGETS.rootkeeper },
        ],
  );
}

/** "Sequential loop, 3 attempts (as peers ship it)". */
export function variantLabel(variant: StrategyVariant): string {
  const label = STRATEGY_LABELS[variant.strategy];
  if (variant.maxAttempts === undefined) return label;
  return variant.maxAttempts === RETRY_BUDGETS.asPeersShipThem
    ? `${label}, ${variant.maxAttempts} attempts (as peers ship it)`
    : `${label}, ${variant.maxAttempts} attempts (Rootkeeper's retry budget)`;
}

export const STRATEGY_LABELS: Readonly<Record<StrategyName, string>> = {
  rootkeeper: 'Rootkeeper (Audit organization workflow)',
  'sequential-loop': 'Sequential loop',
  'unbounded-burst': 'Unbounded burst',
};

/** What a strategy hands back; counters from the sandbox are added by the harness. */
export interface StrategyOutcome {
  readonly strategy: StrategyName;
  /** Accounts the strategy actually audited (a sample when extrapolated). */
  readonly attemptedAccounts: number;
  /** Measured wall time of what was run, milliseconds. */
  readonly measuredWallMs: number;
  /**
   * Set when the strategy ran on a sample: the wall time it would take on
   * every account, from a linear extrapolation of the measured part.
   */
  readonly extrapolation?: {
    readonly wallMs: number;
    readonly method: string;
  };
  /** accountId → posture as the strategy recorded it (null: recorded but unreadable). */
  readonly recorded: ReadonlyMap<string, PostureFlags | null>;
  /** Milliseconds from the strategy's start at which each account completed, ascending. */
  readonly completionsMs: readonly number[];
  /** SDK-side retries (attempts − 1 over every call), when the strategy can see them. */
  readonly sdkRetries?: number;
  /** Calls that failed after their retries, and a few of their messages. */
  readonly failedCalls: number;
  readonly failureSamples: readonly string[];
  /** Anything strategy-specific worth printing (transitions, invocations...). */
  readonly extra?: Readonly<Record<string, number | string>>;
}
