import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { KEY_PREFIX, ORGANIZATION } from '../lib/results-table-keys';
import type { CliContext } from './context';
import type { Progress } from './progress';
import { OUTPUT } from './stack-outputs';

/**
 * The organization audit's progress in accounts: its summary run (PK
 * ORGANIZATION, opened at the start) holds the counters each shard adds to
 * (AUDIT_COUNTERS) and how many shards are counted, read while it runs.
 * The total is not known until the listing ends, so it is a count, not a bar.
 */

function count(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  return typeof value === 'number' ? value : 0;
}

/** "27 accounts audited: 22 clean, 5 with root credentials, 0 failed (3 shards counted)". */
function auditProgressText(summary: Record<string, unknown>): string {
  const failed = count(summary, 'failed') + count(summary, 'failedAccounts');
  const done = count(summary, 'audited') + failed;
  return `${done} accounts audited: ${count(summary, 'clean')} clean, ${count(summary, 'withCredentials')} with root credentials, ${failed} failed (${count(summary, 'shardsCounted')} shards counted)`;
}

export function auditProgress(ctx: CliContext, executionArn: string): (progress: Progress) => Promise<void> {
  return async (progress) => {
    const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
    const answer = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :organization AND begins_with(SK, :run)',
        ExpressionAttributeValues: { ':organization': ORGANIZATION, ':run': KEY_PREFIX.run },
        ScanIndexForward: false,
        Limit: 10,
      }),
    );
    const summary = answer.Items?.find((item) => item.executionArn === executionArn);
    if (summary !== undefined) progress.status(auditProgressText(summary));
  };
}
