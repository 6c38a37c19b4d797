import {
  LOG_RECORD_BYTES,
  US_EAST_1_ARM64,
  costOf,
  gbSeconds,
  logBytesOf,
  readUnitsFor,
  writeUnitsFor,
} from '../../bench/cost';
import { sessionLogLevel } from '../../lambdas/shared/root-task-runtime';

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

  it('adds child execution starts, index writes and log volume, each on its own line (hand-computed)', () => {
    // 10,000 accounts in 100 shards: 3,300 transitions, 100 shard starts, 101 invocations of
    // 2 s at 512 MB, 20,100 table write units, 20,101 index write units, 10,200 read units,
    // 60 MB of logs.
    const cost = costOf({
      accounts: 10_000,
      stateTransitions: 3_300,
      childExecutionStarts: 100,
      lambdaInvocations: Array.from({ length: 101 }, () => ({ durationMs: 2_000, memoryMb: 512 })),
      writeUnits: 20_100,
      gsiWriteUnits: 20_101,
      readUnits: 10_200,
      logBytes: 60 * 1024 ** 2,
    });
    expect(cost.stepFunctions).toBeCloseTo(0.0825, 10); // 3,300 × $0.000025
    expect(cost.childExecutionStarts).toBeCloseTo(0.0025, 10); // 100 × $0.000025
    expect(cost.lambdaRequests).toBeCloseTo(0.0000202, 10); // 101 × $0.0000002
    expect(cost.lambdaCompute).toBeCloseTo(0.00134667, 7); // 101 GB-s × $0.0000133334
    expect(cost.dynamoDb).toBeCloseTo(0.0138375, 10); // 20,100 × $0.000000625 + 10,200 × $0.000000125
    expect(cost.dynamoDbIndex).toBeCloseTo(0.012563125, 10); // 20,101 × $0.000000625
    expect(cost.cloudWatchLogs).toBeCloseTo(0.029296875, 10); // 60/1024 GB × $0.50
    // 0.0825 + 0.0025 + 0.0000202 + 0.00134667 + 0.0138375 + 0.012563125 + 0.029296875
    expect(cost.total).toBeCloseTo(0.14206437, 7);
    expect(cost.per1000Accounts).toBeCloseTo(0.014206437, 8);
  });

  it('sizes the logs: logged history events with their envelope, Lambda platform records, INFO session lines', () => {
    const bytes = logBytesOf({
      historyEventBytes: 1_000_000,
      historyEvents: 4_000,
      lambdaInvocations: 101,
      sessionsLoggedAtInfo: 10_000,
    });
    expect(LOG_RECORD_BYTES).toEqual({
      stepFunctionsEnvelope: 250,
      lambdaPlatformPerInvocation: 700,
      sessionInfoLine: 450,
    });
    // 1,000,000 + 4,000 × 250 + 101 × 700 + 10,000 × 450
    expect(bytes).toBe(6_570_700);
  });

  it('the audit logs no session line at INFO: only the events and the platform records', () => {
    // The audit's sessions are logged at DEBUG (root-task-runtime.ts): 1,000,000 + 4,000 × 250 + 101 × 700
    expect(sessionLogLevel('IAMAuditRootUserCredentials')).toBe('debug');
    expect(
      logBytesOf({
        historyEventBytes: 1_000_000,
        historyEvents: 4_000,
        lambdaInvocations: 101,
        sessionsLoggedAtInfo: 0,
      }),
    ).toBe(2_070_700);
  });
});
