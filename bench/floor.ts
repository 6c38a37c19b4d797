/**
 * The fastest any strategy could audit the organization under the quota
 * model: no code can beat it, so wall time ÷ floor says how much of the
 * time is ours. Every bound uses the model's median latency, as the issue
 * asks; a real run can beat a median-based bound by luck on latency, never
 * by much.
 */

export interface TokenBucket {
  /** Requests that can be sent at once from a full bucket. */
  readonly burst: number;
  /** Refill, requests per second. */
  readonly ratePerSecond: number;
}

export interface FloorInput {
  /** Accounts to audit (ACTIVE members, the management account excluded). */
  readonly accounts: number;
  /** Accounts that ListAccounts returns, the management and suspended ones included. */
  readonly listedAccounts: number;
  /** Accounts per ListAccounts page (20 on AWS). */
  readonly pageSize: number;
  readonly medianLatencyMs: number;
  /** The caller's STS bucket; AssumeRoot counts against it. */
  readonly sts: TokenBucket;
  /** The caller's Organizations bucket, when the model has one. */
  readonly organizations?: TokenBucket;
  /** Each member account's IAM bucket, when the model has one (the session's calls count there). */
  readonly iam?: TokenBucket;
  /** Sequential calls one clean account needs once its id is known (AssumeRoot, GetAccountSummary). */
  readonly callsPerAccount: number;
  /**
   * For the per-OU enumeration: accounts per parent (root and every OU) and
   * the depth of the OU tree (the root's children are at depth 1).
   */
  readonly parents?: { readonly accountsPerParent: readonly number[]; readonly ouDepth: number };
  /**
   * Injected faults (the honest fault floor): each call is throttled with
   * probability `throttle`, and IAM calls fail with `serviceFailure` besides.
   * A throttled call still takes its token (the sandbox draws the fault
   * after the bucket, as a throttled request is counted by AWS), so any
   * strategy needs 1 / (1 − p) attempts a call on average, each a round trip
   * and a token.
   */
  readonly faults?: { readonly throttle: number; readonly serviceFailure: number };
}

/** Expected attempts per successful call of each service under the input's faults (1 without). */
function attemptsPerCall(input: Pick<FloorInput, 'faults'>): {
  sts: number;
  organizations: number;
  iam: number;
} {
  const throttle = input.faults?.throttle ?? 0;
  const failure = input.faults?.serviceFailure ?? 0;
  const pass = 1 - throttle;
  return { sts: 1 / pass, organizations: 1 / pass, iam: 1 / (pass * (1 - failure)) };
}

export interface Bound {
  readonly name: string;
  readonly ms: number;
  readonly formula: string;
}

export interface Floor {
  readonly ms: number;
  /** The bound that sets the floor. */
  readonly binding: string;
  readonly bounds: readonly Bound[];
  readonly listingDominates: boolean;
}

/** IAM calls of the most detailed audit: GetAccountSummary, the four lists, two GetAccessKeyLastUsed. */
const AUDIT_IAM_CALLS_MAX = 7;

/** Seconds a token bucket needs before the last of `requests` may be sent. */
export function bucketSeconds(requests: number, bucket: TokenBucket): number {
  if (bucket.ratePerSecond <= 0) return requests > bucket.burst ? Number.POSITIVE_INFINITY : 0;
  return Math.max(0, requests - bucket.burst) / bucket.ratePerSecond;
}

