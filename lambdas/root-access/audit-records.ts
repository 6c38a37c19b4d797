// Plain TypeScript (no CDK): the one source of the results table's key formats.
import * as keys from '../../lib/results-table-keys';
import type { AccountAuditResult } from './batch-audit';
import { InvalidInputError } from './errors';
import type { Posture } from './posture';

/**
 * The results-table items the organization audit's functions read and write:
 * the inventory (shards of account ids, the protected OU members of one
 * audit) and, per audited account, its run and posture. One place for their
 * keys and shape (docs/architecture.md, "The results table").
 */

/** The `workflow` attribute of the run records written by the audit. */
export const AUDIT_WORKFLOW = 'AuditOrganization';

/** The outcome of an organization summary run that finished (RUNNING while it is under way). */
export const COMPLETED_AUDIT_OUTCOMES = ['AUDITED', 'PARTIAL'] as const;

/** Inventory items are scratch data of one execution; they expire after this. */
export const INVENTORY_TTL_SECONDS = 7 * 24 * 3600;

export const inventoryKey = (inventoryId: string, shard: number) => ({
  PK: keys.inventoryKey(inventoryId),
  SK: keys.shardKey(shard),
});

export const protectedMembersKey = (inventoryId: string) => ({
  PK: keys.inventoryKey(inventoryId),
  SK: keys.PROTECTED_MEMBERS,
});

export const postureKey = (accountId: string) => ({ PK: keys.accountKey(accountId), SK: keys.POSTURE });

/** The account id of a posture key. */
export const accountOfPostureKey = (pk: unknown): string => keys.accountOfKey(pk) ?? String(pk);

export type Item = Record<string, unknown>;

/** An execution ARN ends with the execution name; the run key uses the name. */
function executionNameOf(executionId: string): string {
  return executionId.startsWith('arn:') ? (executionId.split(':').pop() ?? executionId) : executionId;
}

/** The run item of one audited account and, when the audit succeeded, its posture item. */
export function auditItemsOf(result: AccountAuditResult<Posture>, executionId: string): Item[] {
  const { accountId, outcome, startedAt, finishedAt } = result;
  const run: Item = {
    PK: keys.accountKey(accountId),
    SK: keys.runKey(startedAt, executionNameOf(executionId)),
    GSI1PK: keys.outcomeKey(outcome),
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
      ...postureKey(accountId),
      GSI1PK: keys.POSTURE,
      GSI1SK: keys.accountKey(accountId),
      // The same attributes as the workflows' posture items (lib/workflows/posture.ts).
      accountId,
      posture,
      credentialsPresent: result.posture.credentialsPresent,
      checkedAt: finishedAt,
      checkedBy: executionId,
    },
  ];
}

/** The account ids of a shard item; a missing shard is an input error naming `shard`. */
export function shardAccountIds(item: Item | undefined, inventoryId: string, shard: number): string[] {
  const accountIds: unknown = item?.accountIds;
  if (!Array.isArray(accountIds)) {
    throw new InvalidInputError('shard', `shard ${shard} of inventory ${inventoryId} does not exist`);
  }
  return accountIds.filter((id): id is string => typeof id === 'string');
}

export interface ShardAuditRequest {
  readonly inventoryId: string;
  readonly shard: number;
  readonly executionId: string;
  readonly secureFirstSeen: boolean;
  readonly autoRemediate: boolean;
  readonly baseline: boolean;
}

function booleanField(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InvalidInputError(field, 'must be true or false');
  return value;
}

/** The AuditAccountBatch event, checked before any AWS call; errors name the field. */
export function parseShardAuditRequest(event: unknown): ShardAuditRequest {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidInputError('event', 'must be an object { inventoryId, shard, executionId, ... }');
  }
  const { inventoryId, shard, executionId, secureFirstSeen, autoRemediate, baseline } = event as Item;
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
    secureFirstSeen: booleanField(secureFirstSeen, 'secureFirstSeen'),
    autoRemediate: booleanField(autoRemediate, 'autoRemediate'),
    baseline: booleanField(baseline, 'baseline'),
  };
}
