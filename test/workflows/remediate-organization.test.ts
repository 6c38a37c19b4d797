import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { AssumeRootCommand } from '@aws-sdk/client-sts';
import { CREDENTIALS_CHANGED_REASON } from '../../lambdas/root-access/remediation-run';
import { readRunProgress } from '../../cli/remediation-run';
import { goAheadThroughFunction } from './decide-approval';
import { startStepFunctionsApiClient, type StepFunctionsApiClient } from '../local/step-functions/api-client';
import { FakeOrganization, type RootUser } from './fake-organization';
import { planOf, type PlanEntry } from './remediation-plans';
import { expectNoSessionSecrets } from './secret-scan';
import { MANAGEMENT_ACCOUNT, REGION, WorkflowHarness } from './workflow-harness';
import { runOf as recordedRun, startPlannedRun, waitingForGoAhead as waitingFor } from './remediation-runs';

const REQUESTER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/AWSReservedSSO_OnCall_0a1b2c3d/alice@example.com`;
const account = (n: number) => `5000000000${String(n).padStart(2, '0')}`;
const dirty = (id: string, keys = 1): RootUser => ({
  password: true,
  accessKeys: Array.from({ length: keys }, (_, k) => `AKIA${id}${k}XYZ`.slice(0, 20)),
  signingCertificates: [],
  mfaSerials: [`arn:aws:iam::${id}:mfa/root-account-mfa-device`],
});
const gone: RootUser = { password: false, accessKeys: [], signingCertificates: [], mfaSerials: [] };

/** The Remediate organization workflow on the local runner, its plan saved as the CLI saves it. */
describe('Remediate organization workflow', () => {
  let org: FakeOrganization;
  let harness: WorkflowHarness;
  let client: StepFunctionsApiClient;
  let sfn: SFNClient;
  let runs = 0;
  let goAhead: ReturnType<typeof goAheadThroughFunction>;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start();
    client = await startStepFunctionsApiClient(harness.runner, REGION);
    sfn = client.sfn;
    goAhead = goAheadThroughFunction(harness, sfn);
  });

  afterAll(async () => {
    await client.close();
    await harness.close();
    org.restore();
  });

  beforeEach(() => {
    org.reset();
    org.add(MANAGEMENT_ACCOUNT);
  });

  afterEach(async () => {
    await expectNoSessionSecrets(harness, org);
  });

  /** Adds the accounts, saves their plan and starts the run. */
  async function start(entries: PlanEntry[], waveSizes: number[], input: Record<string, unknown> = {}) {
    runs += 1;
    return startPlannedRun(harness, org, `remediate-${runs}`, planOf(entries, waveSizes), entries, {
      requestedBy: REQUESTER,
      reason: 'roll out centralized root access',
      ticket: 'CHG-1',
      ...input,
    });
  }

  const waitingForGoAhead = (executionArn: string) => waitingFor(harness, sfn, executionArn);
  const runOf = (accountId: string, executionArn: string) => recordedRun(harness, accountId, executionArn);

  const progressOf = async (run: string, executionArn: string) => {
    const progress = await readRunProgress(harness.table, 'results', run, executionArn);
    if (progress === undefined) throw new Error('no saved plan');
    return progress;
  };

  it('runs the canary, waits for the go-ahead, then the rest; every account recorded', async () => {
    const entries = [1, 2, 3].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    const outside = account(9);
    org.add(outside, dirty(outside));
    const { run, executionArn } = await start(entries, [1, 2]);

    const pending = await waitingForGoAhead(executionArn);
    expect(pending.detail).toMatchObject({
      run,
      nextWave: 2,
      nextWaveAccounts: 2,
      finishedWave: { wave: 1, accounts: 1, failed: 0, stop: false },
      continueCommand: `rootkeeper remediate --continue ${run}`,
    });
    expect(org.root(account(1))).toEqual(gone);
    expect(org.root(account(2))).toEqual(dirty(account(2)));
    const halfway = await progressOf(run, executionArn);
    expect(halfway.outcome).toBe('RUNNING');
    expect(halfway.waves.map((wave) => [wave.number, wave.done, wave.notReached])).toEqual([
      [1, [account(1)], []],
      [2, [], [account(2), account(3)]],
    ]);

    // Approvals off: the requester may continue their own run, through the Decide approval function.
    const given = await goAhead({
      executionArn,
      giverArn: REQUESTER,
      reason: 'canary fine',
      now: new Date('2026-11-29T21:00:00Z'),
    });
    expect(given).toMatchObject({ decision: 'APPROVED', by: REQUESTER, wave: 2 });
    await expect(
      goAhead({ executionArn, giverArn: REQUESTER, reason: 'again', now: new Date() }),
    ).rejects.toThrow(/given already|not waiting/);
    const record = await harness.runner.waitForExecution(executionArn);
    expect(record.status).toBe('SUCCEEDED');
    for (const n of [1, 2, 3]) {
      expect(org.root(account(n))).toEqual(gone);
      expect(await runOf(account(n), executionArn)).toMatchObject({
        workflow: 'RemediateOrganization',
        outcome: 'REMEDIATED',
        requestedBy: REQUESTER,
        ticket: 'CHG-1',
      });
      const [posture] = await harness.query(`ACCOUNT#${account(n)}`, 'POSTURE');
      expect(posture?.credentialsPresent).toBe(false);
    }
    // Nothing outside the plan: no root session, credentials untouched.
    expect(org.root(outside)).toEqual(dirty(outside));
    expect(
      org.sts
        .commandCalls(AssumeRootCommand)
        .filter((call) => call.args[0].input.TargetPrincipal === outside),
    ).toHaveLength(0);
    const done = await progressOf(run, executionArn);
    expect(done).toMatchObject({
      outcome: 'COMPLETED',
      totals: { accounts: 3, done: 3, skipped: 0, failed: 0, notReached: 0 },
    });
    expect(done.goAheads).toEqual([
      `2026-11-29T21:00:00.000Z go-ahead: wave 2 by ${REQUESTER} (canary fine)`,
    ]);
    const [summary] = await harness.query('ORGANIZATION', 'RUN#');
    expect(summary).toMatchObject({ workflow: 'RemediateOrganization', outcome: 'COMPLETED', done: 3 });
    expect(JSON.parse(String(summary?.waves))).toHaveLength(2);
  });

  it('refuses a go-ahead sent straight to Step Functions (no recorded decision): stops, says why, touches nothing more', async () => {
    const entries = [1, 2].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    const { run, executionArn } = await start(entries, [1, 1]);
    const pending = await waitingForGoAhead(executionArn);
    // Anyone holding states:SendTaskSuccess (wildcard-only in IAM) who read the token from the history.
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: pending.taskToken,
        output: JSON.stringify({ by: 'arn:aws:iam::111111111111:user/mallory', at: '', reason: 'go' }),
      }),
    );
    const record = await harness.runner.waitForExecution(executionArn);
    expect(record.status).toBe('SUCCEEDED');
    const progress = await progressOf(run, executionArn);
    expect(progress.outcome).toBe('STOPPED');
    expect(progress.outcomeReason).toMatch(
      /without the Decide approval function .*direct SendTaskSuccess.*refused/,
    );
    expect(progress.goAheads).toEqual([]);
    expect(progress.totals).toMatchObject({ done: 1, notReached: 1 });
    expect(org.root(account(2))).toEqual(dirty(account(2)));
    expect(await runOf(account(2), executionArn)).toBeUndefined();
  });

  it('without approvals, runs a plan that deletes a key in use without waiting (the requester confirmed it)', async () => {
    const id = account(1);
    const root = dirty(id);
    const [inUse] = root.accessKeys as [string];
    const keyLastUsed = new Map([[inUse, { date: new Date(Date.now() - 3600_000), service: 'ec2' }]]);
    for (const [key, used] of keyLastUsed) org.keyLastUsed.set(key, used);
    const { executionArn } = await start([{ accountId: id, root, keyLastUsed }], [1]);
    const record = await harness.runner.waitForExecution(executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(await runOf(id, executionArn)).toMatchObject({ outcome: 'REMEDIATED' });
    expect(org.root(id)).toEqual(gone);
  });

  it('proceeds after the soak time without asking', async () => {
    const entries = [1, 2].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    const { run, executionArn } = await start(entries, [1, 1], { soakSeconds: 1800 });
    const record = await harness.runner.waitForExecution(executionArn);
    expect(`${record.status} ${record.error ?? ''} ${record.cause ?? ''}`).toBe('SUCCEEDED  ');
    expect(
      record.history.some(
        (event) => event.type === 'WaitStateEntered' && event.details?.name === 'Soak before the next wave',
      ),
    ).toBe(true);
    expect(
      harness.runner.publishedEvents.filter(
        (event) =>
          event.DetailType === 'Remediation Go-Ahead Requested' &&
          String(event.Detail).includes(`"run":"${run}"`),
      ),
    ).toEqual([]);
    expect((await progressOf(run, executionArn)).totals).toMatchObject({ done: 2, notReached: 0 });
    expect(org.root(account(2))).toEqual(gone);
  });

  it('stops by itself when a wave fails too often, and says why; later waves not reached', async () => {
    const entries = [1, 2, 3, 4, 5, 6].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    // Wave 2 (five accounts): two denied = 40 %, above the 20 % default.
    org.iamDenied.add(account(2)).add(account(3));
    const { run, executionArn } = await start(entries, [1, 5], { soakSeconds: 1 });
    const record = await harness.runner.waitForExecution(executionArn);
    expect(record.status).toBe('SUCCEEDED');
    const progress = await progressOf(run, executionArn);
    expect(progress.outcome).toBe('STOPPED');
    expect(progress.outcomeReason).toBe('wave 2: 2 of 5 accounts failed (40 %), above the 20 % threshold');
    expect(progress.waves[1]?.failed.sort()).toEqual([account(2), account(3)]);
    expect(await runOf(account(2), executionArn)).toMatchObject({
      outcome: 'FAILED',
      error: 'RootAccessDeniedError',
    });
  });

  it('does not start the next wave after a stop', async () => {
    const entries = [1, 2, 3].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    org.iamDenied.add(account(1));
    const { run, executionArn } = await start(entries, [1, 2], { failureThresholdPercent: 0 });
    await harness.runner.waitForExecution(executionArn);
    const progress = await progressOf(run, executionArn);
    expect(progress).toMatchObject({ outcome: 'STOPPED', totals: { failed: 1, notReached: 2 } });
    expect(progress.waves[1]?.notReached).toEqual([account(2), account(3)]);
    expect(org.root(account(2))).toEqual(dirty(account(2)));
    expect(await runOf(account(2), executionArn)).toBeUndefined();
  });

  it('refuses an account whose credentials changed since the plan: SKIPPED, nothing deleted', async () => {
    const entries = [1, 2, 3].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    const { run, executionArn } = await start(entries, [3], { soakSeconds: 1 });
    // The plan was saved; then a new key appears in one account and another key is used.
    org.root(account(2)).accessKeys.push('AKIANEWKEY0000000002');
    org.keyLastUsed.set(dirty(account(3)).accessKeys[0] ?? '', { date: new Date(), service: 's3' });
    await harness.runner.waitForExecution(executionArn);
    for (const n of [2, 3]) {
      expect(await runOf(account(n), executionArn)).toMatchObject({
        outcome: 'SKIPPED',
        outcomeReason: CREDENTIALS_CHANGED_REASON,
        actions: '[]',
      });
    }
    expect(org.root(account(2)).password).toBe(true);
    expect(org.root(account(3))).toEqual(dirty(account(3)));
    expect(org.root(account(1))).toEqual(gone);
    expect((await progressOf(run, executionArn)).totals).toMatchObject({ done: 1, skipped: 2, failed: 0 });
  });

  it('keeps the access key the plan keeps (in use) and deletes the rest: KEY_IN_USE', async () => {
    const id = account(1);
    const root = dirty(id, 2);
    const [inUse, unused] = root.accessKeys as [string, string];
    const keyLastUsed = new Map([[inUse, { date: new Date('2026-11-28T10:00:00Z'), service: 'ec2' }]]);
    for (const [key, used] of keyLastUsed) org.keyLastUsed.set(key, used);
    const { run, executionArn } = await start([{ accountId: id, root, keyLastUsed, keep: [inUse] }], [1]);
    await harness.runner.waitForExecution(executionArn);
    expect(org.root(id)).toEqual({
      password: false,
      accessKeys: [inUse],
      signingCertificates: [],
      mfaSerials: [],
    });
    const recorded = await runOf(id, executionArn);
    expect(recorded).toMatchObject({ outcome: 'KEY_IN_USE' });
    expect(String(recorded?.outcomeReason)).toContain(`${inUse} (last used 2026-11-28T10:00:00.000Z by ec2)`);
    const actions = JSON.parse(String(recorded?.actions)) as { action: string; target?: string }[];
    expect(actions.filter((action) => action.action === 'DeleteAccessKey')).toEqual([
      { action: 'DeleteAccessKey', target: unused, result: 'DONE' },
    ]);
    expect((await progressOf(run, executionArn)).totals).toMatchObject({ done: 1, accountsWithKeysKept: 1 });
  });
});
