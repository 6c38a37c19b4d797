import { silentReadsLimit } from '../../lib/workflows/audit-organization';
import {
  batchTimeoutSeconds,
  listingChunkTimeoutSeconds,
  shardSilenceSeconds,
} from '../../lib/function-timeouts';
import { AWS_CALL_BACKOFF_BUDGET_SECONDS } from '../../lambdas/shared/retry-budget';

describe('function timeouts derived from the work', () => {
  test('the SDK backoff budget of 8 attempts: 1 + 2 + 4 + 8 + 16 + 20 + 20 s (a 1 s throttling base)', () => {
    expect(AWS_CALL_BACKOFF_BUDGET_SECONDS).toBe(71);
  });

  test('a shard of 100 accounts: 10 rounds of 5 s, the slowest account twice (backoff + 60 s session) + 1 s, 15 s of table work', () => {
    // 50 + 2 × (71 + 60) + 1 + 15 = 328
    expect(batchTimeoutSeconds({ shardSize: 100 })).toBe(328);
  });

  test('a short session setting shortens nothing below the work: 100 accounts with 30 s sessions', () => {
    // 50 + 2 × (71 + 30) + 1 + 15 = 268, far above the 30 s session
    expect(batchTimeoutSeconds({ shardSize: 100, sessionSeconds: 30 })).toBe(268);
  });

  test('never above the 900 s Lambda allows', () => {
    expect(batchTimeoutSeconds({ shardSize: 1000, sessionSeconds: 900 })).toBe(900);
  });

  test('a listing chunk: 50 pages at 10/s, two full backoffs, the first chunk context, the table', () => {
    // 5 + 2 × 71 + 60 + 15 = 222
    expect(listingChunkTimeoutSeconds()).toBe(222);
  });

  test('the audit stops waiting for silent shards after two batch timeouts, two full Lambda backoffs and a minute', () => {
    // 2 × 328 + 2 × (2 + 4 + 8 + 16) + 60 = 776 s, read every 2 s: 388 reads
    expect(shardSilenceSeconds(328)).toBe(776);
    expect(silentReadsLimit({ auditShardSize: 100 })).toBe(388);
  });
});
