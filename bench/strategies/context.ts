/** What every strategy is given: where the organization answers, and as whom. */
import type { PostureFlags } from '../types';

export interface StrategyContext {
  readonly endpoint: string;
  readonly region: string;
  /** The management account's long-term credentials, as a script on an admin laptop would have. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Hard stop: nothing is started after this much time; unfinished accounts count as missing. */
  readonly timeLimitMs: number;
  /**
   * SDK attempts of the audit calls (AssumeRoot and the IAM calls): 3, the
   * SDK default the published scripts ship with, or 8, Rootkeeper's budget.
   * The listing keeps 10 either way, so that both audit every account.
   */
  readonly maxAttempts: number;
}

/** Collects what a strategy saw, the same way for both baselines. */
export class Tally {
  readonly recorded = new Map<string, PostureFlags>();
  readonly completionsMs: number[] = [];
  readonly failureSamples: string[] = [];
  failedCalls = 0;
  sdkRetries = 0;

  constructor(private readonly startedAt: number) {}

  record(accountId: string, posture: PostureFlags): void {
    this.recorded.set(accountId, posture);
    this.completionsMs.push(performance.now() - this.startedAt);
  }

  /** Adds the attempts an SDK response or error reports ($metadata.attempts). */
  attempts(value: unknown): void {
    const metadata = (value as { $metadata?: { attempts?: number } } | undefined)?.$metadata;
    if (metadata?.attempts !== undefined) this.sdkRetries += Math.max(0, metadata.attempts - 1);
  }

  fail(what: string, error: unknown): void {
    this.failedCalls += 1;
    this.attempts(error);
    if (this.failureSamples.length < 5) {
      const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.failureSamples.push(`${what}: ${name}`.slice(0, 200));
    }
  }
}
