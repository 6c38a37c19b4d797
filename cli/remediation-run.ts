import type { SFNClient } from '@aws-sdk/client-sfn';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
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
import { GO_AHEAD_EVENT, GO_AHEAD_STATE } from '../lib/workflows/go-ahead';
import { KEY_PREFIX, ORGANIZATION, planKey } from '../lib/results-table-keys';
import { historyOf } from './approval-requests';
import { awsCall } from './aws-call';

/**
 * The command line's side of a Remediate organization run: saving the
 * reviewed plan under the run's name, giving the go-ahead between waves
 * (the task token the waiting state sent, read from the execution's
 * history like an approval request), and reading the progress by wave.
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

export interface PendingGoAhead {
  readonly taskToken: string;
  /** What the waiting state sent: the finished wave's tally and the next wave's size. */
  readonly detail: Record<string, unknown>;
}

const CLOSING = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskStateExited']);

/** The go-ahead the run waits for, or undefined when it is not waiting. */
export async function pendingGoAheadOf(
  sfn: SFNClient,
  executionArn: string,
): Promise<PendingGoAhead | undefined> {
  let state: string | undefined;
  let pending: PendingGoAhead | undefined;
  for (const event of await historyOf(sfn, executionArn)) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered !== undefined) state = entered;
    if (state !== GO_AHEAD_STATE) continue;
    const parameters = event.taskScheduledEventDetails?.parameters;
    if (event.type === 'TaskScheduled' && parameters !== undefined) {
      const { Entries = [] } = JSON.parse(parameters) as {
        Entries?: { DetailType?: string; Detail?: unknown }[];
      };
      const entry = Entries.find((candidate) => candidate.DetailType === GO_AHEAD_EVENT.detailType);
      const detail = (
        typeof entry?.Detail === 'string' ? JSON.parse(entry.Detail) : (entry?.Detail ?? {})
      ) as Record<string, unknown>;
      pending = { taskToken: typeof detail.taskToken === 'string' ? detail.taskToken : '', detail };
    } else if (event.type !== undefined && CLOSING.has(event.type)) pending = undefined;
  }
  return pending;
}

export interface GoAhead {
  readonly by: string;
  readonly at: string;
  readonly reason: string;
}

export async function giveGoAhead(sfn: SFNClient, taskToken: string, goAhead: GoAhead): Promise<void> {
  await awsCall('states:SendTaskSuccess', () =>
    sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(goAhead) })),
  );
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
