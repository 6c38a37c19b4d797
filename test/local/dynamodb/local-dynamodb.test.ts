import { DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { RESULTS_TABLE_INDEX_NAME, RESULTS_TABLE_SCHEMA } from '../../../lib/results-table-schema';
import { startLocalDynamoDb, type LocalResultsTable } from '../../../local/dynamodb/local-dynamodb';
import { isAlive } from '../../support/process-alive';

describe('the local results table', () => {
  let table: LocalResultsTable;

  beforeAll(async () => {
    table = await startLocalDynamoDb();
  });

  afterAll(async () => {
    await table.close();
  });

  test('listens on loopback, on a port of its own', () => {
    expect(table.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('has the keys and the index of the CDK schema', async () => {
    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(RESULTS_TABLE_SCHEMA.KeySchema);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema])).toEqual([
      [RESULTS_TABLE_INDEX_NAME, RESULTS_TABLE_SCHEMA.GlobalSecondaryIndexes[0].KeySchema],
    ]);
  });

  test('stores items and answers index queries', async () => {
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          PK: { S: 'ACCOUNT#222233334444' },
          SK: { S: 'POSTURE' },
          GSI1PK: { S: 'POSTURE' },
          GSI1SK: { S: 'ACCOUNT#222233334444' },
        },
      }),
    );
    const { Item } = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: { PK: { S: 'ACCOUNT#222233334444' }, SK: { S: 'POSTURE' } },
      }),
    );
    expect(Item?.GSI1PK?.S).toBe('POSTURE');
    const { Count } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: RESULTS_TABLE_INDEX_NAME,
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': { S: 'POSTURE' } },
      }),
    );
    expect(Count).toBe(1);
  });
});

describe('the local results table in a process of its own', () => {
  test('serves the table from another process, and stops it on close', async () => {
    const table = await startLocalDynamoDb({ inOwnProcess: true });
    const pid = table.pid ?? 0;
    try {
      const item = {
        PK: { S: 'ACCOUNT#222233334444' },
        SK: { S: 'POSTURE' },
        GSI1PK: { S: 'POSTURE' },
        GSI1SK: { S: 'ACCOUNT#222233334444' },
      };
      await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: item }));
      const { Item } = await table.client.send(
        new GetItemCommand({ TableName: table.tableName, Key: { PK: item.PK, SK: item.SK } }),
      );
      expect(Item).toEqual(item);
      // Another process: not this one, and alive while the table serves.
      expect(pid).not.toBe(process.pid);
      expect(isAlive(pid)).toBe(true);
      // Not this process's server: no listening handle of dynalite's here.
      const servers = (process as unknown as { _getActiveHandles(): unknown[] })
        ._getActiveHandles()
        .filter((handle) => handle?.constructor?.name === 'Server');
      expect(servers).toHaveLength(0);
    } finally {
      await table.close();
    }
    expect(isAlive(pid)).toBe(false);
  });
});
