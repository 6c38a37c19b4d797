import {
  accountOfPostureKey,
  auditItemsOf,
  inventoryKey,
  postureKey,
  shardAccountIds,
  type Item,
  type ShardAuditRequest,
} from './audit-records';
import { auditAccountBatch, type AccountAudit, type BatchAuditResult } from './batch-audit';
import type { Posture } from './posture';

/**
 * One shard of the organization audit, from its inventory item to the run and
 * posture items of its accounts. The results table is reached through
 * `ShardAuditItems` (the handler adapts DynamoDB to it), so keys, projections
 * and item shapes stay here.
 */
export interface ShardAuditItems {
  /** A consistent read of one item; undefined when absent. */
  get(key: Item): Promise<Item | undefined>;
  getMany(keys: readonly Item[], projection: string): Promise<Item[]>;
  putMany(items: readonly Item[]): Promise<void>;
}

export interface ShardAuditDeps {
  readonly items: ShardAuditItems;
  readonly auditAccount: (accountId: string) => Promise<AccountAudit<Posture>>;
  readonly concurrency?: number;
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
}

/** Audits the shard's accounts and records each run (and posture, when audited). */
export async function auditShard(
  deps: ShardAuditDeps,
  request: ShardAuditRequest,
): Promise<BatchAuditResult<Posture>> {
  const shardItem = await deps.items.get(inventoryKey(request.inventoryId, request.shard));
  const accountIds = shardAccountIds(shardItem, request.inventoryId, request.shard);
  const known = await deps.items.getMany(accountIds.map(postureKey), 'PK');
  const batch = await auditAccountBatch({
    accountIds,
    auditAccount: deps.auditAccount,
    existingPostures: new Set(known.map((item) => accountOfPostureKey(item.PK))),
    secureFirstSeen: request.secureFirstSeen,
    autoRemediate: request.autoRemediate,
    baseline: request.baseline,
    ...(deps.concurrency !== undefined && { concurrency: deps.concurrency }),
    ...(deps.retryDelayMs !== undefined && { retryDelayMs: deps.retryDelayMs }),
    ...(deps.now !== undefined && { now: deps.now }),
  });
  await deps.items.putMany(batch.results.flatMap((result) => auditItemsOf(result, request.executionId)));
  return batch;
}
