import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  type BatchGetCommandInput,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { batchGetAll, batchWriteAll } from '../../../lambdas/handlers/table-batches';
import { TransientAwsError } from '../../../lambdas/root-access/errors';

describe('batch helpers retry what DynamoDB left unprocessed', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const items = Array.from({ length: 30 }, (_, n) => ({ PK: `ACCOUNT#${n}`, SK: 'POSTURE' }));

  beforeEach(() => dynamo.reset());

  test('BatchWriteItem: 25 items a request, the unprocessed remainder sent again', async () => {
    const sizes: number[] = [];
    let first = true;
    dynamo.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      const requests = input.RequestItems?.t ?? [];
      sizes.push(requests.length);
      if (first) {
        first = false;
        return { UnprocessedItems: { t: requests.slice(0, 3) } };
      }
      return {};
    });
    await batchWriteAll(client, 't', items, { backoffMs: 0 });
    expect(sizes).toEqual([25, 3, 5]);
  });

  test('BatchWriteItem: a persistent remainder is a TransientAwsError', async () => {
    dynamo.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: { t: input.RequestItems?.t ?? [] },
    }));
    await expect(batchWriteAll(client, 't', items.slice(0, 2), { backoffMs: 0 })).rejects.toThrow(
      TransientAwsError,
    );
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
  });

  test('BatchGetItem: unprocessed keys are asked again and all found items returned', async () => {
    let first = true;
    dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
      const keys = input.RequestItems?.t?.Keys ?? [];
      if (first) {
        first = false;
        return { Responses: { t: keys.slice(1) }, UnprocessedKeys: { t: { Keys: keys.slice(0, 1) } } };
      }
      return { Responses: { t: keys } };
    });
    const found = await batchGetAll(client, 't', items.slice(0, 4), { backoffMs: 0 });
    expect(found).toHaveLength(4);
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 2);
  });
});
