import type { SFNClient } from '@aws-sdk/client-sfn';
import { SelfApprovalError, ApproverNotAllowedError } from '../../lambdas/root-access/approval';
import { KEYS_IN_USE_NOT_APPROVED_REASON } from '../../lambdas/root-access/remediation-run';
import { readRunProgress } from '../../cli/remediation-run';
import type { RemediationPlan } from '../../lambdas/root-access/remediation-plan';
import { startStepFunctionsApiClient, type StepFunctionsApiClient } from '../local/step-functions/api-client';
import { goAheadThroughFunction } from './decide-approval';
import { FakeOrganization, type RootUser } from './fake-organization';
import { planOf, type PlanEntry } from './remediation-plans';
import { expectNoSessionSecrets } from './secret-scan';
import { MANAGEMENT_ACCOUNT, REGION, WorkflowHarness } from './workflow-harness';
import { runOf as recordedRun, startPlannedRun, waitingForGoAhead as waitingFor } from './remediation-runs';

const REQUESTER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/AWSReservedSSO_OnCall_0a1b2c3d/alice@example.com`;
const APPROVER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/Approvers/bob@example.com`;
const OUTSIDER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/Developers/carol@example.com`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const account = (n: number) => `5100000000${String(n).padStart(2, '0')}`;
const dirty = (id: string): RootUser => ({
  password: true,
  accessKeys: [`AKIA${id}0XYZ`.slice(0, 20)],
  signingCertificates: [],
  mfaSerials: [],
});
const gone: RootUser = { password: false, accessKeys: [], signingCertificates: [], mfaSerials: [] };

/**
 * The Remediate organization workflow with approvals on for deleting root
 * credentials: every go-ahead is an approver's, given through the Decide
 * approval function, and keys in use are deleted only after one.
 */
describe('Remediate organization with approvals on', () => {
  let org: FakeOrganization;
  let harness: WorkflowHarness;
  let client: StepFunctionsApiClient;
  let sfn: SFNClient;
  let goAhead: ReturnType<typeof goAheadThroughFunction>;
  let runs = 0;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start({
      approvals: { deleteRootCredentials: true, unlockS3: false, unlockSqs: false, enableRecovery: false },
      approverPrincipals: [`arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/Approvers`],
    });
    client = await startStepFunctionsApiClient(harness.runner, REGION);
    sfn = client.sfn;
    goAhead = goAheadThroughFunction(harness, sfn);
    // Synthesizing and loading the stack takes a while on a busy machine.
  }, 180_000);

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

  async function start(plan: RemediationPlan, entries: PlanEntry[], input: Record<string, unknown> = {}) {
    runs += 1;
    return startPlannedRun(harness, org, `remediate-approved-${runs}`, plan, entries, {
      requestedBy: REQUESTER,
      reason: 'roll out centralized root access',
      ...input,
    });
  }

  const waitingForGoAhead = (executionArn: string) => waitingFor(harness, sfn, executionArn);
  const runOf = (accountId: string, executionArn: string) => recordedRun(harness, accountId, executionArn);

  const inUse = (entry: { accountId: string; root: RootUser }): PlanEntry => {
    const [key] = entry.root.accessKeys as [string];
    const keyLastUsed = new Map([[key, { date: new Date(Date.now() - 3600_000), service: 'lambda' }]]);
    for (const [id, used] of keyLastUsed) org.keyLastUsed.set(id, used);
    return { ...entry, keyLastUsed };
  };

  it('refuses the requester’s own go-ahead and an outsider’s; records the approver’s', async () => {
    const entries = [1, 2].map((n) => ({ accountId: account(n), root: dirty(account(n)) }));
    const { run, executionArn } = await start(planOf(entries, [1, 1]), entries);
    const pending = await waitingForGoAhead(executionArn);
    expect(pending.detail).toMatchObject({
      nextWave: 2,
      approverRequired: true,
      approverPrincipals: [`arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/Approvers`],
    });
    const at = new Date('2026-11-30T01:00:00Z');
    await expect(
      goAhead({ executionArn, giverArn: REQUESTER, reason: 'my own canary looks fine', now: at }),
    ).rejects.toThrow(SelfApprovalError);
    await expect(
      goAhead({ executionArn, giverArn: OUTSIDER, reason: 'looks fine', now: at }),
    ).rejects.toThrow(ApproverNotAllowedError);
    await sleep(100);
    expect(org.root(account(2))).toEqual(dirty(account(2)));

    await goAhead({ executionArn, giverArn: APPROVER, reason: 'canary checked', now: at });
    expect((await harness.runner.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    const progress = await readRunProgress(harness.table, 'results', run, executionArn);
    expect(progress).toMatchObject({ outcome: 'COMPLETED', totals: { done: 2 } });
    expect(progress?.goAheads).toEqual([
      `2026-11-30T01:00:00.000Z go-ahead: wave 2 by ${APPROVER} (canary checked)`,
    ]);
    expect(org.root(account(2))).toEqual(gone);
  });

  it('waits for an approver before the first wave of a plan that deletes keys in use; deletes them once given', async () => {
    const entry = inUse({ accountId: account(1), root: dirty(account(1)) });
    // A soak time between waves does not skip the approval of keys in use.
    const { executionArn } = await start(planOf([entry], [1]), [entry], { soakSeconds: 60 });
    const pending = await waitingForGoAhead(executionArn);
    expect(pending.detail).toMatchObject({ nextWave: 1, deletesKeysInUse: true, approverRequired: true });
    await sleep(100);
    expect(org.root(account(1))).toEqual(dirty(account(1)));
    await expect(
      goAhead({ executionArn, giverArn: REQUESTER, reason: 'I confirmed', now: new Date() }),
    ).rejects.toThrow(SelfApprovalError);

    // No reason: --continue does not require one.
    await goAhead({ executionArn, giverArn: APPROVER, reason: '', now: new Date() });
    expect((await harness.runner.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(await runOf(account(1), executionArn)).toMatchObject({ outcome: 'REMEDIATED' });
    expect(org.root(account(1))).toEqual(gone);
  });

  it('refuses, account by account, a key in use the plan deletes without flagging it, before any approver’s go-ahead', async () => {
    const entry = inUse({ accountId: account(1), root: dirty(account(1)) });
    // The plan file is the requester's: here edited so that nothing says it deletes a key in use.
    const plan = planOf([entry], [1]);
    const edited: RemediationPlan = {
      ...plan,
      waves: plan.waves.map((wave) => ({
        ...wave,
        accounts: wave.accounts.map((planned) => ({ ...planned, risks: [] })),
      })),
    };
    const { run, executionArn } = await start(edited, [entry]);
    expect((await harness.runner.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    const [key] = entry.root.accessKeys as [string];
    expect(await runOf(account(1), executionArn)).toMatchObject({
      outcome: 'SKIPPED',
      outcomeReason: `${KEYS_IN_USE_NOT_APPROVED_REASON} (${key})`,
      actions: '[]',
    });
    expect(org.root(account(1))).toEqual(dirty(account(1)));
    expect((await readRunProgress(harness.table, 'results', run, executionArn))?.totals).toMatchObject({
      skipped: 1,
      done: 0,
    });
  });
});
