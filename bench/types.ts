/** Shapes shared by the strategies, the pure calculators and the reports. */

/** The four facts an audit establishes about an account's root user. */
export interface PostureFlags {
  readonly passwordPresent: boolean;
  readonly accessKeysPresent: boolean;
  readonly signingCertificatesPresent: boolean;
  readonly mfaEnabled: boolean;
}

export type StrategyName = 'rootkeeper' | 'sequential-loop' | 'unbounded-burst';

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
