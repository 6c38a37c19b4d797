import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KEY_IN_USE_OUTCOME } from '../../lambdas/root-access/delete-credentials';
import { readRunProgress, savePlan } from '../../cli/remediation-run';
import { WORKFLOWS } from '../../lib/workflows/names';
import { remainingCredentials } from '../../local/main-job/checks';
import { waitForExecution } from '../../local/main-job/executions';
import { planFromRecordedPostures } from '../../local/main-job/rollout-step';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { allowLoopbackOnly } from './support/loopback-guard';

allowLoopbackOnly();

const ACCOUNTS = 320;
let e2e: E2eStack;
const figures: string[] = [];

beforeAll(async () => {
  e2e = await startE2eStack({
    sandbox: {
      organization: { generate: { accounts: ACCOUNTS, seed: 16, keysInUseAccounts: 12 } },
      // Every service throttles one call in five (the SDK's retries absorb it).
      faults: { seed: 16, throttle: 0.2 },
    },
  });
}, 120_000);

afterAll(async () => {
  await e2e?.close();
  if (figures.length > 0) console.log(figures.join('\n'));
});

test(`a plan over ${ACCOUNTS} accounts runs wave by wave under throttling: every account as planned, nothing else touched`, async () => {
  // Waited for longer than e2e.run does: a shared machine audits 320 accounts slowly.
  const started = await e2e.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: e2e.stack.outputs[WORKFLOWS.auditOrganization.output] ?? '',
      input: JSON.stringify({ requestedBy: 'e2e', reason: 'before the rollout' }),
    }),
  );
  const audit = await waitForExecution(e2e.sfn, started.executionArn ?? '', 480_000);
  expect(audit.output).toMatchObject({ outcome: 'AUDITED' });
  const { stack } = e2e;
  const plan = await planFromRecordedPostures(stack, new Date(), {
    canaryWaveSizes: [1, 5],
    wavePercent: 25,
  });
  const planned = plan.waves.flatMap((wave) => wave.accounts);
  expect(planned.length).toBeGreaterThan(50);
  expect(planned.filter((account) => account.keptKeys.length > 0).length).toBeGreaterThan(0);
  const outside = stack.sandbox.state
    .accounts()
    .map((account) => account.id)
    .filter((id) => !planned.some((account) => account.accountId === id));
  const before = new Map(outside.map((id) => [id, remainingCredentials(stack.sandbox, id).join(', ')]));

  const run = 'e2e-remediate-at-scale';
  const documents = DynamoDBDocumentClient.from(stack.table.client);
  await savePlan(documents, stack.table.tableName, run, plan);
  const rolloutStarted = Date.now();
  const { executionArn = '' } = await e2e.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.outputs[WORKFLOWS.remediateOrganization.output] ?? '',
      name: run,
      input: JSON.stringify({ requestedBy: 'e2e', reason: 'rollout at scale', soakSeconds: 1 }),
    }),
  );
  const execution = await waitForExecution(e2e.sfn, executionArn, 480_000);
  const wallMs = Date.now() - rolloutStarted;
  expect(execution.status).toBe('SUCCEEDED');

  const items = await e2e.items();
  const wrong: Record<string, unknown>[] = [];
  for (const account of planned) {
    const left = remainingCredentials(stack.sandbox, account.accountId).join(', ');
    const expectedLeft = account.keptKeys.map((key) => `access key ${key.accessKeyId}`).join(', ');
    const record = items.find(
      (item) => item.PK === `ACCOUNT#${account.accountId}` && item.executionArn === executionArn,
    );
    const expected = account.keptKeys.length > 0 ? KEY_IN_USE_OUTCOME : 'REMEDIATED';
    if (left !== expectedLeft || record?.outcome !== expected)
      wrong.push({
        id: account.accountId,
        left,
        expectedLeft,
        outcome: record?.outcome,
        error: record?.errorCause,
      });
  }
  const changed = outside.filter(
    (id) => remainingCredentials(stack.sandbox, id).join(', ') !== before.get(id),
  );
  const progress = await readRunProgress(documents, stack.table.tableName, run, executionArn);
  expect({ wrong, changed, outcome: progress?.outcome, totals: progress?.totals }).toEqual({
    wrong: [],
    changed: [],
    outcome: 'COMPLETED',
    totals: expect.objectContaining({
      accounts: planned.length,
      done: planned.length,
      failed: 0,
      notReached: 0,
    }) as unknown,
  });
  expect(await e2e.leaks()).toEqual([]);
  figures.push(
    `remediate at scale: ${planned.length} planned accounts of ${ACCOUNTS}, ${plan.waves.length} waves, ${outside.length} outside the plan untouched, ${wallMs} ms`,
  );
}, 1_000_000);
