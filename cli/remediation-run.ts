import type { SFNClient } from '@aws-sdk/client-sfn';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../lambdas/handlers/table-batches';
import {
  waveProgress,
  progressTotals,
  type WaveProgress,
  type ProgressTotals,
} from '../lambdas/root-access/remediation-progress';
import type { RemediationPlan } from '../lambdas/root-access/remediation-plan';
import { planItemState, savedPlanItems } from '../lambdas/root-access/saved-plan';
import {
  pendingGoAheadOf as pendingGoAheadInHistory,
  type PendingGoAhead,
} from '../lambdas/root-access/go-ahead-requests';
import { KEY_PREFIX, ORGANIZATION, planKey } from '../lib/results-table-keys';
import { awsCall } from './aws-call';

/**
 * The command line's side of a Remediate organization run: saving the
 * reviewed plan under the run's name, finding the go-ahead a run waits for
 * (read from the execution's history like an approval request; given
 * through the Decide approval function, decision-client.ts), and reading
 * the progress by wave.
 */

/** Writes the plan's accounts as items under PLAN#<run>, before the run starts. */
export async function savePlan(
  table: DynamoDBDocumentClient,
  tableName: string,
  run: string,
  plan: RemediationPlan,
): Promise<number> {
  const items = savedPlanItems(run, plan);
  await awsCall('dynamodb:BatchWriteItem', () => batchWriteAll(table, tableName, items));
  return items.length;
}

export type { PendingGoAhead };

/** The go-ahead the run waits for, or undefined when it is not waiting (lambdas/root-access/go-ahead-requests.ts). */
export function pendingGoAheadOf(sfn: SFNClient, executionArn: string): Promise<PendingGoAhead | undefined> {
  return pendingGoAheadInHistory(sfn, executionArn, awsCall);
}

export interface RunProgress {
  readonly waves: readonly WaveProgress[];
  readonly totals: ProgressTotals;
  /** The run's summary record: RUNNING until it ends, then COMPLETED, STOPPED, EXPIRED, FAILED... */
  readonly outcome?: string;
  readonly outcomeReason?: string;
  readonly goAheads: readonly string[];
}

async function queryAll(
  table: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      table.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start !== undefined);
  return items;
}

/** Progress by wave, from the saved plan's items, and the summary record of the execution. */
export async function readRunProgress(
  table: DynamoDBDocumentClient,
  tableName: string,
  run: string,
  executionArn: string,
): Promise<RunProgress | undefined> {
  const items = await queryAll(table, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :wave)',
    ExpressionAttributeValues: { ':pk': planKey(run), ':wave': KEY_PREFIX.wave },
    ProjectionExpression: 'wave, waveKind, accountId, outcome, outcomeReason',
  });
  if (items.length === 0) return undefined;
  const [summary] = await queryAll(table, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
    FilterExpression: 'executionArn = :arn',
    ExpressionAttributeValues: { ':pk': ORGANIZATION, ':run': KEY_PREFIX.run, ':arn': executionArn },
    ScanIndexForward: false,
  });
  const waves = waveProgress(items.map(planItemState));
  return {
    waves,
    totals: progressTotals(waves),
    ...(typeof summary?.outcome === 'string' ? { outcome: summary.outcome } : {}),
    ...(typeof summary?.outcomeReason === 'string' && summary.outcomeReason !== ''
      ? { outcomeReason: summary.outcomeReason }
      : {}),
    goAheads: Array.isArray(summary?.goAheads) ? (summary.goAheads as string[]) : [],
  };
}
