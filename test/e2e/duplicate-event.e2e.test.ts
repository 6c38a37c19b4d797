import { createAccountResultEvent } from '../../local/main-job/account-events';
import { remainingCredentials } from '../../local/main-job/checks';
import { closeE2eStacks, E2E_START_TIMEOUT_MS, startE2eStack, type E2eStack } from './support/e2e-stack';
import { allowLoopbackOnly } from './support/loopback-guard';

allowLoopbackOnly();

const MANAGEMENT = '100000000001';
const NEW_ACCOUNT = '210000000021';

let e2e: E2eStack;

beforeAll(async () => {
  e2e = await startE2eStack({
    sandbox: {
      organization: {
        managementAccount: { id: MANAGEMENT },
        features: { rootCredentialsManagement: true, rootSessions: true },
        trustedAccess: ['iam.amazonaws.com'],
        // Created before the feature was on: it still has a password and a key to remove.
        accounts: [
          {
            id: NEW_ACCOUNT,
            name: 'created-early',
            rootCredentials: { loginProfile: true, accessKeys: [{ accessKeyId: 'AKIAE2EDUPLICATE0001' }] },
          },
        ],
      },
    },
  });
}, E2E_START_TIMEOUT_MS);

afterAll(async () => {
  await closeE2eStacks();
});

test('a CreateAccountResult delivered three times leads to one remediation', async () => {
  const event = createAccountResultEvent({
    accountId: NEW_ACCOUNT,
    accountName: 'created-early',
    managementAccountId: MANAGEMENT,
  });
  // At-least-once delivery: the very same event (same id, same CloudTrail eventID), three times, at once.
  for (let delivery = 0; delivery < 3; delivery += 1) e2e.stack.bus.publish(event);
  await e2e.stack.bus.drain();
  const executionArns = e2e.stack.bus.events
    .filter((recorded) => recorded.event.id === event.id)
    .flatMap((recorded) => recorded.deliveries.map((delivery) => delivery.executionArn));
  expect(executionArns).toHaveLength(3);
  await e2e.stack.stepFunctions.waitForIdle();

  const outcomes = (await Promise.all(executionArns.map((arn) => e2e.executionOfArn(arn ?? '')))).map(
    (execution) => execution.output?.outcome,
  );
  expect(outcomes.sort()).toEqual(['REMEDIATED', 'SKIPPED', 'SKIPPED']);
  expect(remainingCredentials(e2e.stack.sandbox, NEW_ACCOUNT)).toEqual([]);

  // The sandbox saw one deletion of each credential, and one delete session.
  const metrics = e2e.stack.sandbox.metrics;
  expect(metrics.count({ action: 'DeleteLoginProfile' })).toBe(1);
  expect(metrics.count({ action: 'DeleteAccessKey' })).toBe(1);
  expect(
    e2e.stack.sandbox.state.sessions().filter((session) => session.task === 'IAMDeleteRootUserCredentials'),
  ).toHaveLength(1);

  const runs = await e2e.runsOf(NEW_ACCOUNT);
  expect(
    runs
      .map((run) =>
        [run.outcome, run.outcomeReason].filter((part) => typeof part === 'string' && part !== '').join(' '),
      )
      .sort(),
  ).toEqual(['REMEDIATED', 'SKIPPED DUPLICATE_REQUEST', 'SKIPPED DUPLICATE_REQUEST']);
  const claims = (await e2e.items()).filter((item) => String(item.PK).startsWith('REQUEST#'));
  expect(claims).toEqual([
    expect.objectContaining({ PK: `REQUEST#${String(event.detail.eventID)}`, SK: 'CLAIM' }),
  ]);
  expect(await e2e.leaks()).toEqual([]);
});
