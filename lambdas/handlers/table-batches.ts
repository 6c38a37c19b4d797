import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
} from '@aws-sdk/lib-dynamodb';
import { TransientAwsError } from '../root-access/errors';

/**
 * BatchWriteItem and BatchGetItem over any number of items. DynamoDB may
 * answer part of a batch as unprocessed (throttled partitions); those are
 * sent again with backoff, and only a persistent remainder is an error.
 */

type Item = Record<string, NativeAttributeValue>;

const WRITE_BATCH = 25;
const GET_BATCH = 100;
const MAX_ATTEMPTS = 8;

export interface BatchOptions {
  /** Base of the exponential backoff between attempts at the unprocessed remainder. */
  readonly backoffMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  { backoffMs = 50 }: BatchOptions = {},
): Promise<void> {
  for (const chunk of chunks(items, WRITE_BATCH)) {
    let pending = chunk.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new TransientAwsError(`dynamodb:BatchWriteItem left ${pending.length} items unprocessed`);
      }
      if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
}

export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  { projection, backoffMs = 50 }: BatchOptions & { projection?: string } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (const chunk of chunks(keys, GET_BATCH)) {
    let pending: Item[] = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new TransientAwsError(`dynamodb:BatchGetItem left ${pending.length} keys unprocessed`);
      }
      if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2));
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(projection !== undefined && { ProjectionExpression: projection }),
            },
          },
        }),
      );
      found.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}
