import {
  bucketSeconds,
  listingPages,
  listThenAuditMs,
  parallelListingFloor,
  sequentialListingFloor,
  type FloorInput,
} from '../../bench/floor';

const base: FloorInput = {
  accounts: 10_000,
  listedAccounts: 10_001,
  pageSize: 20,
  medianLatencyMs: 60,
  sts: { burst: 600, ratePerSecond: 600 },
  callsPerAccount: 2,
};

describe('token bucket', () => {
  it('lets a full bucket go at once and the rest at the refill rate', () => {
    expect(bucketSeconds(600, { burst: 600, ratePerSecond: 600 })).toBe(0);
    expect(bucketSeconds(1200, { burst: 600, ratePerSecond: 600 })).toBe(1);
  });
  it('is infinite when nothing refills and the burst is not enough', () => {
    expect(bucketSeconds(2, { burst: 1, ratePerSecond: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('sequential listing floor', () => {
  it('counts whole pages, at least one', () => {
    expect(listingPages(10_001, 20)).toBe(501);
    expect(listingPages(0, 20)).toBe(1);
  });

  it('is set by the pages at 10,000 accounts without an Organizations quota', () => {
    const floor = sequentialListingFloor(base);
    // 501 pages × 60 ms + AssumeRoot + GetAccountSummary
    expect(floor.ms).toBeCloseTo(501 * 60 + 120);
    expect(floor.binding).toBe('listing then last audit');
    expect(floor.listingDominates).toBe(true);
    const sts = floor.bounds.find((b) => b.name === 'STS rate');
    expect(sts?.ms).toBeCloseTo((9400 / 600) * 1000);
  });

  it('is set by the STS rate when listing is quick', () => {
    const floor = sequentialListingFloor({ ...base, pageSize: 1000, listedAccounts: 10_001 });
    expect(floor.binding).toBe('first ids + STS rate + last audit');
    expect(floor.ms).toBeCloseTo(60 + (9400 / 600) * 1000 + 120);
    expect(floor.listingDominates).toBe(false);
  });

  it('adds the Organizations rate to the listing when the model has one', () => {
    const floor = sequentialListingFloor({ ...base, organizations: { burst: 20, ratePerSecond: 10 } });
    expect(floor.ms).toBeCloseTo(((501 - 20) / 10) * 1000 + 120);
    expect(floor.listingDominates).toBe(true);
  });

  it('is the per-account critical path for a single account', () => {
    const floor = sequentialListingFloor({ ...base, accounts: 1, listedAccounts: 2 });
    expect(floor.ms).toBe(180); // one page, then two calls
  });
});

describe('parallel (per-OU) listing floor', () => {
  it('is absent without the OU tree', () => {
    expect(parallelListingFloor(base)).toBeUndefined();
  });

  it('walks the tree, then the largest parent, and falls to the STS rate', () => {
    const floor = parallelListingFloor({
      ...base,
      parents: { accountsPerParent: [1, 2000, 0, 3300, 3300, 1400], ouDepth: 2 },
    });
    // walk 3 × 60 + 165 pages × 60 = 10,080 ms + 120 < STS 15,667 + 120 + 120
    expect(floor?.binding).toBe('first ids + STS rate + last audit');
    expect(floor?.ms).toBeCloseTo(120 + (9400 / 600) * 1000 + 120);
    const path = floor?.bounds.find((b) => b.name === 'OU walk + largest parent pages');
    expect(path?.ms).toBe(3 * 60 + 165 * 60);
  });

  it('still pays the Organizations rate on every page', () => {
    const floor = parallelListingFloor({
      ...base,
      organizations: { burst: 20, ratePerSecond: 10 },
      parents: { accountsPerParent: [5000, 5000], ouDepth: 1 },
    });
    // 1 + 2 tree calls + 500 pages = 503 calls
    expect(floor?.bounds.find((b) => b.name === 'Organizations rate')?.ms).toBeCloseTo(
      ((503 - 20) / 10) * 1000,
    );
    expect(floor?.listingDominates).toBe(true);
  });
});

describe('list-then-audit structure', () => {
  it('adds the STS-bound audit to the listing', () => {
    const input = { ...base, organizations: { burst: 20, ratePerSecond: 10 } };
    expect(listThenAuditMs(input)).toBeCloseTo(48_100 + (9400 / 600) * 1000 + 120);
    expect(listThenAuditMs(input)).toBeGreaterThan(sequentialListingFloor(input).ms);
  });
});

describe('IAM buckets', () => {
  it('never bind with the model figures: each account has its own', () => {
    const floor = sequentialListingFloor({ ...base, iam: { burst: 100, ratePerSecond: 100 } });
    expect(floor.bounds.find((b) => b.name === 'IAM bucket per member account')?.ms).toBe(0);
  });
  it('bind when a member account bucket is smaller than one audit', () => {
    const floor = sequentialListingFloor({ ...base, iam: { burst: 1, ratePerSecond: 2 } });
    expect(floor.bounds.find((b) => b.name === 'IAM bucket per member account')?.ms).toBe(3000);
  });
});

describe('honest fault floor (10 % throttling, 1 % ServiceFailure on IAM)', () => {
  const faulted: FloorInput = {
    ...base,
    organizations: { burst: 20, ratePerSecond: 10 },
    faults: { throttle: 0.1, serviceFailure: 0.01 },
  };

  it('counts the tokens of throttled calls: 1 / 0.9 requests per successful call', () => {
    const floor = sequentialListingFloor(faulted);
    const bound = (name: string) => floor.bounds.find((b) => b.name === name)?.ms;
    // STS: ceil(10,000 / 0.9) = 11,112 requests; (11,112 − 600) / 600/s = 17.52 s
    expect(bound('STS rate')).toBeCloseTo(17_520, 6);
    // Pages: ceil(501 / 0.9) = 557 requests; (557 − 20) / 10/s = 53.7 s
    expect(bound('Organizations rate')).toBeCloseTo(53_700, 6);
    // Per account: 1/0.9 AssumeRoot + 1/(0.9 × 0.99) GetAccountSummary = 2.2334 calls × 60 ms
    expect(bound('per-account critical path')).toBeCloseTo((1 / 0.9 + 1 / (0.9 * 0.99)) * 60, 6);
    // Listing (53.7 s) then the last audit (134 ms) sets the floor.
    expect(floor.binding).toBe('listing then last audit');
    expect(floor.ms).toBeCloseTo(53_700 + (1 / 0.9 + 1 / (0.9 * 0.99)) * 60, 6);
  });

  it('is the plain floor without faults', () => {
    const plain = sequentialListingFloor({ ...faulted, faults: { throttle: 0, serviceFailure: 0 } });
    // (501 − 20) / 10/s + 2 × 60 ms
    expect(plain.ms).toBeCloseTo(48_100 + 120, 6);
  });
});
