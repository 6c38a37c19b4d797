import { ConfiguredRetryStrategy } from '@smithy/util-retry';

/**
 * The retry budget of the STS and Organizations clients and of every
 * root-session client: the SDK's standard strategy (exponential backoff with
 * full jitter, each wait at most 20 s; the base was 500 ms for throttling
 * and 100 ms otherwise, and is 1,000 ms and 50 ms in the SDK's 2026 retry
 * behaviour, AWS SDKs and Tools reference, "Retry behavior") with 8 attempts
 * instead of the default 3. At one call in five throttled, 3 attempts give up
 * on 1 call in 125, which an organization audit of hundreds of accounts hits;
 * 8 give up on about 1 in 400,000. The backoff of one call adds up to at
 * most 71 s (1 + 2 + 4 + 8 + 16 + 20 + 20) with the 2026 base, and much
 * less in practice, so
 * a task's handful of calls stays inside its root session
 * (DEFAULT_SESSION_SECONDS); AssumeRoot's retries happen before the session
 * starts.
 */
const AWS_CALL_MAX_ATTEMPTS = 8;
export const AWS_CALL_RETRY = { retryMode: 'standard', maxAttempts: AWS_CALL_MAX_ATTEMPTS } as const;

/**
 * The SDK's standard backoff: base 1,000 ms for throttling (the installed
 * @smithy/core's `Retry.throttlingDelay()`, its 2026 retry behaviour; it was
 * 500 ms before), doubling, each wait at most 20 s.
 */
const THROTTLE_BACKOFF_BASE_SECONDS = 1;
const MAX_BACKOFF_SECONDS = 20;

/** The longest the SDK's backoff can make one call wait in all: 71 s for 8 attempts. */
export const AWS_CALL_BACKOFF_BUDGET_SECONDS = Array.from({ length: AWS_CALL_MAX_ATTEMPTS - 1 }, (_, retry) =>
  Math.min(MAX_BACKOFF_SECONDS, THROTTLE_BACKOFF_BASE_SECONDS * 2 ** retry),
).reduce((sum, wait) => sum + wait, 0);

/**
 * The organization audit's backoff, for AssumeRoot (600/s per caller) and
 * the IAM reads of each session (100/s per member account), whose buckets
 * give a token back within 2 to 10 ms: full jitter from 100 ms, doubling,
 * each wait at most 20 s, with AWS_CALL_RETRY's 8 attempts. The SDK's
 * standard strategy (this SDK's 2026 retry behaviour) waits a random share
 * of 1 s, 2 s, 4 s... after a throttling error: at 10 % throttling every
 * shard's ten accounts at a time then wait on it, and the audit's last
 * shard, which starts after the last page, waits longest. The longest this
 * backoff can make one call wait is 12.7 s (0.1 + 0.2 + ... + 6.4), below
 * AWS_CALL_BACKOFF_BUDGET_SECONDS, which the timeouts keep as their bound.
 */
const AUDIT_BACKOFF_BASE_MS = 100;

/** Wait before retry `retry` (1-based) of an audit call, given a draw in [0, 1). */
export function auditCallBackoffMs(retry: number, random: number): number {
  return Math.floor(random * Math.min(MAX_BACKOFF_SECONDS * 1000, AUDIT_BACKOFF_BASE_MS * 2 ** (retry - 1)));
}

/**
 * A retry strategy with the audit's backoff. The clients given one instance
 * share its retry quota (the SDK's circuit breaker), as calls through one
 * client would.
 */
export function auditRetryStrategy(): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(AWS_CALL_MAX_ATTEMPTS, (retry) =>
    auditCallBackoffMs(retry, Math.random()),
  );
}
