/** The two baselines against a small sandbox organization, without latency. */
import { startSandbox, type Sandbox } from '../../sandbox';
import { compareRecorded } from '../../bench/correctness';
import { shapeOf, truthOf } from '../../bench/sandbox-view';
import type { StrategyContext } from '../../bench/strategies/context';
import { runSequentialLoop } from '../../bench/strategies/sequential-loop';
import { runUnboundedBurst } from '../../bench/strategies/unbounded-burst';

describe('baseline strategies', () => {
  let sandbox: Sandbox;
  let context: StrategyContext;

  beforeAll(async () => {
    sandbox = await startSandbox({ organization: { generate: { accounts: 60, seed: 7 } } });
    context = {
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.managementCredentials,
      timeLimitMs: 30_000,
      maxAttempts: 3,
    };
  });

  afterAll(() => sandbox.close());

  it('reads the truth and the shape of the organization from the sandbox', () => {
    const truth = truthOf(sandbox.state);
    const shape = shapeOf(sandbox.state);
    expect(truth.has(sandbox.managementAccountId)).toBe(false);
    expect(truth.size).toBeLessThanOrEqual(60);
    expect(shape.listedAccounts).toBe(61);
    expect(shape.accountsPerParent.reduce((a, b) => a + b, 0)).toBe(61);
    expect(shape.ouDepth).toBe(2);
  });

  it('the sequential loop audits a sample and extrapolates the rest', async () => {
    const outcome = await runSequentialLoop(context, { sample: 10 });
    const truth = truthOf(sandbox.state);
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
    const truth = truthOf(sandbox.state);
    expect(compareRecorded(truth, outcome.recorded)).toMatchObject({
      correct: truth.size,
      wrong: 0,
      missing: 0,
    });
    expect(outcome.completionsMs).toHaveLength(truth.size);
  });

  it('under injected faults, never records a wrong posture', async () => {
    sandbox.setFaults({ seed: 3, throttle: 0.2, serviceFailure: 0.05 });
    const outcome = await runUnboundedBurst(context);
    sandbox.setFaults({});
    const result = compareRecorded(truthOf(sandbox.state), outcome.recorded);
    expect(result.wrong).toBe(0);
    expect(result.correct + result.missing).toBe(result.expected);
    expect(outcome.sdkRetries).toBeGreaterThan(0);
  });
});
