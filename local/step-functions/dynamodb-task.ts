import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoAction } from './compile';
import { StatesError } from './errors';
import { sdkMetadata, serviceCause } from './service-metadata';
import type { Json } from './types';

// The errors DynamoDB's model names. Step Functions reports them by the AWS
// SDK for Java's class name (the shape name, "Exception" appended when it
// lacks it: InternalServerError → InternalServerErrorException), and any other
// as AmazonDynamoDBException.
const MODELED_ERRORS = new Set([
  'ConditionalCheckFailedException',
  'ProvisionedThroughputExceededException',
  'ResourceNotFoundException',
  'ItemCollectionSizeLimitExceededException',
  'TransactionConflictException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ReplicatedWriteConflictException',
  'ThrottlingException',
]);

export function errorName(code: string): string {
  if (!MODELED_ERRORS.has(code)) return 'DynamoDB.AmazonDynamoDBException';
  return `DynamoDB.${code.endsWith('Exception') ? code : `${code}Exception`}`;
}

type Converter = (value: unknown) => unknown;

/** Binary attribute values travel as base64 in a state's JSON and as bytes in the SDK. */
function mapBinary(value: unknown, convert: Converter): unknown {
  if (Array.isArray(value)) return value.map((item) => mapBinary(item, convert));
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === 'B') return [key, convert(item)];
      if (key === 'BS' && Array.isArray(item)) return [key, item.map(convert)];
      return [key, mapBinary(item, convert)];
    }),
  );
}

const toBytes: Converter = (value) => (typeof value === 'string' ? Buffer.from(value, 'base64') : value);
const toBase64: Converter = (value) =>
  value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;

async function send(client: DynamoDBClient, action: DynamoAction, input: unknown): Promise<object> {
  switch (action) {
    case 'putItem':
      return client.send(new PutItemCommand(input as PutItemCommandInput));
    case 'updateItem':
      return client.send(new UpdateItemCommand(input as UpdateItemCommandInput));
    case 'getItem':
      return client.send(new GetItemCommand(input as GetItemCommandInput));
    case 'deleteItem':
      return client.send(new DeleteItemCommand(input as DeleteItemCommandInput));
  }
}

function dynamoError(error: unknown): StatesError {
  const failure = error as {
    name?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number; requestId?: string };
  };
  const code = failure.name ?? 'Error';
  const message = failure.message ?? String(error);
  if (failure.$fault === undefined) return new StatesError('DynamoDB.SdkClientException', message);
  const name = errorName(code);
  const status = failure.$metadata?.httpStatusCode ?? 400;
  return new StatesError(
    name,
    serviceCause(message, 'AmazonDynamoDBv2', status, code, failure.$metadata?.requestId),
  );
}

/** `arn:aws:states:::dynamodb:<action>` with the state's evaluated Parameters, answered as Step Functions does. */
export async function runDynamoTask(
  client: DynamoDBClient,
  action: DynamoAction,
  parameters: Json,
): Promise<Json> {
  let response: object;
  try {
    response = await send(client, action, mapBinary(parameters, toBytes));
  } catch (error) {
    throw dynamoError(error);
  }
  const body: Record<string, unknown> = { ...response };
  delete body.$metadata;
  const result = { ...(mapBinary(body, toBase64) as object), ...sdkMetadata('application/x-amz-json-1.0') };
  // Through JSON, as the result would come back from AWS (no undefined, no class instances).
  return JSON.parse(JSON.stringify(result)) as Json;
}
