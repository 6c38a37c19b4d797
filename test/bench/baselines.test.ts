/** The two baselines against a small sandbox organization in its own process, as the bench runs them, without latency. */
import { startSandboxProcess, type SandboxProcess } from '../../sandbox';
import { compareRecorded } from '../../bench/correctness';
import { countsOf, shapeOf, truthOf } from '../../bench/sandbox-view';
import type { StrategyContext } from '../../bench/strategies/context';
import { runSequentialLoop } from '../../bench/strategies/sequential-loop';
import { runUnboundedBurst } from '../../bench/strategies/unbounded-burst';

describe('baseline strategies', () => {
  let sandbox: SandboxProcess;
  let context: StrategyContext;

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ organization: { generate: { accounts: 60, seed: 7 } } });
    context = {
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.managementCredentials,
      timeLimitMs: 30_000,
      maxAttempts: 3,
    };
  });

  afterAll(() => sandbox.close());

  it('reads the truth and the shape of the organization from the sandbox', async () => {
    const state = await sandbox.state();
    const truth = truthOf(state);
    const shape = shapeOf(state);
    expect(truth.has(sandbox.managementAccountId)).toBe(false);
    expect(truth.size).toBeLessThanOrEqual(60);
    expect(shape.listedAccounts).toBe(61);
    expect(shape.accountsPerParent.reduce((a, b) => a + b, 0)).toBe(61);
    expect(shape.ouDepth).toBe(2);
  });

  it('the sequential loop audits a sample and extrapolates the rest', async () => {
    const outcome = await runSequentialLoop(context, { sample: 10 });
    const truth = truthOf(await sandbox.state());
    expect(outcome.attemptedAccounts).toBe(10);
    expect(outcome.extrapolation?.wallMs).toBeGreaterThan(outcome.measuredWallMs);
    const sample = [...truth.keys()].slice(0, 10);
    expect(compareRecorded(truth, outcome.recorded, sample)).toMatchObject({
      correct: 10,
      wrong: 0,
      missing: 0,
    });
  });

  it('the unbounded burst records every account', async () => {
    const outcome = await runUnboundedBurst(context);
    const truth = truthOf(await sandbox.state());
    expect(compareRecorded(truth, outcome.recorded)).toMatchObject({
      correct: truth.size,
      wrong: 0,
      missing: 0,
    });
    expect(outcome.completionsMs).toHaveLength(truth.size);
  });

  it('under injected faults, never records a wrong posture', async () => {
    await sandbox.setFaults({ seed: 3, throttle: 0.2, serviceFailure: 0.05 });
    const before = countsOf(await sandbox.metricsSummary());
    const outcome = await runUnboundedBurst(context);
    const after = countsOf(await sandbox.metricsSummary());
    await sandbox.setFaults({});
    const result = compareRecorded(truthOf(await sandbox.state()), outcome.recorded);
    expect(result.wrong).toBe(0);
    expect(result.correct + result.missing).toBe(result.expected);
    expect(outcome.sdkRetries).toBeGreaterThan(0);
    // The sandbox process counted the injected faults the burst retried.
    expect(after.throttled - before.throttled).toBeGreaterThan(0);
  });
});
