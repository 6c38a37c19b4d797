import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  COMPLETED_AUDIT_OUTCOMES,
  INVENTORY_TTL_SECONDS,
  inventoryKey,
  protectedMembersKey,
} from '../root-access/audit-records';
import type { EligibilityConfig } from '../root-access/eligibility';
import {
  listInventoryChunk,
  parseListingRequest,
  type ChunkLimits,
  type InventoryStore,
  type ListingPace,
  type ListingStep,
} from '../root-access/inventory-listing';
import { requireVariable, runtimeSettings } from '../shared/env';
import { RESULTS_TABLE_VARIABLE } from '../shared/function-variables';
import { perContainer, wrapHandler } from '../shared/handler';
import { sharedClientConfig } from '../shared/root-task-runtime';
import { eligibilityConfigFromEnv } from './eligibility-settings';
import { batchWriteAll } from './table-batches';
import { KEY_PREFIX, ORGANIZATION } from '../../lib/results-table-keys';

/**
 * ListMemberAccounts: one chunk of the organization audit's listing
 * (lambdas/root-access/inventory-listing.ts). Event: `{ inventoryId,
 * shardSize, concurrency, accountIds?, cursor }` from the Audit organization
 * workflow (docs/architecture.md); the answer's `cursor` is the next event's.
 */
export interface ListMemberAccountsDeps {
  readonly organizations: OrganizationsClient;
  /** ListAccounts with one attempt a call: the listing paces and retries its pages itself. */
  readonly pages?: OrganizationsClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly config: EligibilityConfig;
  readonly now?: () => Date;
  readonly inventoryTtlSeconds?: number;
  readonly pace?: ListingPace;
  readonly limits?: ChunkLimits;
}

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
        FilterExpression: 'outcome IN (:audited, :partial)',
        ExpressionAttributeValues: {
          ':pk': ORGANIZATION,
          ':run': KEY_PREFIX.run,
          ':audited': COMPLETED_AUDIT_OUTCOMES[0],
          ':partial': COMPLETED_AUDIT_OUTCOMES[1],
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

function tableStore(deps: ListMemberAccountsDeps): InventoryStore {
  const { documentClient, tableName } = deps;
  const expiresAt = () =>
    Math.floor((deps.now ?? (() => new Date()))().getTime() / 1000) +
    (deps.inventoryTtlSeconds ?? INVENTORY_TTL_SECONDS);
  return {
    writeShards: (inventoryId, shards) =>
      batchWriteAll(
        documentClient,
        tableName,
        shards.map(({ shard, accountIds }) => ({
          ...inventoryKey(inventoryId, shard),
          accountIds,
          expiresAt: expiresAt(),
        })),
      ),
    writeProtectedMembers: (inventoryId, accountIds) =>
      batchWriteAll(documentClient, tableName, [
        { ...protectedMembersKey(inventoryId), accountIds: [...accountIds], expiresAt: expiresAt() },
      ]),
    readProtectedMembers: async (inventoryId) => {
      const { Item: item } = await documentClient.send(
        new GetCommand({ TableName: tableName, Key: protectedMembersKey(inventoryId), ConsistentRead: true }),
      );
      const ids: unknown = item?.accountIds;
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    },
    isBaseline: () => isBaseline(documentClient, tableName),
  };
}

export function listMemberAccountsDepsFromEnv(): ListMemberAccountsDeps {
  const { region } = runtimeSettings();
  return {
    // The shared retry budget for the context's calls (DescribeOrganization, the OU walk).
    organizations: new OrganizationsClient({ region, ...sharedClientConfig() }),
    // One attempt: a throttled page is retried by the listing at the quota's pace
    // (inventory-listing.ts), not after the SDK's backoff, and never the whole chunk.
    pages: new OrganizationsClient({ region, ...sharedClientConfig(), maxAttempts: 1 }),
    documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({ region, ...sharedClientConfig() })),
    tableName: requireVariable(process.env, RESULTS_TABLE_VARIABLE),
    config: eligibilityConfigFromEnv(process.env),
  };
}

export function createListMemberAccountsHandler(
  deps: () => ListMemberAccountsDeps = perContainer(listMemberAccountsDepsFromEnv),
) {
  let store: InventoryStore | undefined;
  return wrapHandler('ListMemberAccounts', async (event: unknown): Promise<ListingStep> => {
    // Validated before any AWS call: a bad shard size must not cost a ListAccounts page.
    const request = parseListingRequest(event);
    const built = deps();
    store ??= tableStore(built);
    return listInventoryChunk(
      {
        organizations: built.organizations,
        ...(built.pages !== undefined && { pages: built.pages }),
        store,
        config: built.config,
        ...(built.pace !== undefined && { pace: built.pace }),
        ...(built.limits !== undefined && { limits: built.limits }),
      },
      request,
    );
  });
}

export const handler = createListMemberAccountsHandler();