export function listingPages(listedAccounts: number, pageSize: number): number {
  return Math.max(1, Math.ceil(listedAccounts / pageSize));
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function pick(bounds: Bound[]): Floor {
  const top = bounds.reduce((best, bound) => (bound.ms > best.ms ? bound : best));
  const listing = bounds.find((bound) => bound.name.startsWith('listing then'));
  return {
    ms: top.ms,
    binding: top.name,
    bounds,
    listingDominates: listing !== undefined && listing === top,
  };
}

/** Bounds shared by both enumerations: STS rate and the per-account critical path. */
function commonBounds(input: FloorInput, firstIdsMs: number): Bound[] {
  const lat = input.medianLatencyMs;
  const attempts = attemptsPerCall(input);
  // One AssumeRoot, the rest IAM calls; under faults each is tried 1 / (1 − p) times on average.
  const perAccountCalls = attempts.sts + (input.callsPerAccount - 1) * attempts.iam;
  const perAccountMs = perAccountCalls * lat;
  const stsRequests = Math.ceil(input.accounts * attempts.sts);
  const stsMs = bucketSeconds(stsRequests, input.sts) * 1000;
  // Each account's calls draw on its own IAM bucket, so the bound is one account's calls.
  const iamBound: Bound[] = input.iam
    ? [
        {
          name: 'IAM bucket per member account',
          ms: bucketSeconds(AUDIT_IAM_CALLS_MAX, input.iam) * 1000,
          formula: `max(0, ${AUDIT_IAM_CALLS_MAX} calls − ${input.iam.burst}) ÷ ${input.iam.ratePerSecond}/s`,
        },
      ]
    : [];
  return [
    ...iamBound,
    {
      name: 'STS rate',
      ms: stsMs,
      formula: `max(0, ${stsRequests} AssumeRoot requests − ${input.sts.burst}) ÷ ${input.sts.ratePerSecond}/s`,
    },
    {
      name: 'per-account critical path',
      ms: perAccountMs,
      formula: `${round2(perAccountCalls)} calls × ${lat} ms`,
    },
    {
      // The last AssumeRoot cannot leave before the bucket allows it, and the
      // first cannot leave before the first account ids are known.
      name: 'first ids + STS rate + last audit',
      ms: firstIdsMs + stsMs + perAccountMs,
      formula: `${Math.round(firstIdsMs)} ms + STS rate + ${round2(perAccountCalls)} × ${lat} ms`,
    },
  ];
}

/** Floor with the sequential ListAccounts enumeration (pages follow NextToken one by one). */
export function sequentialListingFloor(input: FloorInput): Floor {
  const lat = input.medianLatencyMs;
  const attempts = attemptsPerCall(input);
  const perAccountCalls = attempts.sts + (input.callsPerAccount - 1) * attempts.iam;
  // Under faults a throttled page is asked again: each page takes 1 / (1 − p) requests.
  const pages = Math.ceil(listingPages(input.listedAccounts, input.pageSize) * attempts.organizations);
  const listingMs = Math.max(
    pages * lat,
    input.organizations ? bucketSeconds(pages, input.organizations) * 1000 : 0,
  );
  return pick([
    { name: 'ListAccounts pages', ms: pages * lat, formula: `${pages} page requests × ${lat} ms` },
    ...(input.organizations
      ? [
          {
            name: 'Organizations rate',
            ms: bucketSeconds(pages, input.organizations) * 1000,
            formula: `max(0, ${pages} − ${input.organizations.burst}) ÷ ${input.organizations.ratePerSecond}/s`,
          },
        ]
      : []),
    ...commonBounds(input, attempts.organizations * lat),
    {
      // The last page names accounts that can only be audited after it.
      name: 'listing then last audit',
      ms: listingMs + perAccountCalls * lat,
      formula: `${pages} page requests × ${lat} ms + ${round2(perAccountCalls)} × ${lat} ms`,
    },
  ]);
}

/**
 * Floor with the per-OU enumeration: ListRoots, then the OU tree level by
 * level (ListOrganizationalUnitsForParent, parallel within a level), then
 * ListAccountsForParent for every parent in parallel; the largest parent's
 * pages are sequential. Every call counts against the Organizations bucket.
 */
export function parallelListingFloor(input: FloorInput): Floor | undefined {
  if (!input.parents) return undefined;
  const lat = input.medianLatencyMs;
  const { accountsPerParent, ouDepth } = input.parents;
  const pagesPerParent = accountsPerParent.map((n) => listingPages(n, input.pageSize));
  const largest = Math.max(1, ...pagesPerParent);
  const treeCalls = 1 + accountsPerParent.length; // ListRoots + one OU listing per parent
  const totalCalls = treeCalls + pagesPerParent.reduce((sum, pages) => sum + pages, 0);
  const walkMs = (1 + ouDepth) * lat; // ListRoots, then one level at a time
  const pathMs = walkMs + largest * lat;
  const rateMs = input.organizations ? bucketSeconds(totalCalls, input.organizations) * 1000 : 0;
  const listingMs = Math.max(pathMs, rateMs);
  return pick([
    {
      name: 'OU walk + largest parent pages',
      ms: pathMs,
      formula: `(1 + ${ouDepth} levels) × ${lat} ms + ${largest} pages × ${lat} ms`,
    },
    ...(input.organizations
      ? [
          {
            name: 'Organizations rate',
            ms: rateMs,
            formula: `max(0, ${totalCalls} calls − ${input.organizations.burst}) ÷ ${input.organizations.ratePerSecond}/s`,
          },
        ]
      : []),
    // ListRoots then ListAccountsForParent on the root: the first ids.
    ...commonBounds(input, 2 * lat),
    {
      name: 'listing then last audit',
      ms: listingMs + input.callsPerAccount * lat,
      formula: `per-OU listing + ${input.callsPerAccount} × ${lat} ms`,
    },
  ]);
}

/**
 * Not a floor of the problem but of a structure: a strategy that lists every
 * account before auditing any (Rootkeeper's ListMemberAccounts writes every
 * shard, then the Distributed Map starts) adds the STS-bound audit to the
 * listing instead of overlapping them.
 */
export function listThenAuditMs(input: FloorInput): number {
  const lat = input.medianLatencyMs;
  const pages = listingPages(input.listedAccounts, input.pageSize);
  const listingMs = Math.max(
    pages * lat,
    input.organizations ? bucketSeconds(pages, input.organizations) * 1000 : 0,
  );
  return listingMs + bucketSeconds(input.accounts, input.sts) * 1000 + input.callsPerAccount * lat;
}
