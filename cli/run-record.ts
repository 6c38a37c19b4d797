import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCall } from './aws-call';
import { accountKey, accountOfKey, KEY_PREFIX } from '../lib/results-table-keys';

/**
 * Reading what the workflows recorded. Nested values (postures, actions) are
 * stored as JSON strings so the workflow can write them with
 * States.JsonToString; they are decoded here so that --output json gives
 * scripts objects, not strings holding JSON.
 */

export interface RunKey {
  readonly PK: string;
  readonly SK: string;
}

export type Item = Record<string, unknown>;

const JSON_ATTRIBUTES = [
  'before',
  'after',
  'actions',
  'posture',
  'sessionAccessKeyIds',
  'sessionsReopened',
  'counts',
  'summary',
  'skipped',
];
const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'expiresAt'];

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  // The workflow records an absent object as the JSON text "null".
  if (trimmed === 'null') return null;
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

/** Sets (from DynamoDB string sets) become arrays so JSON.stringify keeps them. */
function plain(value: unknown): unknown {
  return value instanceof Set ? [...(value as Set<unknown>)] : value;
}

export { accountOfKey };

/** A stored item as a person or a script reads it: no index keys, nested JSON decoded. */
export function decodeItem(item: Item): Item {
  const decoded: Item = {};
  const accountId = accountOfKey(item.PK);
  if (accountId !== undefined) decoded.accountId = accountId;
  for (const [key, value] of Object.entries(item)) {
    if (KEY_ATTRIBUTES.includes(key)) continue;
    decoded[key] = JSON_ATTRIBUTES.includes(key) ? parseMaybeJson(value) : plain(value);
  }
  return decoded;
}

export interface WorkflowOutput {
  readonly outcome?: string;
  readonly accountId?: string;
  readonly runKey?: RunKey;
  readonly raw: unknown;
}

function isRunKey(value: unknown): value is RunKey {
  if (typeof value !== 'object' || value === null) return false;
  const { PK, SK } = value as Record<string, unknown>;
  return typeof PK === 'string' && typeof SK === 'string';
}

export function parseWorkflowOutput(text: string | undefined): WorkflowOutput {
  if (text === undefined || text === '') return { raw: undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { raw: text };
  }
  if (typeof raw !== 'object' || raw === null) return { raw };
  const fields = raw as Record<string, unknown>;
  return {
    raw,
    ...(typeof fields.outcome === 'string' ? { outcome: fields.outcome } : {}),
    ...(typeof fields.accountId === 'string' ? { accountId: fields.accountId } : {}),
    ...(isRunKey(fields.runKey) ? { runKey: { PK: fields.runKey.PK, SK: fields.runKey.SK } } : {}),
  };
}

export async function readItem(
  ddb: DynamoDBDocumentClient,
  table: string,
  key: RunKey,
): Promise<Item | undefined> {
  const answer = await awsCall('dynamodb:GetItem', () =>
    ddb.send(new GetCommand({ TableName: table, Key: { PK: key.PK, SK: key.SK } })),
  );
  return answer.Item;
}

/**
 * The run an execution recorded, when its output did not say (it failed
 * before the end): the account's newest runs, matched by execution.
 */
export async function findRunOfExecution(
  ddb: DynamoDBDocumentClient,
  table: string,
  accountId: string,
  executionArn: string,
): Promise<Item | undefined> {
  const name = executionArn.split(':').pop() ?? executionArn;
  const answer = await awsCall('dynamodb:Query', () =>
    ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
        ExpressionAttributeValues: { ':pk': accountKey(accountId), ':run': KEY_PREFIX.run },
        ScanIndexForward: false,
        Limit: 25,
      }),
    ),
  );
  return answer.Items?.find(
    (item) =>
      item.executionArn === executionArn || (typeof item.SK === 'string' && item.SK.endsWith(`#${name}`)),
  );
}
