/**
 * The retry budget of the STS and Organizations clients and of every
 * root-session client: the SDK's standard strategy (exponential backoff with
 * full jitter from 500 ms for throttling, 100 ms otherwise, each wait at
 * most 20 s) with 8 attempts
 * instead of the default 3. At one call in five throttled, 3 attempts give up
 * on 1 call in 125, which an organization audit of hundreds of accounts hits;
 * 8 give up on about 1 in 400,000. The backoff of one call adds up to at
 * most ~52 s (0.5 + 1 + 2 + 4 + 8 + 16 + 20), and much less in practice, so
 * a task's handful of calls stays inside its root session
 * (DEFAULT_SESSION_SECONDS); AssumeRoot's retries happen before the session
 * starts.
 */
const AWS_CALL_MAX_ATTEMPTS = 8;
export const AWS_CALL_RETRY = { retryMode: 'standard', maxAttempts: AWS_CALL_MAX_ATTEMPTS } as const;

/** The SDK's standard backoff: base 500 ms for throttling, doubling, each wait at most 20 s. */
const THROTTLE_BACKOFF_BASE_SECONDS = 0.5;
const MAX_BACKOFF_SECONDS = 20;

/** The longest the SDK's backoff can make one call wait in all: ~52 s for 8 attempts. */
export const AWS_CALL_BACKOFF_BUDGET_SECONDS = Array.from({ length: AWS_CALL_MAX_ATTEMPTS - 1 }, (_, retry) =>
  Math.min(MAX_BACKOFF_SECONDS, THROTTLE_BACKOFF_BASE_SECONDS * 2 ** retry),
).reduce((sum, wait) => sum + wait, 0);
