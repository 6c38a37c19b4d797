import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { awsCall } from './aws-call';
import { INDEX_NAME } from './backups';
import { decodeItem, type Item } from './run-record';
import { KEY_IN_USE_OUTCOME } from '../lambdas/root-access/delete-credentials';
import { accountKey, KEY_PREFIX, ORGANIZATION, outcomeKey, PLANNED_OUTCOME } from '../lib/results-table-keys';

/**
 * Runs, newest first: of one account (PK = ACCOUNT#id), or by outcome and
 * time through the index (GSI1PK = OUTCOME#X, GSI1SK = <startedAt>#<id>).
 * Without an account or an outcome, every outcome's partition is read and
 * merged.
 */

export const OUTCOMES = [
  'CLEAN',
  'REMEDIATED',
  // Deleted all but the root access keys in use, which the run lists (keptKeys).
  KEY_IN_USE_OUTCOME,
  PLANNED_OUTCOME,
  'SKIPPED',
  'REJECTED',
  'FAILED',
  'ENABLED',
  'ALREADY_ENABLED',
  'UNLOCKED',
  'RESTORED',
  'NOTHING_TO_UNLOCK',
  'DENIED',
  'EXPIRED',
  'AUDITED',
  // Per-account runs of the organization audit, and a summary still running.
  'CREDENTIALS_PRESENT',
  'RUNNING',
] as const;

export interface RunQuery {
  readonly accountId?: string;
  readonly outcome?: string;
  /** ISO instant: runs started at or after it. */
  readonly since?: string;
  /** ISO instant: runs started before it. */
  readonly until?: string;
  readonly limit: number;
  /**
   * The PLANNED runs each root action records before its real run (the plan
   * it showed) are left out unless asked for, or unless the outcome asked is PLANNED.
   */
  readonly includePlans?: boolean;
}

const plansLeftOut = (query: RunQuery): boolean => query.includePlans !== true && query.outcome === undefined;

/** Far above any character of an ISO date or execution name, to close a key range. */
const HIGH = '\uffff';

async function collect(
  ddb: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      ddb.send(new QueryCommand({ ...input, ScanIndexForward: false, ExclusiveStartKey: startKey })),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined && items.length < limit);
  return items.slice(0, limit);
}

function ofAccount(table: string, query: RunQuery): QueryCommandInput {
  const values: Record<string, unknown> = { ':pk': accountKey(query.accountId ?? '') };
  let condition = 'PK = :pk AND begins_with(SK, :run)';
  if (query.since !== undefined || query.until !== undefined) {
    condition = 'PK = :pk AND SK BETWEEN :from AND :to';
    values[':from'] = `${KEY_PREFIX.run}${query.since ?? ''}`;
    values[':to'] = `${KEY_PREFIX.run}${query.until ?? HIGH}`;
  } else {
    values[':run'] = KEY_PREFIX.run;
  }
  let filter = {};
  if (query.outcome !== undefined) {
    filter = { FilterExpression: 'outcome = :outcome' };
    values[':outcome'] = query.outcome;
  } else if (plansLeftOut(query)) {
    filter = { FilterExpression: 'outcome <> :planned' };
    values[':planned'] = PLANNED_OUTCOME;
  }
  return {
    TableName: table,
    KeyConditionExpression: condition,
    ExpressionAttributeValues: values,
    ...filter,
  };
}

function ofOutcome(table: string, outcome: string, query: RunQuery): QueryCommandInput {
  const values: Record<string, unknown> = { ':pk': outcomeKey(outcome) };
  const ranged = query.since !== undefined || query.until !== undefined;
  if (ranged) {
    values[':from'] = query.since ?? '';
    values[':to'] = query.until ?? HIGH;
  }
  return {
    TableName: table,
    IndexName: INDEX_NAME,
    KeyConditionExpression: ranged ? 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to' : 'GSI1PK = :pk',
    ExpressionAttributeValues: values,
  };
}

function startedAtOf(item: Item): string {
  if (typeof item.startedAt === 'string') return item.startedAt;
  return typeof item.SK === 'string' ? (item.SK.split('#')[1] ?? '') : '';
}

/** The execution name is the SK's last part: RUN#<startedAt>#<execution name>. */
export function runRow(item: Item): Item {
  const decoded = decodeItem(item);
  const execution = typeof item.SK === 'string' ? item.SK.split('#').slice(2).join('#') : undefined;
  return {
    ...decoded,
    accountId: decoded.accountId ?? (item.PK === ORGANIZATION ? ORGANIZATION : undefined),
    startedAt: startedAtOf(item),
    ...(execution ? { executionName: execution } : {}),
  };
}

export async function queryRuns(
  ddb: DynamoDBDocumentClient,
  table: string,
  query: RunQuery,
): Promise<Item[]> {
  let items: Item[];
  if (query.accountId !== undefined) {
    items = await collect(ddb, ofAccount(table, query), query.limit);
  } else {
    const outcomes =
      query.outcome !== undefined
        ? [query.outcome]
        : OUTCOMES.filter((outcome) => outcome !== PLANNED_OUTCOME || !plansLeftOut(query));
    const pages = await Promise.all(
      outcomes.map((outcome) => collect(ddb, ofOutcome(table, outcome, query), query.limit)),
    );
    items = pages.flat();
  }
  return items
    .map(runRow)
    .sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)))
    .slice(0, query.limit);
}
