import {
  AWSOrganizationsNotInUseException,
  ListAccountsCommand,
  OrganizationsClient,
  ServiceException,
  TooManyRequestsException,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { ThrottledError } from '../../../lambdas/root-access/errors';
import {
  LISTING_PAGE_ATTEMPTS,
  listInventoryChunk,
  pageBackoffMs,
  type InventoryStore,
  type ListingCursor,
  type ListingDeps,
} from '../../../lambdas/root-access/inventory-listing';

const MANAGEMENT = '100000000000';
const id = (n: number) => String(200000000000 + n);
const PACE = { burst: 20, ratePerSecond: 10 };

const store: InventoryStore = {
  writeShards: () => Promise.resolve(),
  writeProtectedMembers: () => Promise.resolve(),
  readProtectedMembers: () => Promise.resolve([]),
  isBaseline: () => Promise.resolve(true),
};

/** A cursor at page 1 whose pace bucket is empty at t = 0: every request waits for its token. */
const emptyBucketCursor: ListingCursor = {
  nextToken: null,
  pagesListed: 0,
  nextShard: 0,
  pending: [],
  accountCount: 0,
  skipped: { MANAGEMENT_ACCOUNT: 0, NOT_A_MEMBER: 0, NOT_ACTIVE: 0, PROTECTED_ACCOUNT: 0, PROTECTED_OU: 0 },
  requestedSeen: [],
  managementAccountId: MANAGEMENT,
  baseline: true,
  paceTokens: 0,
  paceAt: 0,
};

const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
const accounts = (from: number, count: number): Account[] =>
  Array.from({ length: count }, (_, n) => ({ Id: id(from + n), State: 'ACTIVE' }));

describe('the listing retries its pages at the quota pace', () => {
  const organizations = mockClient(OrganizationsClient);
  let clock = 0;
  let waits: number[] = [];
  const deps = (extra: Partial<ListingDeps> = {}): ListingDeps => ({
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    store,
    config: { managementAccountId: MANAGEMENT, protectedAccountIds: [], protectedOuIds: [] },
    pace: PACE,
    now: () => clock,
    sleep: (ms) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    ...extra,
  });
  const request = { inventoryId: 'inv', shardSize: 100, concurrency: 40, cursor: emptyBucketCursor };

  beforeEach(() => {
    organizations.reset();
    clock = 0;
    waits = [];
  });

  test('a throttled page is retried when the bucket refills one token (100 ms), not after the SDK backoff', async () => {
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .rejectsOnce(throttled())
      .resolves({ Accounts: accounts(1, 20), NextToken: 't2' })
      .on(ListAccountsCommand, { NextToken: 't2' })
      .rejectsOnce(new ServiceException({ message: 'Service failure', $metadata: { httpStatusCode: 500 } }))
      .resolves({ Accounts: accounts(21, 5) });

    const step = await listInventoryChunk(deps(), request);

    expect(step).toMatchObject({ done: true, accountCount: 25, cursor: { pagesListed: 2, nextToken: null } });
    // Four requests, each leaving with its own token of the empty bucket: 100 ms apart, nothing more.
    expect(waits).toEqual([100, 100, 100, 100]);
    expect(clock).toBe(400);
    expect(
      organizations.commandCalls(ListAccountsCommand).map((call) => call.args[0].input.NextToken),
    ).toEqual([undefined, undefined, 't2', 't2']);
  });

  test('a page that keeps failing backs off beyond the pace, then fails the chunk as ThrottledError', async () => {
    organizations.on(ListAccountsCommand).rejects(throttled());

    await expect(listInventoryChunk(deps(), request)).rejects.toThrow(ThrottledError);

    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(LISTING_PAGE_ATTEMPTS);
    const backoffs = waits.filter((ms) => ms !== 100);
    expect(backoffs).toEqual(
      Array.from({ length: LISTING_PAGE_ATTEMPTS - 1 }, (_, n) => pageBackoffMs(n + 1, 0.5)).filter(
        (ms) => ms > 0,
      ),
    );
  });

  test('the backoff: none for the first three retries, then exponential with full jitter up to 20 s', () => {
    expect([1, 2, 3].map((retry) => pageBackoffMs(retry, 0.99))).toEqual([0, 0, 0]);
    expect([4, 5, 6, 7].map((retry) => pageBackoffMs(retry, 1))).toEqual([500, 1000, 2000, 4000]);
    expect(pageBackoffMs(20, 1)).toBe(20_000);
    expect(pageBackoffMs(5, 0.5)).toBe(500);
  });

  test('an error that is not throttling or transient fails at once, one request', async () => {
    organizations
      .on(ListAccountsCommand)
      .rejects(new AWSOrganizationsNotInUseException({ message: 'not in an organization', $metadata: {} }));

    await expect(listInventoryChunk(deps(), request)).rejects.toThrow(/not in an organization/);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(1);
  });

  test('the pages go through the single-attempt client when one is given', async () => {
    const pages = new OrganizationsClient({ region: 'us-east-1', maxAttempts: 1 });
    const sent = jest.spyOn(pages, 'send');
    organizations.on(ListAccountsCommand).resolves({ Accounts: accounts(1, 3) });

    await listInventoryChunk(deps({ pages }), request);

    expect(sent).toHaveBeenCalledTimes(1);
  });

  test('a first chunk starts with the burst less the DescribeOrganization it did not need', async () => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: accounts(1, 3) });
    const step = await listInventoryChunk(deps(), { ...request, cursor: null });
    // Management account configured, no protected OU: 20 tokens, one page taken.
    expect(step.cursor.paceTokens).toBe(19);
    expect(waits).toEqual([]);
  });
});
