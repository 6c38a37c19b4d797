import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from '../../../local/dynamodb/local-dynamodb';

/**
 * A real DynamoDB-protocol server (dynalite) on loopback with the results
 * table's keys and index, so the handlers' reads and writes are checked
 * against DynamoDB semantics rather than a mock.
 */
export interface ResultsTable {
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startResultsTable(tableName = 'results'): Promise<ResultsTable> {
  const local = await startLocalDynamoDb({ tableName });
  return { tableName, documentClient: DynamoDBDocumentClient.from(local.client), close: local.close };
}
