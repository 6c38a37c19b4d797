import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { auditRootCredentials } from '../root-access/audit';
import {
  auditAccountBatch,
  type AccountAudit,
  type AccountAuditResult,
  type BatchAuditCounts,
} from '../root-access/batch-audit';
import { InvalidInputError } from '../root-access/errors';
import type { Posture } from '../root-access/posture';
import { requireVariable } from '../shared/env';
import { wrapHandler } from '../shared/handler';
import { containerRootTaskRuntime, withRootSession, type RootTaskRuntime } from '../shared/root-task-runtime';
import { inventoryKey } from './list-member-accounts';
import { batchGetAll, batchWriteAll } from './table-batches';
import { accountKey, outcomeKey, POSTURE, runKey } from '../../lib/results-table-keys';

export interface AuditAccountBatchEvent {
  readonly inventoryId: unknown;
  readonly shard: unknown;
  /** The Step Functions execution (ARN, or its name): names the run records. */
  readonly executionId: unknown;
  readonly secureFirstSeen?: unknown;
  readonly autoRemediate?: unknown;
  readonly baseline?: unknown;
}

export interface AuditAccountBatchOutput extends BatchAuditCounts {
  readonly shard: number;
  readonly toSecure: string[];
}

export type AuditAccount = (accountId: string) => Promise<AccountAudit<Posture>>;

export interface AuditAccountBatchDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditAccount: AuditAccount;
  readonly concurrency?: number;
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
}

/** The `workflow` attribute of the run records written here. */
export const AUDIT_WORKFLOW = 'AuditOrganization';

/** Audits one account in its own short root session (task IAMAuditRootUserCredentials). */
export function auditWithRootSession(runtime: RootTaskRuntime): AuditAccount {
  return (accountId) =>
    withRootSession(runtime, accountId, 'IAMAuditRootUserCredentials', async (session) => ({
      posture: await auditRootCredentials(session.iam()),
      sessionAccessKeyId: session.accessKeyId,
    }));
}

function booleanField(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InvalidInputError(field, 'must be true or false');
  return value;
}

function parseEvent(event: AuditAccountBatchEvent) {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidInputError('event', 'must be an object { inventoryId, shard, executionId, ... }');
  }
  const { inventoryId, shard, executionId } = event;
  if (typeof inventoryId !== 'string' || inventoryId.trim() === '') {
    throw new InvalidInputError('inventoryId', 'must be a non-empty string');
  }
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0) {
    throw new InvalidInputError('shard', 'must be a non-negative integer');
  }
  if (typeof executionId !== 'string' || executionId.trim() === '') {
    throw new InvalidInputError('executionId', 'must be a non-empty string');
  }
  return {
    inventoryId: inventoryId.trim(),
    shard,
    executionId: executionId.trim(),
    secureFirstSeen: booleanField(event.secureFirstSeen, 'secureFirstSeen'),
    autoRemediate: booleanField(event.autoRemediate, 'autoRemediate'),
    baseline: booleanField(event.baseline, 'baseline'),
  };
}

/** An execution ARN ends with the execution name; the run key uses the name. */
function executionNameOf(executionId: string): string {
  return executionId.startsWith('arn:') ? (executionId.split(':').pop() ?? executionId) : executionId;
}

type Item = Record<string, NativeAttributeValue>;

function itemsOf(result: AccountAuditResult<Posture>, executionId: string): Item[] {
  const { accountId, outcome, startedAt, finishedAt } = result;
  const run: Item = {
    PK: accountKey(accountId),
    SK: runKey(startedAt, executionNameOf(executionId)),
    GSI1PK: outcomeKey(outcome),
    GSI1SK: `${startedAt}#${accountId}`,
    workflow: AUDIT_WORKFLOW,
    outcome,
    startedAt,
    finishedAt,
    ...(executionId.startsWith('arn:') && { executionArn: executionId }),
  };
  if (result.outcome === 'FAILED') {
    // The previous posture, if any, stays: a failed audit proves nothing.
    return [{ ...run, error: result.error, errorCause: result.errorCause }];
  }
  const posture = JSON.stringify(result.posture);
  return [
    { ...run, before: posture, sessionAccessKeyIds: [result.sessionAccessKeyId] },
    {
      PK: accountKey(accountId),
      SK: POSTURE,
      GSI1PK: POSTURE,
      GSI1SK: accountKey(accountId),
      // The same attributes as the workflows' posture items (lib/workflows/posture.ts).
      accountId,
      posture,
      credentialsPresent: result.posture.credentialsPresent,
      checkedAt: finishedAt,
      checkedBy: executionId,
    },
  ];
}

async function readShard(deps: AuditAccountBatchDeps, inventoryId: string, shard: number): Promise<string[]> {
  const { Item: item } = await deps.documentClient.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: inventoryKey(inventoryId, shard),
      ConsistentRead: true,
    }),
  );
  const accountIds: unknown = item?.accountIds;
  if (!Array.isArray(accountIds)) {
    throw new InvalidInputError('shard', `shard ${shard} of inventory ${inventoryId} does not exist`);
  }
  return accountIds.filter((id): id is string => typeof id === 'string');
}

async function accountsWithPosture(
  deps: AuditAccountBatchDeps,
  accountIds: readonly string[],
): Promise<Set<string>> {
  const items = await batchGetAll(
    deps.documentClient,
    deps.tableName,
    accountIds.map((id) => ({ PK: accountKey(id), SK: POSTURE })),
    { projection: 'PK' },
  );
  return new Set(items.map((item) => String(item.PK).replace(/^ACCOUNT#/, '')));
}

export function createAuditAccountBatchHandler(deps: AuditAccountBatchDeps) {
  return async (event: AuditAccountBatchEvent): Promise<AuditAccountBatchOutput> => {
    const input = parseEvent(event);
    const accountIds = await readShard(deps, input.inventoryId, input.shard);
    const existingPostures = await accountsWithPosture(deps, accountIds);
    const { results, counts, toSecure } = await auditAccountBatch({
      accountIds,
      auditAccount: deps.auditAccount,
      existingPostures,
      secureFirstSeen: input.secureFirstSeen,
      autoRemediate: input.autoRemediate,
      baseline: input.baseline,
      ...(deps.concurrency !== undefined && { concurrency: deps.concurrency }),
      ...(deps.retryDelayMs !== undefined && { retryDelayMs: deps.retryDelayMs }),
      ...(deps.now !== undefined && { now: deps.now }),
    });
    await batchWriteAll(
      deps.documentClient,
      deps.tableName,
      results.flatMap((result) => itemsOf(result, input.executionId)),
    );
    return { shard: input.shard, ...counts, toSecure };
  };
}

let run: ReturnType<typeof createAuditAccountBatchHandler> | undefined;

export const handler = wrapHandler('AuditAccountBatch', (event: AuditAccountBatchEvent) => {
  if (run === undefined) {
    // Environment read and clients built once per container, on first use.
    const runtime = containerRootTaskRuntime();
    run = createAuditAccountBatchHandler({
      documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({ region: runtime.region })),
      tableName: requireVariable(process.env, 'RESULTS_TABLE_NAME'),
      auditAccount: auditWithRootSession(runtime),
    });
  }
  return run(event);
});
