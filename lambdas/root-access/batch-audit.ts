import { RETRYABLE_ERROR_NAMES, RootAccessError } from './errors';

/**
 * Audits one shard of accounts with bounded concurrency and decides which
 * accounts go on to "Secure new account". One account's failure is recorded
 * for that account: it never fails the shard, which would make the
 * Distributed Map redo (and re-record) every other account.
 */

/** The part of a posture the routing needs; the full posture is carried through untouched. */
export interface PostureSummary {
  readonly credentialsPresent: boolean;
}

export interface AccountAudit<P extends PostureSummary> {
  readonly posture: P;
  readonly sessionAccessKeyId: string;
}

export type AccountAuditResult<P extends PostureSummary> =
  | {
      readonly accountId: string;
      readonly outcome: 'CLEAN' | 'CREDENTIALS_PRESENT';
      readonly posture: P;
      readonly sessionAccessKeyId: string;
      /** No posture was recorded for the account before this audit. */
      readonly firstSeen: boolean;
      readonly startedAt: string;
      readonly finishedAt: string;
    }
  | {
      readonly accountId: string;
      readonly outcome: 'FAILED';
      /** The error's name (a domain error name when mapped) and message. */
      readonly error: string;
      readonly errorCause: string;
      readonly firstSeen: boolean;
      readonly startedAt: string;
      readonly finishedAt: string;
    };

export interface BatchAuditCounts {
  /** Accounts attempted: clean + withCredentials + failed. */
  readonly audited: number;
  readonly clean: number;
  readonly withCredentials: number;
  readonly failed: number;
  /** Accounts audited successfully that had no posture recorded before. */
  readonly firstSeen: number;
}

export interface BatchAuditResult<P extends PostureSummary> {
  readonly results: AccountAuditResult<P>[];
  readonly counts: BatchAuditCounts;
  readonly toSecure: string[];
}

export interface BatchAuditInput<P extends PostureSummary> {
  readonly accountIds: readonly string[];
  /** Audits one account (opens its root session and reads its posture). */
  readonly auditAccount: (accountId: string) => Promise<AccountAudit<P>>;
  /** Accounts that already have a recorded posture. */
  readonly existingPostures: ReadonlySet<string>;
  readonly concurrency?: number;
  /** Route accounts seen for the first time to "Secure new account". */
  readonly secureFirstSeen: boolean;
  /** Route accounts with root credentials to "Secure new account" (which deletes them). */
  readonly autoRemediate: boolean;
  /** First organization audit ever: record postures, route no first-seen account. */
  readonly baseline: boolean;
  /** Pause before our one retry of a retryable error (the SDK has retried already). */
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
}

export const DEFAULT_BATCH_CONCURRENCY = 10;

function isRetryable(error: unknown): boolean {
  if (error instanceof RootAccessError) return error.retryable;
  return error instanceof Error && RETRYABLE_ERROR_NAMES.includes(error.name);
}

function describeError(error: unknown): { error: string; errorCause: string } {
  if (error instanceof Error) return { error: error.name, errorCause: error.message };
  return { error: 'UnknownError', errorCause: String(error) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withOneRetry<T>(run: () => Promise<T>, delayMs: number): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isRetryable(error)) throw error;
    await sleep(delayMs);
    return run();
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the items' order. */
async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export async function auditAccountBatch<P extends PostureSummary>(
  input: BatchAuditInput<P>,
): Promise<BatchAuditResult<P>> {
  const concurrency = input.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const now = input.now ?? (() => new Date());
  const retryDelayMs = input.retryDelayMs ?? 1000;
  const accountIds = [...new Set(input.accountIds)];

  const results = await mapWithConcurrency(
    accountIds,
    concurrency,
    async (accountId): Promise<AccountAuditResult<P>> => {
      const firstSeen = !input.existingPostures.has(accountId);
      const startedAt = now().toISOString();
      try {
        const { posture, sessionAccessKeyId } = await withOneRetry(
          () => input.auditAccount(accountId),
          retryDelayMs,
        );
        const outcome = posture.credentialsPresent ? 'CREDENTIALS_PRESENT' : 'CLEAN';
        const finishedAt = now().toISOString();
        return { accountId, outcome, posture, sessionAccessKeyId, firstSeen, startedAt, finishedAt };
      } catch (error) {
        return {
          accountId,
          outcome: 'FAILED',
          ...describeError(error),
          firstSeen,
          startedAt,
          finishedAt: now().toISOString(),
        };
      }
    },
  );

  return { results, ...tally(results, input) };
}

/** The batch's counts and the accounts routed to "Secure new account". */
function tally<P extends PostureSummary>(
  results: readonly AccountAuditResult<P>[],
  routing: Pick<BatchAuditInput<P>, 'secureFirstSeen' | 'autoRemediate' | 'baseline'>,
): Omit<BatchAuditResult<P>, 'results'> {
  const toSecure: string[] = [];
  let clean = 0;
  let withCredentials = 0;
  let failed = 0;
  let firstSeen = 0;
  for (const result of results) {
    if (result.outcome === 'FAILED') {
      failed += 1;
      continue;
    }
    if (result.outcome === 'CLEAN') clean += 1;
    else withCredentials += 1;
    if (result.firstSeen) firstSeen += 1;
    const routeFirstSeen = result.firstSeen && routing.secureFirstSeen && !routing.baseline;
    const routeCredentials = result.outcome === 'CREDENTIALS_PRESENT' && routing.autoRemediate;
    if (routeFirstSeen || routeCredentials) toSecure.push(result.accountId);
  }
  return {
    counts: { audited: results.length, clean, withCredentials, failed, firstSeen },
    toSecure,
  };
}
