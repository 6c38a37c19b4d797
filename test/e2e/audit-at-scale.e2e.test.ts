import { eligibleAccountIds } from '../../local/main-job/checks';
import { closeE2eStacks, E2E_START_TIMEOUT_MS, startE2eStack, type E2eStack } from './support/e2e-stack';
import { allowLoopbackOnly } from './support/loopback-guard';

allowLoopbackOnly();

const ACCOUNTS = 500;
let e2e: E2eStack;
const figures: string[] = [];

beforeAll(async () => {
  e2e = await startE2eStack({
    sandbox: {
      organization: { generate: { accounts: ACCOUNTS, seed: 42 } },
      // Every service throttles one call in five; IAM fails one in a hundred.
      faults: { seed: 42, throttle: 0.2, serviceFailure: 0.01 },
    },
  });
}, E2E_START_TIMEOUT_MS);

afterAll(async () => {
  await closeE2eStacks();
  // Printed after the capture of the handlers' logs has stopped.
  if (figures.length > 0) console.log(figures.join('\n'));
});

interface PostureFlags {
  passwordPresent: boolean;
  accessKeysPresent: boolean;
  signingCertificatesPresent: boolean;
  mfaEnabled: boolean;
}

test(`an audit of ${ACCOUNTS} accounts under throttling and ServiceFailure records every posture correctly`, async () => {
  e2e.stack.sandbox.metrics.reset();
  const started = Date.now();
  const execution = await e2e.run('auditOrganization', { requestedBy: 'e2e', reason: 'audit at scale' });
  const wallMs = Date.now() - started;
  expect(execution.status).toBe('SUCCEEDED');
  expect(execution.output).toMatchObject({ outcome: 'AUDITED' });

  const items = await e2e.items();
  const postures = new Map(
    items
      .filter((item) => item.SK === 'POSTURE')
      .map((item) => [String(item.PK).replace('ACCOUNT#', ''), item]),
  );
  const eligible = eligibleAccountIds(e2e.stack.sandbox);
  const wrong: Record<string, unknown>[] = [];
  for (const id of eligible) {
    const { rootCredentials } = e2e.stack.sandbox.state.account(id);
    const truth: PostureFlags = {
      passwordPresent: rootCredentials.loginProfile !== undefined,
      accessKeysPresent: rootCredentials.accessKeys.length > 0,
      signingCertificatesPresent: rootCredentials.signingCertificates.length > 0,
      mfaEnabled: rootCredentials.mfaDevices.some((device) => device.assigned),
    };
    const item = postures.get(id);
    const recorded =
      typeof item?.posture === 'string' ? (JSON.parse(item.posture) as PostureFlags) : undefined;
    const same =
      recorded !== undefined &&
      (Object.keys(truth) as (keyof PostureFlags)[]).every((key) => recorded[key] === truth[key]) &&
      item?.credentialsPresent === Object.values(truth).some(Boolean);
    if (!same) {
      // Enough to diagnose: what was recorded, the truth, and every run of the account.
      const runs = items.filter((run) => run.PK === `ACCOUNT#${id}` && run.SK !== 'POSTURE');
      wrong.push({ id, recorded, truth, runs: runs.map((run) => [run.outcome, run.error, run.errorCause]) });
    }
  }
  const summary = items.find((item) => item.PK === 'ORGANIZATION');
  expect({ missingOrWrong: wrong, extra: postures.size - eligible.length, summary }).toEqual({
    missingOrWrong: [],
    extra: 0,
    summary: expect.objectContaining({ outcome: 'AUDITED', audited: eligible.length, failed: 0 }) as unknown,
  });

  const metrics = e2e.stack.sandbox.metrics.summary();
  const runner = e2e.stack.stepFunctions.metrics(execution.executionArn);
  figures.push(
    `Audit of ${eligible.length} eligible accounts (${ACCOUNTS} generated) with 20% throttling and 1% ServiceFailure:`,
    `  wall time            ${wallMs} ms (${(wallMs / eligible.length).toFixed(1)} ms per account)`,
    `  AWS calls            ${metrics.total} (${(metrics.total / eligible.length).toFixed(2)} per account; floor 2)`,
    `  retried calls        ${metrics.throttled + metrics.faults} (throttled ${metrics.throttled}, faults ${metrics.faults})`,
    `  by action            ${Object.entries(metrics.byAction)
      .map(([action, n]) => `${action} ${n}`)
      .join(', ')}`,
    `  Step Functions       ${runner.executions} executions, ${runner.stateTransitions} state transitions, ${runner.lambdaInvocations} Lambda invocations`,
  );
}, 180_000);
