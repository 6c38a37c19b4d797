import {
  ListAccountsCommand,
  type Account,
  type ListAccountsCommandOutput,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { callAws, toDomainError } from './aws-error-mapping';
import { describeManagementAccountId, type EligibilityConfig } from './eligibility';
import { InvalidInputError, ThrottledError, TransientAwsError } from './errors';
import {
  accountsBelow,
  emptySkipped,
  MAX_SHARD_SIZE,
  skipReasonOf,
  type SkippedCounts,
} from './organization-inventory';
import { validateAccountId } from './validation';

/**
 * The organization audit's listing, one chunk of ListAccounts pages per
 * call. Everything the next chunk needs is in the returned cursor, which the
 * workflow keeps in its state: a retried chunk starts again from the last
 * token the workflow saw, never from page 1, and each full shard is written
 * (and its audit started by the workflow) as soon as its pages are listed.
 *
 * Pages are paced to the Organizations token bucket (the bucket's state
 * travels in the cursor, so a new chunk does not assume a full bucket), and
 * so are their retries (`listPage`): the listing is a chain, each page needs
 * the one before, so any wait on one page delays every later one.
 */

/** A token bucket the listing keeps below: requests that may leave at once, and the refill. */
export interface ListingPace {
  readonly burst: number;
  readonly ratePerSecond: number;
}

/**
 * The Organizations pace the workflow lists at. AWS publishes no rate for
 * ListAccounts (aws-facts.md: users report throttling with a few parallel
 * callers); 10 pages/s with a burst of 20 is the sandbox's realistic model,
 * and a throttled page is retried by the SDK, so a slower real bucket costs
 * retries, not accounts.
 */
export const ORGANIZATIONS_LISTING_PACE: ListingPace = { burst: 20, ratePerSecond: 10 };

/** Limits of one chunk: it ends at the first limit reached (or the last page). */
export interface ChunkLimits {
  /** Pages a chunk lists at most. */
  readonly maxPages: number;
  /** A chunk ends once this many new full shards are written: their audits start sooner. */
  readonly maxNewShards: number;
  /**
   * Once `afterShards` shards are written, chunks may hold up to
   * `maxNewShards` new shards: the first shards start as early as possible,
   * and a large organization needs fewer chunks, so fewer events in the
   * audit's history (about 50 a chunk; an execution holds 25,000: 100,000
   * accounts in chunks of 2 shards would need 500 chunks).
   */
  readonly later?: { readonly afterShards: number; readonly maxNewShards: number };
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = {
  maxPages: 50,
  maxNewShards: 2,
  later: { afterShards: 20, maxNewShards: 10 },
};

/** New shards this chunk may write, given the shards written before it. */
export function newShardsAllowed(limits: ChunkLimits, shardsBefore: number, concurrency: number): number {
  const later = limits.later !== undefined && shardsBefore >= limits.later.afterShards;
  return Math.min(later ? (limits.later?.maxNewShards ?? 0) : limits.maxNewShards, concurrency);
}

export interface ListingCursor {
  /** The NextToken of the next page; null before the first page. */
  readonly nextToken: string | null;
  readonly pagesListed: number;
  /** Number of the next shard to write. */
  readonly nextShard: number;
  /** Eligible accounts not yet in a full shard (fewer than a shard). */
  readonly pending: string[];
  /** Eligible accounts found so far (in shards or pending). */
  readonly accountCount: number;
  readonly skipped: SkippedCounts;
  /** Requested ids (when the audit names accounts) that ListAccounts has returned so far. */
  readonly requestedSeen: string[];
  readonly managementAccountId: string;
  /** No organization audit completed before this one. */
  readonly baseline: boolean;
  /** The pace bucket: tokens left at `paceAt` (epoch ms). */
  readonly paceTokens: number;
  readonly paceAt: number;
}

export interface ListingRequest {
  readonly inventoryId: string;
  readonly shardSize: number;
  /** When given, only these accounts are audited (still checked for eligibility). */
  readonly accountIds?: readonly string[];
  /** Shards audited at once: the answer says when the new shards may start. */
  readonly concurrency: number;
  readonly cursor: ListingCursor | null;
}

export interface NewShard {
  readonly shard: number;
  readonly accountCount: number;
}

export interface ListingStep {
  readonly inventoryId: string;
  readonly done: boolean;
  /** The cursor for the next chunk (also when done: it holds the totals). */
  readonly cursor: ListingCursor;
  /** Shards written by this chunk, to start now. */
  readonly newShards: NewShard[];
  /**
   * Start the new shards once this many shards are counted, so that at most
   * `concurrency` shard audits run at once (≤ 0: start at once).
   */
  readonly startWhenCounted: number;
  readonly shardCount: number;
  readonly accountCount: number;
  readonly skipped: SkippedCounts;
  readonly baseline: boolean;
}

/** Where the listing keeps what is too large for the workflow's state. */
export interface InventoryStore {
  writeShards(inventoryId: string, shards: readonly { shard: number; accountIds: string[] }[]): Promise<void>;
  /** Accounts below the protected OUs, resolved once per audit. */
  writeProtectedMembers(inventoryId: string, accountIds: readonly string[]): Promise<void>;
  readProtectedMembers(inventoryId: string): Promise<string[]>;
  /** No organization audit has completed before. */
  isBaseline(): Promise<boolean>;
}

export interface ListingDeps {
  /** DescribeOrganization and the protected-OU walk, with the SDK's own retries. */
  readonly organizations: OrganizationsClient;
  /**
   * ListAccounts, one attempt per call (`maxAttempts: 1`): the listing
   * retries its pages itself, paced (`listPage`). Defaults to
   * `organizations`, whose own SDK retries then come first.
   */
  readonly pages?: OrganizationsClient;
  readonly store: InventoryStore;
  readonly config: EligibilityConfig;
  readonly pace?: ListingPace;
  readonly limits?: ChunkLimits;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter of the backoff after repeated failures of one page, in [0, 1). */
  readonly random?: () => number;
}

/**
 * Attempts of one ListAccounts page. The first `PACED_PAGE_RETRIES` retries
 * wait only for the pace bucket's next token: a throttled request still took
 * a token (AWS counts it), so ours counts it too and the retry leaves when
 * the quota has refilled one (100 ms at 10/s), where the SDK's standard
 * strategy waits a random share of 1 s, then 2 s... for a throttling error
 * (its 2026 backoff: base 1,000 ms for throttling, 50 ms otherwise; AWS SDKs
 * and Tools reference, "Retry behavior") and stalls the whole chain. A page
 * failing more often than that means the real bucket is emptier than ours
 * (other callers of the organization): from then on each retry adds an
 * exponential backoff with full jitter, as the SDK's, up to 20 s.
 */
export const LISTING_PAGE_ATTEMPTS = 10;
const PACED_PAGE_RETRIES = 3;
const PAGE_BACKOFF_BASE_MS = 500;
const PAGE_BACKOFF_MAX_MS = 20_000;

/** Extra wait before retry `retry` (1-based) of one page, beyond the pace: 0 for the first paced retries. */
export function pageBackoffMs(retry: number, random: number): number {
  if (retry <= PACED_PAGE_RETRIES) return 0;
  return Math.floor(
    random * Math.min(PAGE_BACKOFF_MAX_MS, PAGE_BACKOFF_BASE_MS * 2 ** (retry - PACED_PAGE_RETRIES - 1)),
  );
}

const MAX_CONCURRENCY = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerField(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(
      field,
      `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new InvalidInputError(field, 'must be a list of strings');
  }
  return value as string[];
}

function parseCursor(value: unknown): ListingCursor | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new InvalidInputError('cursor', 'must be an object or null');
  const { nextToken, skipped, managementAccountId, baseline } = value;
  if (nextToken !== null && (typeof nextToken !== 'string' || nextToken === '')) {
    throw new InvalidInputError('cursor.nextToken', 'must be a non-empty string or null');
  }
  if (!isRecord(skipped)) throw new InvalidInputError('cursor.skipped', 'must be an object of counts');
  if (typeof baseline !== 'boolean') throw new InvalidInputError('cursor.baseline', 'must be true or false');
  const counts = emptySkipped();
  for (const reason of Object.keys(counts) as (keyof SkippedCounts)[]) {
    counts[reason] = integerField(
      skipped[reason] ?? 0,
      `cursor.skipped.${reason}`,
      0,
      Number.MAX_SAFE_INTEGER,
    );
  }
  return {
    nextToken,
    pagesListed: integerField(value.pagesListed, 'cursor.pagesListed', 0, Number.MAX_SAFE_INTEGER),
    nextShard: integerField(value.nextShard, 'cursor.nextShard', 0, Number.MAX_SAFE_INTEGER),
    pending: stringList(value.pending, 'cursor.pending'),
    accountCount: integerField(value.accountCount, 'cursor.accountCount', 0, Number.MAX_SAFE_INTEGER),
    skipped: counts,
    requestedSeen: stringList(value.requestedSeen, 'cursor.requestedSeen'),
    managementAccountId: validateAccountId(managementAccountId, 'cursor.managementAccountId'),
    baseline,
    paceTokens: typeof value.paceTokens === 'number' ? value.paceTokens : 0,
    paceAt: typeof value.paceAt === 'number' ? value.paceAt : 0,
  };
}

/** The ListMemberAccounts event, checked before any AWS call; errors name the field. */
export function parseListingRequest(event: unknown): ListingRequest {
  if (!isRecord(event)) {
    throw new InvalidInputError(
      'event',
      'must be an object { inventoryId, shardSize, concurrency, cursor, accountIds? }',
    );
  }
  const { inventoryId, accountIds } = event;
  if (typeof inventoryId !== 'string' || inventoryId.trim() === '' || inventoryId.length > 256) {
    throw new InvalidInputError('inventoryId', 'must be a non-empty string of at most 256 characters');
  }
  if (accountIds !== undefined && accountIds !== null && !Array.isArray(accountIds)) {
    throw new InvalidInputError('accountIds', 'must be an array of account ids');
  }
  return {
    inventoryId: inventoryId.trim(),
    shardSize: integerField(event.shardSize ?? 100, 'shardSize', 1, MAX_SHARD_SIZE),
    concurrency: integerField(event.concurrency ?? 40, 'concurrency', 1, MAX_CONCURRENCY),
    // An empty list means every eligible account: the workflow's default (a path to null would stop it).
    ...(Array.isArray(accountIds) && accountIds.length > 0
      ? { accountIds: accountIds.map((id: unknown, index) => validateAccountId(id, `accountIds[${index}]`)) }
      : {}),
    cursor: parseCursor(event.cursor),
  };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for a token of the pace bucket; returns the bucket after taking it. */
async function takeToken(
  bucket: { tokens: number; at: number },
  pace: ListingPace,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<{ tokens: number; at: number }> {
  const refill = (at: number) =>
    Math.min(pace.burst, bucket.tokens + ((at - bucket.at) / 1000) * pace.ratePerSecond);
  let at = now();
  let tokens = refill(at);
  if (tokens < 1) {
    await sleep(((1 - tokens) / pace.ratePerSecond) * 1000);
    at = now();
    tokens = Math.max(1, refill(at));
  }
  return { tokens: tokens - 1, at };
}

/** The first chunk's context: management account, protected OU members (kept in the store), baseline. */
async function firstCursor(
  deps: ListingDeps,
  request: ListingRequest,
  pace: ListingPace,
): Promise<ListingCursor> {
  const { config, organizations, store } = deps;
  const [managementAccountId, protectedMembers, baseline] = await Promise.all([
    config.managementAccountId ??
      callAws('organizations:DescribeOrganization', () => describeManagementAccountId(organizations)),
    config.protectedOuIds.length === 0
      ? Promise.resolve(new Set<string>())
      : callAws('organizations:ListAccountsForParent', () =>
          accountsBelow(organizations, config.protectedOuIds),
        ),
    store.isBaseline(),
  ]);
  if (config.protectedOuIds.length > 0)
    await store.writeProtectedMembers(request.inventoryId, [...protectedMembers]);
  const now = (deps.now ?? Date.now)();
  return {
    nextToken: null,
    pagesListed: 0,
    nextShard: 0,
    pending: [],
    accountCount: 0,
    skipped: emptySkipped(),
    requestedSeen: [],
    managementAccountId,
    baseline,
    // The context's own calls took tokens too: one for DescribeOrganization, and
    // the OU walk's count is unknown here, so with protected OUs start half full.
    paceTokens: Math.max(
      0,
      pace.burst -
        (config.managementAccountId === undefined ? 1 : 0) -
        (config.protectedOuIds.length > 0 ? pace.burst / 2 : 0),
    ),
    paceAt: now,
  };
}

/** Lists one chunk of pages from the cursor, writes the full shards, returns the next cursor. */
export async function listInventoryChunk(deps: ListingDeps, request: ListingRequest): Promise<ListingStep> {
  const pace = deps.pace ?? ORGANIZATIONS_LISTING_PACE;
  const limits = deps.limits ?? DEFAULT_CHUNK_LIMITS;
  const cursor = request.cursor ?? (await firstCursor(deps, request, pace));
  const { config } = deps;
  const protectedOf =
    config.protectedOuIds.length === 0
      ? new Set<string>()
      : new Set(await deps.store.readProtectedMembers(request.inventoryId));
  const requested = request.accountIds === undefined ? undefined : new Set(request.accountIds);

  let bucket = { tokens: cursor.paceTokens, at: cursor.paceAt };
  let nextToken = cursor.nextToken;
  let pagesListed = cursor.pagesListed;
  const skipped = { ...cursor.skipped };
  const requestedSeen = new Set(cursor.requestedSeen);
  let accountCount = cursor.accountCount;
  const seenInChunk = new Set<string>();
  // At most `concurrency` new shards a chunk: the workflow starts them together,
  // once the shards before them leave room (startWhenCounted), never waiting on its own.
  const cutter = new ShardCutter(
    cursor.pending,
    cursor.nextShard,
    request.shardSize,
    newShardsAllowed(limits, cursor.nextShard, request.concurrency),
  );
  // The last page was listed by an earlier chunk (which had no room left for every shard).
  let listingEnded = nextToken === null && pagesListed > 0;
  cutter.cutFull();

  for (let pages = 0; !listingEnded && pages < limits.maxPages && cutter.hasRoom; pages += 1) {
    const listed = await listPage(deps, nextToken, bucket, pace);
    bucket = listed.bucket;
    const { page } = listed;
    pagesListed += 1;
    const sorted = sortListedAccounts(page.Accounts ?? [], {
      seenInChunk,
      requested,
      requestedSeen,
      skipped,
      isSkipped: (account, accountId) =>
        skipReasonOf(account, accountId, cursor.managementAccountId, protectedOf, config),
    });
    cutter.add(sorted);
    accountCount += sorted.length;
    cutter.cutFull();
    nextToken = page.NextToken ?? null;
    listingEnded = nextToken === null;
  }
  if (listingEnded) cutter.cutLast();
  const done = listingEnded && cutter.eligible.length === 0;
  // Requested ids that ListAccounts does not know are not members.
  if (done && requested !== undefined) {
    skipped.NOT_A_MEMBER = [...requested].filter((id) => !requestedSeen.has(id)).length;
  }
  await deps.store.writeShards(request.inventoryId, cutter.shards);

  return stepOf(
    request,
    cursor,
    {
      nextToken,
      pagesListed,
      nextShard: cutter.nextShard,
      pending: cutter.eligible,
      accountCount,
      skipped,
      requestedSeen: [...requestedSeen],
      managementAccountId: cursor.managementAccountId,
      baseline: cursor.baseline,
      paceTokens: bucket.tokens,
      paceAt: bucket.at,
    },
    { done, shards: cutter.shards },
  );
}

/**
 * One ListAccounts page from `token`, each attempt leaving at the pace
 * bucket's next token; throttling and transient failures are retried
 * (`LISTING_PAGE_ATTEMPTS`), anything else fails the chunk at once, which
 * Step Functions retries from the cursor.
 */
async function listPage(
  deps: ListingDeps,
  token: string | null,
  start: { tokens: number; at: number },
  pace: ListingPace,
): Promise<{ page: ListAccountsCommandOutput; bucket: { tokens: number; at: number } }> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const client = deps.pages ?? deps.organizations;
  let bucket = start;
  for (let attempt = 1; ; attempt += 1) {
    bucket = await takeToken(bucket, pace, now, sleep);
    try {
      const page = await client.send(new ListAccountsCommand(token === null ? {} : { NextToken: token }));
      return { page, bucket };
    } catch (error) {
      const failure = toDomainError(error, 'organizations:ListAccounts');
      const retryable = failure instanceof ThrottledError || failure instanceof TransientAwsError;
      if (!retryable || attempt >= LISTING_PAGE_ATTEMPTS) throw failure;
      const backoff = pageBackoffMs(attempt, (deps.random ?? Math.random)());
      if (backoff > 0) await sleep(backoff);
    }
  }
}

/** Cuts eligible ids into shards of `size`, at most `room` new shards a chunk. */
class ShardCutter {
  readonly shards: { shard: number; accountIds: string[] }[] = [];
  eligible: string[];

  constructor(
    pending: readonly string[],
    public nextShard: number,
    private readonly size: number,
    private readonly room: number,
  ) {
    this.eligible = [...pending];
  }

  get hasRoom(): boolean {
    return this.shards.length < this.room;
  }

  add(accountIds: readonly string[]): void {
    this.eligible.push(...accountIds);
  }

  cutFull(): void {
    while (this.eligible.length >= this.size && this.hasRoom) {
      this.shards.push({ shard: this.nextShard, accountIds: this.eligible.slice(0, this.size) });
      this.eligible = this.eligible.slice(this.size);
      this.nextShard += 1;
    }
  }

  /** The last, partial shard, once the listing has ended, when there is room for it. */
  cutLast(): void {
    if (this.eligible.length > 0 && this.eligible.length < this.size && this.hasRoom) {
      this.shards.push({ shard: this.nextShard, accountIds: this.eligible });
      this.nextShard += 1;
      this.eligible = [];
    }
  }
}

/** The chunk's answer: the next cursor and what the workflow needs to start the new shards. */
function stepOf(
  request: ListingRequest,
  cursor: ListingCursor,
  next: ListingCursor,
  chunk: { readonly done: boolean; readonly shards: readonly { shard: number; accountIds: string[] }[] },
): ListingStep {
  return {
    inventoryId: request.inventoryId,
    done: chunk.done,
    cursor: next,
    newShards: chunk.shards.map(({ shard, accountIds }) => ({ shard, accountCount: accountIds.length })),
    startWhenCounted: next.nextShard - request.concurrency,
    shardCount: next.nextShard,
    accountCount: next.accountCount,
    skipped: next.skipped,
    baseline: cursor.baseline,
  };
}

interface PageTally {
  /** Ids already seen in this chunk (a page may repeat an id while accounts are added). */
  readonly seenInChunk: Set<string>;
  /** The requested ids, when the audit is limited to them. */
  readonly requested: ReadonlySet<string> | undefined;
  readonly requestedSeen: Set<string>;
  readonly skipped: SkippedCounts;
  readonly isSkipped: (account: Account, accountId: string) => keyof SkippedCounts | undefined;
}

/** The page's eligible account ids, in order; counts the skipped ones in `tally`. */
function sortListedAccounts(accounts: readonly Account[], tally: PageTally): string[] {
  const eligible: string[] = [];
  for (const account of accounts) {
    const accountId = account.Id;
    if (accountId === undefined || tally.seenInChunk.has(accountId)) continue;
    tally.seenInChunk.add(accountId);
    if (tally.requested !== undefined) {
      if (!tally.requested.has(accountId)) continue;
      tally.requestedSeen.add(accountId);
    }
    const reason = tally.isSkipped(account, accountId);
    if (reason === undefined) eligible.push(accountId);
    else tally.skipped[reason] += 1;
  }
  return eligible;
}
