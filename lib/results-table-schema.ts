/**
 * The results table's keys as plain data, with no CDK types: the CDK
 * construct and the local runner (DynamoDB CreateTable against the local
 * server) both build the table from this one description.
 * Item shapes: docs/architecture.md, "Results table".
 */
export const RESULTS_TABLE_SCHEMA = {
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'GSI1PK', AttributeType: 'S' },
    { AttributeName: 'GSI1SK', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  BillingMode: 'PAY_PER_REQUEST',
} as const;

/** The attribute DynamoDB deletes items by (epoch seconds): inventory shards and request claims. */
export const RESULTS_TABLE_TTL_ATTRIBUTE = 'expiresAt';

export const RESULTS_TABLE_INDEX_NAME = RESULTS_TABLE_SCHEMA.GlobalSecondaryIndexes[0].IndexName;
