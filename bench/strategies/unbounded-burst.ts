/**
 * The most complete open-source CLI: list the accounts, then every account
 * at once (AssumeRoot, then the four list calls together), with the SDK's
 * default retries and maxAttempts 10 on STS. Nothing paces the burst but
 * the SDK's HTTP agents: 50 sockets for the one STS client (the SDK
 * default), and one pool of 500 keep-alive sockets shared by the
 * per-account IAM clients. Each client with its own agent, as the SDK does,
 * would open 40,000 connections at once; AWS's endpoints accept that, the
 * loopback's accept queue (Node's listen backlog, 511) does not, and the
 * dropped connections would measure the kernel, not the strategy. The
 * shared pool is generous to the burst: no TLS handshake per account.
 */
import { Agent } from 'node:http';
import { STSClient } from '@aws-sdk/client-sts';
import type { StrategyOutcome } from '../types';
import { auditByListing } from './audit-by-listing';
import { Tally, type StrategyContext } from './context';
import { listActiveMembers } from './list-accounts';

/** Below the loopback listen backlog (511), so that no connection is dropped. */
const IAM_SOCKETS = 500;

export async function runUnboundedBurst(context: StrategyContext): Promise<StrategyOutcome> {
  const started = performance.now();
  const tally = new Tally(started);
  const sts = new STSClient({
    endpoint: context.endpoint,
    region: context.region,
    credentials: context.credentials,
    maxAttempts: context.maxAttempts,
  });
  // Bounded in time like every benchmark loop: past the limit no call is started.
  const expired = (): boolean => performance.now() - started > context.timeLimitMs;
  const iamAgent = new Agent({ keepAlive: true, maxSockets: IAM_SOCKETS });
  try {
    const listing = await listActiveMembers(context, tally).catch(() => undefined);
    const ids = listing?.accountIds ?? [];
    await Promise.all(
      ids.map(async (accountId) => {
        const posture = await auditByListing(context, sts, accountId, tally, {
          parallelListCalls: true,
          expired,
          iamAgent,
        });
        if (posture) tally.record(accountId, posture);
      }),
    );
    return {
      strategy: 'unbounded-burst',
      attemptedAccounts: ids.length,
      measuredWallMs: performance.now() - started,
      recorded: tally.recorded,
      completionsMs: tally.completionsMs,
      sdkRetries: tally.sdkRetries,
      failedCalls: tally.failedCalls,
      failureSamples: tally.failureSamples,
      extra: {
        listingMs: Math.round(listing?.ms ?? 0),
        eligibleAccounts: ids.length,
        timedOut: String(expired()),
      },
    };
  } finally {
    iamAgent.destroy();
    sts.destroy();
  }
}
