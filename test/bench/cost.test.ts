import { US_EAST_1_ARM64, costOf, gbSeconds, readUnitsFor, writeUnitsFor } from '../../bench/cost';

describe('cost model', () => {
  it('bills Lambda durations rounded up to the millisecond, by memory', () => {
    expect(gbSeconds([{ durationMs: 999.2, memoryMb: 1024 }])).toBeCloseTo(1);
    expect(
      gbSeconds([
        { durationMs: 1000, memoryMb: 512 },
        { durationMs: 500, memoryMb: 2048 },
      ]),
    ).toBeCloseTo(1.5);
  });

  it('adds Step Functions, Lambda and DynamoDB and scales to 1,000 accounts', () => {
    const cost = costOf({
      accounts: 10_000,
      stateTransitions: 1_000,
      lambdaInvocations: Array.from({ length: 100 }, () => ({ durationMs: 10_000, memoryMb: 1024 })),
      writeUnits: 20_000,
      readUnits: 10_000,
    });
    expect(cost.stepFunctions).toBeCloseTo(0.025);
    expect(cost.lambdaRequests).toBeCloseTo(100 * 0.2e-6);
    expect(cost.gbSeconds).toBeCloseTo(1000);
    expect(cost.lambdaCompute).toBeCloseTo(1000 * US_EAST_1_ARM64.lambdaPerGbSecond);
    expect(cost.dynamoDb).toBeCloseTo(20_000 * 0.625e-6 + 10_000 * 0.125e-6);
    expect(cost.total).toBeCloseTo(
      cost.stepFunctions + cost.lambdaRequests + cost.lambdaCompute + cost.dynamoDb,
    );
    expect(cost.per1000Accounts).toBeCloseTo(cost.total / 10);
  });

  it('costs nothing per account when no account was audited', () => {
    expect(
      costOf({ accounts: 0, stateTransitions: 5, lambdaInvocations: [], writeUnits: 0, readUnits: 0 })
        .per1000Accounts,
    ).toBe(0);
  });

  it('counts DynamoDB units per started KB (writes) and 4 KB (reads)', () => {
    expect(writeUnitsFor(300)).toBe(1);
    expect(writeUnitsFor(1025)).toBe(2);
    expect(readUnitsFor(300, false)).toBe(0.5);
    expect(readUnitsFor(4097, true)).toBe(2);
  });
});
