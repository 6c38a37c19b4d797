import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditRootCredentials } from '../root-access/audit';
import {
  accountOfPostureKey,
  AUDIT_WORKFLOW,
  auditItemsOf,
  inventoryKey,
  parseShardAuditRequest,
  postureKey,
  shardAccountIds,
} from '../root-access/audit-records';
import { auditAccountBatch, type AccountAudit, type BatchAuditCounts } from '../root-access/batch-audit';
import type { Posture } from '../root-access/posture';
import { requireVariable } from '../shared/env';
import { perContainer, wrapHandler } from '../shared/handler';
import { publishWorkflowMetrics } from '../shared/metrics';
import {
  containerRootTaskRuntime,
  sharedClientConfig,
  withRootSession,
  type RootTaskRuntime,
} from '../shared/root-task-runtime';
import { auditFindingsPublisherFromEnv, type PublishAuditFindings } from './audit-findings-publisher';
import { batchGetAll, batchWriteAll } from './table-batches';

/**
 * AuditAccountBatch: audits one inventory shard of the organization audit.
 * Event `{ inventoryId, shard, executionId, secureFirstSeen?, autoRemediate?,
 * baseline? }` from the Audit organization shard workflow
 * (docs/architecture.md); parsing and item shapes are the domain's
 * (lambdas/root-access/audit-records.ts).
 */
export interface AuditAccountBatchOutput extends BatchAuditCounts {
  readonly shard: number;
  readonly toSecure: string[];
  /** Present when Security Hub findings are on: findings not published (logged; the audit stands). */
  readonly findingsFailed?: number;
}

export type AuditAccount = (accountId: string) => Promise<AccountAudit<Posture>>;

export interface AuditAccountBatchDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly auditAccount: AuditAccount;
  readonly concurrency?: number;
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
  /** Security Hub findings (option securityHubFindings); absent when off. */
  readonly publishFindings?: PublishAuditFindings;
}

/** Audits one account in its own short root session (task IAMAuditRootUserCredentials). */
export function auditWithRootSession(runtime: RootTaskRuntime): AuditAccount {
  return (accountId) =>
    withRootSession(runtime, accountId, 'IAMAuditRootUserCredentials', async (session) => ({
      posture: await auditRootCredentials(session.iam()),
      sessionAccessKeyId: session.accessKeyId,
    }));
}

async function readShard(deps: AuditAccountBatchDeps, inventoryId: string, shard: number): Promise<string[]> {
  const { Item: item } = await deps.documentClient.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: inventoryKey(inventoryId, shard),
      ConsistentRead: true,
    }),
  );
  return shardAccountIds(item, inventoryId, shard);
}

async function accountsWithPosture(
  deps: AuditAccountBatchDeps,
  accountIds: readonly string[],
): Promise<Set<string>> {
  const items = await batchGetAll(deps.documentClient, deps.tableName, accountIds.map(postureKey), {
    projection: 'PK',
  });
  return new Set(items.map((item) => accountOfPostureKey(item.PK)));
}

function auditAccountBatchDepsFromEnv(): AuditAccountBatchDeps {
  const runtime = containerRootTaskRuntime();
  return {
    documentClient: DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: runtime.region, ...sharedClientConfig() }),
    ),
    tableName: requireVariable(process.env, 'RESULTS_TABLE_NAME'),
    auditAccount: auditWithRootSession(runtime),
    publishFindings: auditFindingsPublisherFromEnv(process.env, runtime),
  };
}

export function createAuditAccountBatchHandler(
  provideDeps: () => AuditAccountBatchDeps = perContainer(auditAccountBatchDepsFromEnv),
) {
  return wrapHandler('AuditAccountBatch', async (event: unknown): Promise<AuditAccountBatchOutput> => {
    const input = parseShardAuditRequest(event);
    const deps = provideDeps();
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
      results.flatMap((result) => auditItemsOf(result, input.executionId)),
    );
    // Each successful audit opened one root session; a failed one may or may not have.
    publishWorkflowMetrics(AUDIT_WORKFLOW, {
      accountsAudited: counts.audited,
      withCredentials: counts.withCredentials,
      failed: counts.failed,
      sessionsOpened: counts.clean + counts.withCredentials,
    });
    const findingsFailed = await deps.publishFindings?.(results);
    return {
      shard: input.shard,
      ...counts,
      toSecure,
      ...(findingsFailed === undefined ? {} : { findingsFailed }),
    };
  });
}

export const handler = createAuditAccountBatchHandler();
