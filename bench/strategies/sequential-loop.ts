/**
 * The launch post's shell script and the published Python scripts: list the
 * accounts, then one account after another, AssumeRoot and the four list
 * calls one by one, SDK default retries. Too slow to run in full at 10,000
 * accounts (≈ 5 calls × 60 ms each), so it runs on a sample and the rest is
 * extrapolated linearly, and says so.
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { StrategyOutcome } from '../types';
import { auditByListing } from './audit-by-listing';
import { Tally, type StrategyContext } from './context';
import { listActiveMembers } from './list-accounts';

export interface SequentialOptions {
  /** Audit at most this many accounts; extrapolate the rest. */
  readonly sample: number;
}

export async function runSequentialLoop(
  context: StrategyContext,
  options: SequentialOptions,
): Promise<StrategyOutcome> {
  const started = performance.now();
  const tally = new Tally(started);
  const sts = new STSClient({
    endpoint: context.endpoint,
    region: context.region,
    credentials: context.credentials,
    maxAttempts: context.maxAttempts,
  });
  try {
    const listing = await listActiveMembers(context, tally).catch(() => undefined);
    const ids = listing?.accountIds ?? [];
    const sample = ids.slice(0, Math.max(0, options.sample));
    const auditStarted = performance.now();
    let audited = 0;
    for (const accountId of sample) {
      const expired = (): boolean => performance.now() - started > context.timeLimitMs;
      if (expired()) break;
      const posture = await auditByListing(context, sts, accountId, tally, {
        parallelListCalls: false,
        expired,
      });
      audited += 1;
      if (posture) tally.record(accountId, posture);
    }
    const measuredWallMs = performance.now() - started;
    const auditMs = performance.now() - auditStarted;
    const partial = audited < ids.length && audited > 0;
    return {
      strategy: 'sequential-loop',
      attemptedAccounts: audited,
      measuredWallMs,
      ...(partial && listing
        ? {
            extrapolation: {
              wallMs: listing.ms + (auditMs / audited) * ids.length,
              method: `listing measured in full (${listing.pages} pages, ${(listing.ms / 1000).toFixed(1)} s); ${audited} of ${ids.length} accounts audited, their mean time per account × ${ids.length}`,
            },
          }
        : {}),
      recorded: tally.recorded,
      completionsMs: tally.completionsMs,
      sdkRetries: tally.sdkRetries,
      failedCalls: tally.failedCalls,
      failureSamples: tally.failureSamples,
      extra: { listingMs: Math.round(listing?.ms ?? 0), eligibleAccounts: ids.length },
    };
  } finally {
    sts.destroy();
  }
}
