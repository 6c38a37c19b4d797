import { KEY_IN_USE_OUTCOME } from './delete-credentials';
import type { RemediationWave } from './remediation-plan';

/**
 * Progress of a Remediate organization run, by wave, in accounts: what the
 * workflow decides between waves, what its summary records and what
 * `rootkeeper remediate --status` prints. Read from the saved plan's items,
 * each of which receives its account's outcome when the account's run is
 * recorded.
 */

/** Defaults of a run's request (the CLI's flags; the workflow's input). */
export const REMEDIATION_RUN_DEFAULTS = {
  /** A wave whose failed accounts exceed this share stops the run. */
  failureThresholdPercent: 20,
  /** 0: wait for `rootkeeper remediate --continue` between waves. */
  soakSeconds: 0,
} as const;

/** Accounts of one wave remediated at once (each opens its own root session). */
export const REMEDIATION_WAVE_CONCURRENCY = 10;

/** How long a run waits for a go-ahead before it stops as EXPIRED. */
export const GO_AHEAD_TIMEOUT_HOURS = 72;

/** The longest soak a run accepts between waves (a Wait state; a run lives at most a year). */
export const MAX_SOAK_SECONDS = 7 * 24 * 3600;

/** One saved planned account and, once its run is recorded, its outcome. */
export interface PlanItemState {
  readonly wave: number;
  readonly waveKind: RemediationWave['kind'];
  readonly accountId: string;
  readonly outcome?: string;
  readonly outcomeReason?: string;
}

export type ProgressCategory = 'done' | 'skipped' | 'failed' | 'notReached';

/** Outcomes of an account's run, by the category the summary counts them in. */
const CATEGORY_OF: Readonly<Record<string, ProgressCategory>> = {
  REMEDIATED: 'done',
  [KEY_IN_USE_OUTCOME]: 'done',
  CLEAN: 'done',
  SKIPPED: 'skipped',
  FAILED: 'failed',
};

function categoryOf(outcome: string | undefined): ProgressCategory {
  return (outcome === undefined ? undefined : CATEGORY_OF[outcome]) ?? 'notReached';
}

export interface WaveProgress {
  readonly number: number;
  readonly kind: RemediationWave['kind'];
  readonly accounts: number;
  readonly done: string[];
  readonly skipped: string[];
  readonly failed: string[];
  readonly notReached: string[];
  /** Done accounts whose keys in use were kept (outcome KEY_IN_USE). */
  readonly keptKeys: string[];
}

/** Waves in order, each with its accounts by category (account ids in the plan's order). */
export function waveProgress(items: readonly PlanItemState[]): WaveProgress[] {
  const waves = new Map<number, WaveProgress>();
  for (const item of items) {
    let wave = waves.get(item.wave);
    if (wave === undefined) {
      wave = {
        number: item.wave,
        kind: item.waveKind,
        accounts: 0,
        done: [],
        skipped: [],
        failed: [],
        notReached: [],
        keptKeys: [],
      };
      waves.set(item.wave, wave);
    }
    (wave as { accounts: number }).accounts += 1;
    wave[categoryOf(item.outcome)].push(item.accountId);
    if (item.outcome === KEY_IN_USE_OUTCOME) wave.keptKeys.push(item.accountId);
  }
  return [...waves.values()].sort((a, b) => a.number - b.number);
}

export interface WaveVerdict {
  readonly failureRatePercent: number;
  readonly stop: boolean;
  /** Why the run stops, in words; "" when it goes on. */
  readonly stopReason: string;
}

/** Whether a finished wave's failures stop the run: strictly more than the threshold. */
export function judgeWave(wave: WaveProgress, failureThresholdPercent: number): WaveVerdict {
  const failureRatePercent =
    wave.accounts === 0 ? 0 : Math.round((wave.failed.length / wave.accounts) * 1000) / 10;
  const stop = failureRatePercent > failureThresholdPercent;
  return {
    failureRatePercent,
    stop,
    stopReason: stop
      ? `wave ${wave.number}: ${wave.failed.length} of ${wave.accounts} accounts failed (${failureRatePercent} %), above the ${failureThresholdPercent} % threshold`
      : '',
  };
}

export interface ProgressTotals {
  readonly waves: number;
  readonly accounts: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly notReached: number;
  /** Accounts done with keys in use kept (KEY_IN_USE); not `keptKeys`, which every run record holds. */
  readonly accountsWithKeysKept: number;
}

/** The run summary's counters (numbers on the summary item), named after ProgressTotals' fields. */
export const REMEDIATION_COUNTERS = [
  'accounts',
  'done',
  'skipped',
  'failed',
  'notReached',
  'accountsWithKeysKept',
] as const satisfies readonly (keyof ProgressTotals)[];

export function progressTotals(waves: readonly WaveProgress[]): ProgressTotals {
  const sum = (pick: (wave: WaveProgress) => number): number =>
    waves.reduce((total, wave) => total + pick(wave), 0);
  return {
    waves: waves.length,
    accounts: sum((wave) => wave.accounts),
    done: sum((wave) => wave.done.length),
    skipped: sum((wave) => wave.skipped.length),
    failed: sum((wave) => wave.failed.length),
    notReached: sum((wave) => wave.notReached.length),
    accountsWithKeysKept: sum((wave) => wave.keptKeys.length),
  };
}
