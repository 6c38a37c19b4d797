import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AWS_CALL_RETRY } from '../shared/root-task-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EligibilityConfig } from '../root-access/eligibility';
import { InvalidInputError } from '../root-access/errors';
import {
  listEligibleMemberAccounts,
  shardAccounts,
  type SkippedCounts,
} from '../root-access/organization-inventory';
import { validateAccountId } from '../root-access/validation';
import { requireVariable, runtimeSettings } from '../shared/env';
import { wrapHandler } from '../shared/handler';
import { eligibilityConfigFromEnv } from './eligibility-settings';
import { batchWriteAll } from './table-batches';
import { inventoryKey as inventoryPartitionKey, KEY_PREFIX, shardKey } from '../../lib/results-table-keys';

export interface ListMemberAccountsEvent {
  readonly inventoryId: unknown;
  readonly shardSize?: unknown;
  /** Restricts the inventory to these accounts (the organization audit's `accountIds`). */
  readonly accountIds?: unknown;
}

export interface ListMemberAccountsOutput {
  readonly inventoryId: string;
  readonly shardCount: number;
  readonly accountCount: number;
  readonly skipped: SkippedCounts;
  readonly baseline: boolean;
  readonly shards: number[];
}

export interface ListMemberAccountsDeps {
  readonly organizations: OrganizationsClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly config: EligibilityConfig;
  readonly now?: () => Date;
  /** Inventory shards are scratch data of one execution; they expire after this. */
  readonly inventoryTtlSeconds?: number;
}

const DEFAULT_INVENTORY_TTL_SECONDS = 7 * 24 * 3600;

export const inventoryKey = (inventoryId: string, shard: number) => ({
  PK: inventoryPartitionKey(inventoryId),
  SK: shardKey(shard),
});

function parseEvent(event: ListMemberAccountsEvent) {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidInputError('event', 'must be an object { inventoryId, shardSize?, accountIds? }');
  }
  const { inventoryId, shardSize, accountIds } = event;
  if (typeof inventoryId !== 'string' || inventoryId.trim() === '' || inventoryId.length > 256) {
    throw new InvalidInputError('inventoryId', 'must be a non-empty string of at most 256 characters');
  }
  if (shardSize !== undefined && typeof shardSize !== 'number') {
    throw new InvalidInputError('shardSize', 'must be a number');
  }
  if (accountIds !== undefined && accountIds !== null && !Array.isArray(accountIds)) {
    throw new InvalidInputError('accountIds', 'must be an array of account ids');
  }
  return {
    inventoryId: inventoryId.trim(),
    shardSize,
    // An empty list means every eligible account: the workflow's default (a path to null would stop it).
    accountIds:
      Array.isArray(accountIds) && accountIds.length > 0
        ? accountIds.map((id: unknown, index) => validateAccountId(id, `accountIds[${index}]`))
        : undefined,
  };
}

/** The outcome of an organization summary run that finished (RUNNING while it is under way). */
export const COMPLETED_AUDIT_OUTCOME = 'AUDITED';

/**
 * No organization audit has completed before: this one is the baseline. The
 * current audit's own summary run already exists (outcome RUNNING), so only a
 * completed one counts; a filter applies after Limit, hence the paging.
 */
async function isBaseline(documentClient: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
        FilterExpression: 'outcome = :completed',
        ExpressionAttributeValues: {
          ':pk': 'ORGANIZATION',
          ':run': KEY_PREFIX.run,
          ':completed': COMPLETED_AUDIT_OUTCOME,
        },
        ProjectionExpression: 'PK',
        ScanIndexForward: false,
        ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
      }),
    );
    if ((page.Items ?? []).length > 0) return false;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return true;
}

export function createListMemberAccountsHandler(deps: ListMemberAccountsDeps) {
  const now = deps.now ?? (() => new Date());
  const ttl = deps.inventoryTtlSeconds ?? DEFAULT_INVENTORY_TTL_SECONDS;
  return async (event: ListMemberAccountsEvent): Promise<ListMemberAccountsOutput> => {
    const { inventoryId, shardSize, accountIds: requested } = parseEvent(event);
    // Validated before any AWS call: a bad shard size must not cost a ListAccounts sweep.
    shardAccounts([], shardSize);
    const [inventory, baseline] = await Promise.all([
      listEligibleMemberAccounts(deps.organizations, {
        ...deps.config,
        ...(requested !== undefined && { accountIds: requested }),
      }),
      isBaseline(deps.documentClient, deps.tableName),
    ]);
    const shards = shardAccounts(inventory.accountIds, shardSize);
    const expiresAt = Math.floor(now().getTime() / 1000) + ttl;
    await batchWriteAll(
      deps.documentClient,
      deps.tableName,
      shards.map((accountIds, shard) => ({ ...inventoryKey(inventoryId, shard), accountIds, expiresAt })),
    );
    return {
      inventoryId,
      shardCount: shards.length,
      accountCount: inventory.accountIds.length,
      skipped: inventory.skipped,
      baseline,
      shards: shards.map((_, shard) => shard),
    };
  };
}

let run: ReturnType<typeof createListMemberAccountsHandler> | undefined;

export const handler = wrapHandler('ListMemberAccounts', (event: ListMemberAccountsEvent) => {
  if (run === undefined) {
    const { region } = runtimeSettings();
    run = createListMemberAccountsHandler({
      // Organizations throttles at modest rates: the root-session clients' retry
      // budget, so that one throttled page does not restart the whole listing.
      organizations: new OrganizationsClient({ region, ...AWS_CALL_RETRY }),
      documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
      tableName: requireVariable(process.env, 'RESULTS_TABLE_NAME'),
      config: eligibilityConfigFromEnv(process.env),
    });
  }
  return run(event);
});
