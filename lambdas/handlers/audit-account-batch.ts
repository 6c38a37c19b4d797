import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditRootCredentials } from '../root-access/audit';
import { AUDIT_WORKFLOW, parseShardAuditRequest } from '../root-access/audit-records';
import type { AccountAudit, BatchAuditCounts } from '../root-access/batch-audit';
import { auditShard, type ShardAuditItems } from '../root-access/shard-audit';
import type { Posture } from '../root-access/posture';
import { requireVariable } from '../shared/env';
import { RESULTS_TABLE_VARIABLE } from '../shared/function-variables';
import { perContainer, wrapHandler } from '../shared/handler';
import { publishWorkflowMetrics } from '../shared/metrics';
import {
  containerRootTaskRuntime,
  sharedClientConfig,
  withAuditBackoff,
  withRootSession,
  type RootTaskRuntime,
} from '../shared/root-task-runtime';
import { auditFindingsPublisherFromEnv, type PublishAuditFindings } from './audit-findings-publisher';
import { batchGetAll, batchWriteAll } from './table-batches';

/**
 * AuditAccountBatch: audits one inventory shard of the organization audit.
 * Event `{ inventoryId, shard, executionId, secureFirstSeen?, autoRemediate?,
 * baseline? }` from the Audit organization shard workflow
 * (docs/architecture.md); the shard's audit, keys and item shapes are the
 * domain's (lambdas/root-access/shard-audit.ts); this adapts DynamoDB and
 * publishes the metrics and findings.
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

/** The results table as the shard audit reads and writes it. */
function tableItems(documentClient: DynamoDBDocumentClient, tableName: string): ShardAuditItems {
  return {
    get: async (key) =>
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })))
        .Item,
    getMany: (keys, projection) => batchGetAll(documentClient, tableName, keys, { projection }),
    putMany: (items) => batchWriteAll(documentClient, tableName, items),
  };
}

function auditAccountBatchDepsFromEnv(): AuditAccountBatchDeps {
  const runtime = containerRootTaskRuntime();
  return {
    documentClient: DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: runtime.region, ...sharedClientConfig() }),
    ),
    tableName: requireVariable(process.env, RESULTS_TABLE_VARIABLE),
    auditAccount: auditWithRootSession(withAuditBackoff(runtime)),
    publishFindings: auditFindingsPublisherFromEnv(process.env, runtime),
  };
}

export function createAuditAccountBatchHandler(
  provideDeps: () => AuditAccountBatchDeps = perContainer(auditAccountBatchDepsFromEnv),
) {
  return wrapHandler('AuditAccountBatch', async (event: unknown): Promise<AuditAccountBatchOutput> => {
    const input = parseShardAuditRequest(event);
    const deps = provideDeps();
    const { results, counts, toSecure } = await auditShard(
      { ...deps, items: tableItems(deps.documentClient, deps.tableName) },
      input,
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
