import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCall } from './aws-call';
import type { Item } from './run-record';
import { backupKey } from '../lib/results-table-keys';

/** Policy backups, found by id through the overloaded index (GSI1PK = BACKUP#<id>). */

export const INDEX_NAME = 'GSI1';

export async function findBackup(
  ddb: DynamoDBDocumentClient,
  table: string,
  backupId: string,
): Promise<Item | undefined> {
  const answer = await awsCall('dynamodb:Query', () =>
    ddb.send(
      new QueryCommand({
        TableName: table,
        IndexName: INDEX_NAME,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': backupKey(backupId) },
        Limit: 1,
      }),
    ),
  );
  return answer.Items?.[0];
}

/** What a person or script needs of a backup: never the whole policy in human output. */
export function backupSummary(item: Item): Record<string, unknown> {
  const { backupId, accountId, resourceType, bucketName, queueUrl, policySha256, createdAt, executionArn } =
    item;
  const policy = typeof item.policy === 'string' ? item.policy : null;
  return {
    backupId,
    accountId,
    resourceType,
    ...(bucketName !== undefined ? { bucketName } : {}),
    ...(queueUrl !== undefined ? { queueUrl } : {}),
    policySha256: policySha256 ?? null,
    policyBytes: policy === null ? 0 : Buffer.byteLength(policy, 'utf8'),
    createdAt,
    executionArn,
  };
}
