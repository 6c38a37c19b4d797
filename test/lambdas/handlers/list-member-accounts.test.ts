import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createListMemberAccountsHandler,
  listMemberAccountsDepsFromEnv,
} from '../../../lambdas/handlers/list-member-accounts';
import { RESULTS_TABLE_VARIABLE } from '../../../lambdas/shared/function-variables';
import { AWS_CALL_RETRY } from '../../../lambdas/shared/retry-budget';
import { InvalidInputError } from '../../../lambdas/root-access/errors';
import { DEFAULT_CHUNK_LIMITS, newShardsAllowed } from '../../../lambdas/root-access/inventory-listing';
import { fakeContext } from './handler-fakes';
import { startResultsTable, type ResultsTable } from './dynalite-table';

const MANAGEMENT = '100000000000';
const id = (n: number) => String(200000000000 + n);
const NOW = new Date('2026-11-24T12:00:00Z');

describe('ListMemberAccounts handler (dynalite)', () => {
  const organizations = mockClient(OrganizationsClient);
  let table: ResultsTable;
  let handler: ReturnType<typeof createListMemberAccountsHandler>;
  const run = (event: unknown) => handler(event, fakeContext);

  beforeAll(async () => {
    table = await startResultsTable();
    handler = createListMemberAccountsHandler(() => ({
      organizations: new OrganizationsClient({ region: 'us-east-1' }),
      documentClient: table.documentClient,
      tableName: table.tableName,
      config: { managementAccountId: MANAGEMENT, protectedAccountIds: [id(6)], protectedOuIds: [] },
      now: () => NOW,
      // One chunk lists everything here; chunking is tested below and in the domain.
      limits: { maxPages: 50, maxNewShards: 100 },
      pace: { burst: 1000, ratePerSecond: 1000 },
    }));
  });
  afterAll(() => table.close());

  beforeEach(() => {
    organizations.reset();
    const accounts: Account[] = [
      { Id: MANAGEMENT, State: 'ACTIVE' },
      ...Array.from({ length: 7 }, (_, n): Account => ({
        Id: id(n + 1),
        State: n + 1 === 7 ? 'SUSPENDED' : 'ACTIVE',
      })),
    ];
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: accounts.slice(0, 4), NextToken: 't2' })
      .on(ListAccountsCommand, { NextToken: 't2' })
      .resolves({ Accounts: accounts.slice(4) });
  });

  const shardItem = async (inventoryId: string, shard: number) =>
    (
      await table.documentClient.send(
        new GetCommand({
          TableName: table.tableName,
          Key: { PK: `INVENTORY#${inventoryId}`, SK: `SHARD#${shard}` },
        }),
      )
    ).Item;

  test('first run: writes the shards and reports a baseline', async () => {
    const output = await run({ inventoryId: 'inv-1', shardSize: 2 });
    expect(output).toMatchObject({
      inventoryId: 'inv-1',
      shardCount: 3,
      accountCount: 5,
      skipped: {
        MANAGEMENT_ACCOUNT: 1,
        NOT_A_MEMBER: 0,
        NOT_ACTIVE: 1,
        PROTECTED_ACCOUNT: 1,
        PROTECTED_OU: 0,
      },
      baseline: true,
      done: true,
      newShards: [
        { shard: 0, accountCount: 2 },
        { shard: 1, accountCount: 2 },
        { shard: 2, accountCount: 1 },
      ],
      startWhenCounted: 3 - 40,
      cursor: expect.objectContaining({
        nextToken: null,
        pagesListed: 2,
        nextShard: 3,
        pending: [],
      }) as unknown,
    });
    expect(await shardItem('inv-1', 0)).toEqual({
      PK: 'INVENTORY#inv-1',
      SK: 'SHARD#0',
      accountIds: [id(1), id(2)],
      expiresAt: NOW.getTime() / 1000 + 7 * 24 * 3600,
    });
    expect((await shardItem('inv-1', 2))?.accountIds).toEqual([id(5)]);
    expect(await shardItem('inv-1', 3)).toBeUndefined();
  });

  test('writes more shards than one BatchWriteItem holds (25 items)', async () => {
    organizations.reset();
    const many = Array.from({ length: 30 }, (_, n): Account => ({ Id: id(100 + n), State: 'ACTIVE' }));
    organizations.on(ListAccountsCommand).resolves({ Accounts: many });
    const output = await run({ inventoryId: 'inv-many', shardSize: 1 });
    expect(output.shardCount).toBe(30);
    expect((await shardItem('inv-many', 29))?.accountIds).toEqual([id(129)]);
  });

  test('restricts to the requested accounts, still checked for eligibility', async () => {
    const output = await run({ inventoryId: 'inv-2', accountIds: [id(2), id(6), id(7)] });
    expect(output).toMatchObject({
      shardCount: 1,
      accountCount: 1,
      skipped: {
        MANAGEMENT_ACCOUNT: 0,
        NOT_A_MEMBER: 0,
        NOT_ACTIVE: 1,
        PROTECTED_ACCOUNT: 1,
        PROTECTED_OU: 0,
      },
    });
    expect((await shardItem('inv-2', 0))?.accountIds).toEqual([id(2)]);
  });

  test('rejects a bad shard size or account id before any Organizations call', async () => {
    await expect(run({ inventoryId: 'inv-3', shardSize: 0 })).rejects.toThrow(/^shardSize: /);
    await expect(run({ inventoryId: 'inv-3', accountIds: ['12'] })).rejects.toThrow(InvalidInputError);
    await expect(run({ inventoryId: '' })).rejects.toThrow(/^inventoryId: /);
    expect(organizations.calls()).toHaveLength(0);
  });

  test('an empty accountIds list means every eligible account', async () => {
    const output = await run({ inventoryId: 'inv-empty', accountIds: [] });
    expect(output.accountCount).toBe(5);
  });

  test('only a completed organization audit ends the baseline, not the one under way', async () => {
    const put = (SK: string, outcome: string) =>
      table.documentClient.send(
        new PutCommand({ TableName: table.tableName, Item: { PK: 'ORGANIZATION', SK, outcome } }),
      );
    await put('RUN#2026-11-24T12:00:00.000Z#exec-now', 'RUNNING');
    await put('RUN#2026-11-23T12:00:00.000Z#exec-failed', 'FAILED');
    expect((await run({ inventoryId: 'inv-4' })).baseline).toBe(true);

    await put('RUN#2026-11-22T00:00:00.000Z#exec-0', 'PARTIAL');
    const output = await run({ inventoryId: 'inv-5' });
    expect(output.baseline).toBe(false);
    expect(output.newShards).toEqual([{ shard: 0, accountCount: 5 }]);
  });

  test('a chunk ends at its shard limit; the next resumes from the cursor without listing a page again', async () => {
    const chunkedHandler = createListMemberAccountsHandler(() => ({
      organizations: new OrganizationsClient({ region: 'us-east-1' }),
      documentClient: table.documentClient,
      tableName: table.tableName,
      config: { managementAccountId: MANAGEMENT, protectedAccountIds: [], protectedOuIds: [] },
      limits: { maxPages: 50, maxNewShards: 1 },
      pace: { burst: 1000, ratePerSecond: 1000 },
    }));
    const chunked = (event: unknown) => chunkedHandler(event, fakeContext);
    const first = await chunked({ inventoryId: 'inv-6', shardSize: 3, concurrency: 5 });
    expect(first).toMatchObject({ done: false, newShards: [{ shard: 0, accountCount: 3 }] });
    expect(first.cursor).toMatchObject({ nextToken: 't2', pagesListed: 1, pending: [] });
    const second = await chunked({
      inventoryId: 'inv-6',
      shardSize: 3,
      concurrency: 5,
      cursor: first.cursor,
    });
    expect(second).toMatchObject({
      done: true,
      newShards: [{ shard: 1, accountCount: 3 }],
      shardCount: 2,
      accountCount: 6,
      skipped: { MANAGEMENT_ACCOUNT: 1, NOT_ACTIVE: 1 },
    });
    const tokens = organizations
      .commandCalls(ListAccountsCommand)
      .map((call) => call.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, 't2']);
    expect((await shardItem('inv-6', 1))?.accountIds).toEqual([id(4), id(5), id(6)]);
  });

  test('chunks grow once enough shards are written: fewer chunks, fewer history events', () => {
    const limits = { maxPages: 50, maxNewShards: 2, later: { afterShards: 20, maxNewShards: 10 } };
    expect(newShardsAllowed(limits, 0, 40)).toBe(2);
    expect(newShardsAllowed(limits, 19, 40)).toBe(2);
    expect(newShardsAllowed(limits, 20, 40)).toBe(10);
    // Never more than the shards allowed to run at once.
    expect(newShardsAllowed(limits, 20, 4)).toBe(4);
    expect(newShardsAllowed({ maxPages: 50, maxNewShards: 2 }, 500, 40)).toBe(2);
    // 100,000 accounts in shards of 100: 10 chunks of 2, then 98 of 10, instead of 500 chunks.
    expect(DEFAULT_CHUNK_LIMITS).toEqual(limits);
  });

  test('a chunk after the first shards may write more of them', async () => {
    const growing = createListMemberAccountsHandler(() => ({
      organizations: new OrganizationsClient({ region: 'us-east-1' }),
      documentClient: table.documentClient,
      tableName: table.tableName,
      config: { managementAccountId: MANAGEMENT, protectedAccountIds: [], protectedOuIds: [] },
      limits: { maxPages: 50, maxNewShards: 1, later: { afterShards: 1, maxNewShards: 5 } },
      pace: { burst: 1000, ratePerSecond: 1000 },
    }));
    const first = await growing({ inventoryId: 'inv-7', shardSize: 1, concurrency: 5 }, fakeContext);
    expect(first.newShards).toEqual([{ shard: 0, accountCount: 1 }]);
    const second = await growing(
      {
        inventoryId: 'inv-7',
        shardSize: 1,
        concurrency: 5,
        cursor: first.cursor,
      },
      fakeContext,
    );
    expect(second.newShards.map((shard) => shard.shard)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('ListMemberAccounts clients from the environment', () => {
  test('pages go through a single-attempt client (the listing paces its own retries); the context calls keep the SDK budget', async () => {
    const saved = { ...process.env };
    process.env.AWS_REGION = 'us-east-1';
    process.env[RESULTS_TABLE_VARIABLE] = 'results';
    try {
      const deps = listMemberAccountsDepsFromEnv();
      expect(await deps.pages?.config.maxAttempts()).toBe(1);
      expect(await deps.organizations.config.maxAttempts()).toBe(AWS_CALL_RETRY.maxAttempts);
    } finally {
      process.env = saved;
    }
  });
});
