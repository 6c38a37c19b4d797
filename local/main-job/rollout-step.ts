import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_IN_USE_OUTCOME } from '../../lambdas/root-access/delete-credentials';
import type { Posture } from '../../lambdas/root-access/posture';
import type { RemediationPlan } from '../../lambdas/root-access/remediation-plan';
import { buildRemediationPlan } from '../../lambdas/root-access/remediation-planning';
import { requestGoAhead } from '../../cli/decision-client';
import { pendingGoAheadOf, readRunProgress, savePlan } from '../../cli/remediation-run';
import { KEY_PREFIX, POSTURE } from '../../lib/results-table-keys';
import { WORKFLOWS } from '../../lib/workflows/names';
import type { LocalStack } from '../local-stack';
import { remainingCredentials } from './checks';
import { waitForExecution } from './executions';
import { readResultItems } from './results-report';

/**
 * The organization rollout, as the README's runbook does it: a plan built
 * from the postures the audit recorded, saved and executed by the Remediate
 * organization workflow; the canary wave runs, the job checks it against
 * the sandbox and gives the go-ahead through the Decide approval function
 * (what `rootkeeper remediate --continue` sends), then the rest. Checked: every planned account ends as planned in
 * the sandbox (only its kept keys in use left), its run's outcome says so,
 * and no account outside the plan changed.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plan over every recorded posture (the deploying account left out); small waves unless told otherwise. */
export async function planFromRecordedPostures(
  stack: LocalStack,
  now: Date,
  waves: { canaryWaveSizes: number[]; wavePercent: number } = { canaryWaveSizes: [1], wavePercent: 100 },
): Promise<RemediationPlan> {
  const items = await readResultItems(stack.table.client, stack.table.tableName);
  const postures = items
    .filter((item) => item.SK === POSTURE && typeof item.posture === 'string')
    .map((item) => ({
      accountId: String(item.PK).slice(KEY_PREFIX.account.length),
      posture: JSON.parse(String(item.posture)) as Posture,
      recordedAt: String(item.checkedAt),
    }));
  return buildRemediationPlan({
    scope: { all: true },
    settings: { keyInUseDays: 90, includeKeysInUse: false, ...waves, maxPostureAgeHours: 24 },
    now,
    postures,
    notPlanned: [{ accountId: stack.serviceAccountId, reason: 'the deploying account' }],
  });
}

export async function rolloutInWaves(
  stack: LocalStack,
  sfn: SFNClient,
  requestedBy: string,
): Promise<[string, string[]]> {
  const problems: string[] = [];
  const plan = await planFromRecordedPostures(stack, new Date());
  const planned = plan.waves.flatMap((wave) => wave.accounts);
  if (plan.waves.length < 2)
    return ['no plan with two waves to run', ['the audit left fewer than two accounts to remediate']];
  if (!planned.some((account) => account.keptKeys.length > 0))
    problems.push('no planned account keeps a key in use');
  const outside = stack.sandbox.state
    .accounts()
    .map((account) => account.id)
    .filter((id) => !planned.some((account) => account.accountId === id));
  const before = new Map(outside.map((id) => [id, remainingCredentials(stack.sandbox, id).join(', ')]));

  const run = `main-job-rollout-${Date.now()}`;
  const tableName = stack.table.tableName;
  const documents = DynamoDBDocumentClient.from(stack.table.client);
  await savePlan(documents, tableName, run, plan);
  const started = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.outputs[WORKFLOWS.remediateOrganization.output] ?? '',
      name: run,
      input: JSON.stringify({
        requestedBy,
        reason: 'main job: roll out centralized root access',
        ticket: 'MAIN-16',
      }),
    }),
  );
  const executionArn = started.executionArn ?? '';
  let pending = await pendingGoAheadOf(sfn, executionArn);
  for (let i = 0; i < 600 && pending === undefined; i += 1) {
    await sleep(50);
    pending = await pendingGoAheadOf(sfn, executionArn);
  }
  if (pending === undefined)
    return [`${run}: never waited for a go-ahead`, ['no go-ahead asked after the canary']];
  const [canary, ...later] = plan.waves;
  const notYet = later.flatMap((wave) => wave.accounts).filter((account) => account.deletions.length > 0);
  const touchedEarly = notYet.filter(
    (account) => remainingCredentials(stack.sandbox, account.accountId).length === 0,
  );
  if (touchedEarly.length > 0)
    problems.push(`changed before the go-ahead: ${touchedEarly.map((a) => a.accountId).join(', ')}`);
  // Through the Decide approval function, signed with the job's sandbox keys (approvals are off here: the requester may).
  await requestGoAhead(sfn, stack.endpoints.decideApproval, {
    executionArn,
    reason: `canary ${canary?.accounts.map((a) => a.accountId).join(', ')} checked`,
  });
  const finished = await waitForExecution(sfn, executionArn, 300_000);
  if (finished.status !== 'SUCCEEDED') problems.push(`execution ${finished.status}: ${finished.cause ?? ''}`);

  const progress = await readRunProgress(documents, tableName, run, executionArn);
  if (progress?.outcome !== 'COMPLETED')
    problems.push(`outcome ${progress?.outcome ?? 'none'}, expected COMPLETED`);
  const items = await readResultItems(stack.table.client, tableName);
  const kept: string[] = [];
  for (const account of planned) {
    const left = remainingCredentials(stack.sandbox, account.accountId);
    const expectedLeft = account.keptKeys.map((key) => `access key ${key.accessKeyId}`);
    if (left.join(', ') !== expectedLeft.join(', '))
      problems.push(
        `${account.accountId}: sandbox has ${left.join(', ') || 'nothing'}, plan leaves ${expectedLeft.join(', ') || 'nothing'}`,
      );
    const record = items.find(
      (item) => item.PK === `${KEY_PREFIX.account}${account.accountId}` && item.executionArn === executionArn,
    );
    const expected = account.keptKeys.length > 0 ? KEY_IN_USE_OUTCOME : 'REMEDIATED';
    if (record?.outcome !== expected)
      problems.push(
        `${account.accountId}: run ${typeof record?.outcome === 'string' ? record.outcome : 'not recorded'}, expected ${expected}`,
      );
    for (const key of account.keptKeys)
      kept.push(
        `${account.accountId} ${key.accessKeyId} (used ${key.lastUsedDate.slice(0, 10)} by ${key.lastUsedService ?? '?'})`,
      );
  }
  const changed = outside.filter(
    (id) => remainingCredentials(stack.sandbox, id).join(', ') !== before.get(id),
  );
  if (changed.length > 0) problems.push(`outside the plan, changed: ${changed.join(', ')}`);
  const totals = progress?.totals;
  const waves = (progress?.waves ?? [])
    .map((wave) => `wave ${wave.number} ${wave.kind} ${wave.done.length}/${wave.accounts} done`)
    .join(', ');
  return [
    `${run}: ${progress?.outcome ?? '?'}; ${waves}; go-ahead after the canary; ${totals?.done ?? 0} done, ${totals?.skipped ?? 0} skipped, ${totals?.failed ?? 0} failed, ${totals?.notReached ?? 0} not reached; keys in use kept: ${kept.join('; ') || 'none'}; ${plan.notPlanned.length} not planned`,
    problems,
  ];
}
