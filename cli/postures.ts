import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCall } from './aws-call';
import { INDEX_NAME } from './backups';
import { accountOfKey, decodeItem, readItem, type Item } from './run-record';
import { accountKey, POSTURE } from '../lib/results-table-keys';

/** The latest root posture of each account: one item per account, all under GSI1PK = POSTURE. */

export interface PostureRow {
  readonly accountId: string;
  readonly credentialsPresent: boolean | null;
  readonly posture: unknown;
  readonly checkedAt: string | null;
  readonly checkedBy: string | null;
}

function postureRow(item: Item): PostureRow {
  const decoded = decodeItem(item);
  return {
    accountId: accountOfKey(item.PK) ?? (typeof decoded.accountId === 'string' ? decoded.accountId : ''),
    credentialsPresent: typeof decoded.credentialsPresent === 'boolean' ? decoded.credentialsPresent : null,
    posture: decoded.posture ?? null,
    checkedAt: typeof decoded.checkedAt === 'string' ? decoded.checkedAt : null,
    checkedBy: typeof decoded.checkedBy === 'string' ? decoded.checkedBy : null,
  };
}

/** Every posture, paginated; `onlyWithCredentials` filters on the server. */
export async function listPostures(
  ddb: DynamoDBDocumentClient,
  table: string,
  options: { readonly onlyWithCredentials?: boolean } = {},
): Promise<PostureRow[]> {
  const rows: PostureRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      ddb.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEX_NAME,
          KeyConditionExpression: 'GSI1PK = :posture',
          ...(options.onlyWithCredentials
            ? {
                FilterExpression: 'credentialsPresent = :true',
                ExpressionAttributeValues: { ':posture': POSTURE, ':true': true },
              }
            : { ExpressionAttributeValues: { ':posture': POSTURE } }),
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    rows.push(...(page.Items ?? []).map(postureRow));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return rows.sort((a, b) => a.accountId.localeCompare(b.accountId));
}

/** Parallel reads at a time: enough to be quick, few enough to stay clear of throttling. */
const READ_CONCURRENCY = 8;

/**
 * The postures of the given accounts (missing ones are left out). GetItem,
 * not BatchGetItem: the on-call policy grants GetItem and Query only, and
 * an audit names a handful of accounts.
 */
export async function getPostures(
  ddb: DynamoDBDocumentClient,
  table: string,
  accountIds: readonly string[],
): Promise<PostureRow[]> {
  const rows: PostureRow[] = [];
  for (let start = 0; start < accountIds.length; start += READ_CONCURRENCY) {
    const items = await Promise.all(
      accountIds
        .slice(start, start + READ_CONCURRENCY)
        .map((id) => readItem(ddb, table, { PK: accountKey(id), SK: POSTURE })),
    );
    rows.push(...items.filter((item): item is Item => item !== undefined).map(postureRow));
  }
  return rows.sort((a, b) => a.accountId.localeCompare(b.accountId));
}
