import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCall } from './aws-call';
import { accountKey, accountOfKey, KEY_PREFIX } from '../lib/results-table-keys';
import { NOT_REACHED_OUTCOMES } from './exit-codes';
import { failureOf } from './failure';
import { SCHEMA_VERSION } from './schema-version';

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
  'keptKeys',
  'counts',
  'summary',
  'skipped',
  'approval',
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

/**
 * The run record as every command prints it (docs/run-record.schema.json):
 * one shape whatever the workflow. `actions` is always a list of
 * { action, target, result }; the failure is { name, message, advice }
 * (its raw cause only with --debug); `target` names the bucket or queue.
 */
export const RUN_SCHEMA_VERSION = SCHEMA_VERSION;

export interface RunAction {
  readonly action: string;
  readonly target: string | null;
  readonly result: string | null;
}

function textOrNull(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Lists of objects (delete), lists of names (recovery) and one change object (unlock) alike. */
export function normalizeActions(value: unknown): RunAction[] {
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (typeof entry === 'object' && entry !== null) {
        const { action, target, result } = entry as Record<string, unknown>;
        return { action: textOrNull(action) ?? '', target: textOrNull(target), result: textOrNull(result) };
      }
      return { action: textOrNull(entry) ?? '', target: null, result: 'DONE' };
    });
  }
  if (typeof value === 'object' && value !== null) {
    const change = value as Record<string, unknown>;
    const result = textOrNull(change.outcome) ?? textOrNull(change.result);
    return result === null
      ? []
      : [
          {
            action: textOrNull(change.action) ?? 'ApplyPolicy',
            target: textOrNull(change.resourceArn),
            result,
          },
        ];
  }
  return [];
}

export interface NormalizedRun {
  readonly schemaVersion: number;
  readonly runId: string | null;
  readonly workflow: string | null;
  readonly outcome: string | null;
  readonly outcomeReason: string | null;
  readonly accountId: string | null;
  readonly target: string | null;
  readonly requestedBy: string | null;
  readonly reason: string | null;
  readonly ticket: string | null;
  readonly before: unknown;
  readonly actions: RunAction[];
  readonly after: unknown;
  readonly sessionAccessKeyIds: string[];
  /** Sessions reopened after one expired mid-task: `{ expiredSessionAccessKeyId, sessionAccessKeyId, reason }`. */
  readonly sessionsReopened: unknown[];
  /** KEY_IN_USE: the root access keys left in place, `{ accessKeyId, lastUsedDate, lastUsedService? }`. */
  readonly keptKeys: unknown[];
  /** The second person's decision, when the task needed approval: `{ decision, by, at, reason }`. */
  readonly approval: unknown;
  readonly error: PlainErrorShape | null;
  readonly executionArn: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface PlainErrorShape {
  readonly name: string;
  readonly message: string;
  readonly advice: string;
}

function objectOrNull(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? value : null;
}

/** The bucket or queue an unlock read, from the ARN it recorded: "app-logs", "orders". */
function targetOfBefore(before: unknown): string | null {
  if (typeof before !== 'object' || before === null) return null;
  const arn = (before as Record<string, unknown>).resourceArn;
  if (typeof arn !== 'string') return null;
  return arn.split(':').pop() ?? null;
}

/**
 * restore-policy runs the unlock workflow, which records UNLOCKED; its run
 * ids start with the command's name (cli/execution-name.ts), so the restore
 * shows as what it was.
 */
function outcomeOf(outcome: string | null, runId: string | null): string | null {
  if (outcome === 'UNLOCKED' && runId?.startsWith('restore-policy-') === true) return 'RESTORED';
  return outcome;
}

export function normalizeRun(
  decoded: Item,
  extra: { readonly target?: string; readonly error?: PlainErrorShape } = {},
): NormalizedRun {
  const executionArn = textOrNull(decoded.executionArn);
  const keys = decoded.sessionAccessKeyIds;
  const runId =
    executionArn === null ? textOrNull(decoded.executionName) : (executionArn.split(':').pop() ?? null);
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId,
    workflow: textOrNull(decoded.workflow),
    outcome: outcomeOf(textOrNull(decoded.outcome), runId),
    outcomeReason: textOrNull(decoded.outcomeReason),
    accountId: textOrNull(decoded.accountId),
    target: extra.target ?? textOrNull(decoded.target) ?? targetOfBefore(objectOrNull(decoded.before)),
    requestedBy: textOrNull(decoded.requestedBy),
    reason: textOrNull(decoded.reason),
    ticket: textOrNull(decoded.ticket),
    before: objectOrNull(decoded.before),
    actions: normalizeActions(decoded.actions),
    after: objectOrNull(decoded.after),
    sessionAccessKeyIds: Array.isArray(keys)
      ? keys.filter((key): key is string => typeof key === 'string')
      : [],
    sessionsReopened: Array.isArray(decoded.sessionsReopened) ? decoded.sessionsReopened : [],
    keptKeys: Array.isArray(decoded.keptKeys) ? decoded.keptKeys : [],
    approval: objectOrNull(decoded.approval),
    error:
      extra.error ??
      (NOT_REACHED_OUTCOMES.has(textOrNull(decoded.outcome) ?? '')
        ? failureOf(decoded, {})?.error
        : undefined) ??
      null,
    executionArn,
    startedAt: textOrNull(decoded.startedAt),
    finishedAt: textOrNull(decoded.finishedAt),
  };
}
