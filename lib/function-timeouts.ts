import { DEFAULT_BATCH_CONCURRENCY } from '../lambdas/root-access/batch-audit';
import { DEFAULT_CHUNK_LIMITS, ORGANIZATIONS_LISTING_PACE } from '../lambdas/root-access/inventory-listing';
import { DEFAULT_SESSION_SECONDS } from '../lambdas/root-access/root-session';
import { AWS_CALL_BACKOFF_BUDGET_SECONDS } from '../lambdas/shared/retry-budget';
import type { RootkeeperConfig } from './config';

/**
 * Function timeouts derived from the work each call does, not from the root
 * session's length: a session belongs to one account, while a batch call
 * opens one per account. Lambda allows at most 900 s.
 */

const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** Time one clean audit takes when nothing is throttled: AssumeRoot + GetAccountSummary and the writes. */
const TYPICAL_ACCOUNT_SECONDS = 5;
/** Reading the shard, the known postures, and writing the results. */
const TABLE_WORK_SECONDS = 15;
/** The first listing chunk also walks the protected OUs and reads the table. */
const LISTING_CONTEXT_SECONDS = 60;

export interface BatchTimeoutInput {
  readonly shardSize: number;
  /** ROOT_SESSION_DURATION_SECONDS when set; the audit task's default otherwise. */
  readonly sessionSeconds?: number;
  readonly concurrency?: number;
}

const capped = (seconds: number) => Math.min(LAMBDA_MAX_TIMEOUT_SECONDS, Math.ceil(seconds));

/**
 * AuditAccountBatch: the shard's accounts in rounds of `concurrency`, plus
 * the slowest account there can be: AssumeRoot after a full backoff, a
 * session used to its end, and our one retry of the same.
 */
export function batchTimeoutSeconds(input: BatchTimeoutInput): number {
  const session = input.sessionSeconds ?? DEFAULT_SESSION_SECONDS.IAMAuditRootUserCredentials;
  const rounds = Math.ceil(input.shardSize / (input.concurrency ?? DEFAULT_BATCH_CONCURRENCY));
  const slowestAccount = 2 * (AWS_CALL_BACKOFF_BUDGET_SECONDS + session) + 1;
  return capped(rounds * TYPICAL_ACCOUNT_SECONDS + slowestAccount + TABLE_WORK_SECONDS);
}

/** AuditAccountBatch's timeout under a deployment's configuration (one source for the function and the audit's wait). */
export function configuredBatchTimeoutSeconds(
  config: Pick<RootkeeperConfig, 'auditShardSize' | 'rootSessionDurationSeconds'>,
): number {
  return batchTimeoutSeconds({
    shardSize: config.auditShardSize,
    ...(config.rootSessionDurationSeconds === undefined
      ? {}
      : { sessionSeconds: config.rootSessionDurationSeconds }),
  });
}

/** ListMemberAccounts: one chunk of pages at the listing pace, two of them backing off fully. */
export function listingChunkTimeoutSeconds(): number {
  const pacedSeconds = DEFAULT_CHUNK_LIMITS.maxPages / ORGANIZATIONS_LISTING_PACE.ratePerSecond;
  return capped(
    pacedSeconds + 2 * AWS_CALL_BACKOFF_BUDGET_SECONDS + LISTING_CONTEXT_SECONDS + TABLE_WORK_SECONDS,
  );
}

/** Longest backoff of one Lambda Retry rule (2 + 4 + 8 + 16 s, lib/workflows/retry.ts), two rules. */
const LAMBDA_RETRY_BACKOFF_SECONDS = 2 * (2 + 4 + 8 + 16);

/**
 * How long the organization audit waits without any shard being counted
 * before it counts the shards still missing as failed (stopped by hand,
 * timed out, or failed without recording). A shard's batch that times out
 * is not retried (Sandbox.Timedout is no retryable error), so a shard that
 * is still alive is counted within its batch's timeout, once more for a
 * retry after a slow failure, plus the backoff between attempts and a
 * minute for its table writes and the starts of Secure new account.
 */
export function shardSilenceSeconds(batchSeconds: number): number {
  return 2 * batchSeconds + LAMBDA_RETRY_BACKOFF_SECONDS + 60;
}
