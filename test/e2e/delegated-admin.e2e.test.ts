import { SERVICE_EVENT_BUS_NAME, vendingPipelinePolicy } from '../../lib/event-patterns';
import type { BusEvent } from '../../local/eventbridge';
import {
  accountJoinedEvent,
  createAccountResultEvent,
  managedAccountUpdatedEvent,
} from '../../local/main-job/account-events';
import { remainingCredentials } from '../../local/main-job/checks';
import { buildScenario, type Scenario } from '../../local/main-job/scenario';
import { closeE2eStacks, E2E_START_TIMEOUT_MS, startE2eStack, type E2eStack } from './support/e2e-stack';
import { allowLoopbackOnly } from './support/loopback-guard';

allowLoopbackOnly();

// The realistic topology: Rootkeeper in the delegated administrator, the
// new-account events born in the management account (us-east-1 and the
// Control Tower home region), each account and region with its own buses.
const scenario: Scenario = buildScenario({ accounts: 5, seed: 7 });
const SERVICE_BUS_ARN = `arn:aws:events:us-east-1:${scenario.delegatedAdministrator.id}:event-bus/${SERVICE_EVENT_BUS_NAME}`;
let e2e: E2eStack;
let management: string;

beforeAll(async () => {
  e2e = await startE2eStack({
    sandbox: { organization: scenario.organization },
    deployment: 'delegated-admin',
    config: {
      controlTowerHomeRegion: scenario.controlTowerHomeRegion,
      vendingPrincipalArns: [scenario.vendingPrincipalArn],
    },
    identityPolicies: { [scenario.vendingPrincipalArn]: [vendingPipelinePolicy(SERVICE_BUS_ARN)] },
  });
  management = e2e.stack.sandbox.managementAccountId;
}, E2E_START_TIMEOUT_MS);

afterAll(async () => {
  await closeE2eStacks();
});

/** Emits the event where AWS would, waits for every bus, and returns what the service bus started. */
async function emit(event: BusEvent): Promise<{ outcomes: unknown[]; reachedService: boolean }> {
  const origin = e2e.stack.locations.find((l) => l.account === event.account && l.region === event.region);
  if (origin === undefined) throw new Error(`no buses in ${event.account} ${event.region}`);
  origin.bus.publish(event);
  for (let round = 0; round < 3; round += 1)
    for (const location of e2e.stack.locations) await location.bus.drain();
  const reachedService = e2e.stack.bus.events.some((recorded) => recorded.event.id === event.id);
  if (!reachedService) return { outcomes: [], reachedService };
  const executions = await e2e.executionOfEvent(event.id);
  return { outcomes: executions.map((execution) => execution.output?.outcome), reachedService };
}

test('the service, its forwarders and their accounts and regions', () => {
  expect(e2e.stack.locations.map(({ role, account, region }) => [role, account, region])).toEqual([
    ['service', scenario.delegatedAdministrator.id, 'us-east-1'],
    ['forwarder', management, 'us-east-1'],
    ['forwarder', management, scenario.controlTowerHomeRegion],
  ]);
});

test('a CreateAccountResult of the management account in us-east-1 is forwarded and secures the account', async () => {
  const event = createAccountResultEvent({
    accountId: scenario.newAccount.id,
    accountName: scenario.newAccount.name,
    managementAccountId: management,
  });
  expect(await emit(event)).toEqual({ outcomes: ['CLEAN'], reachedService: true });
  const forwarded = e2e.stack.world.judgements.at(-1);
  expect(forwarded).toMatchObject({
    principalArn: `arn:aws:iam::${management}:role/rootkeeper-event-forwarder-us-east-1`,
    decision: { allowed: true },
  });
});

test('an invited account joining is secured: its root credentials are removed', async () => {
  const { id } = scenario.invitedAccount;
  expect(remainingCredentials(e2e.stack.sandbox, id).length).toBeGreaterThan(0);
  const event = accountJoinedEvent({ accountId: id, managementAccountId: management });
  expect(await emit(event)).toEqual({ outcomes: ['REMEDIATED'], reachedService: true });
  expect(remainingCredentials(e2e.stack.sandbox, id)).toEqual([]);
});

test('Control Tower UpdateManagedAccount in its home region is forwarded and secures the account', async () => {
  const { id, name } = scenario.enrolledAccount;
  const event = managedAccountUpdatedEvent({
    accountId: id,
    accountName: name,
    managementAccountId: management,
    region: scenario.controlTowerHomeRegion,
  });
  expect(await emit(event)).toEqual({ outcomes: ['REMEDIATED'], reachedService: true });
  expect(remainingCredentials(e2e.stack.sandbox, id)).toEqual([]);
  expect(e2e.stack.world.judgements.at(-1)?.principalArn).toBe(
    `arn:aws:iam::${management}:role/rootkeeper-event-forwarder-${scenario.controlTowerHomeRegion}`,
  );
});

test('nothing runs for the deploying account or the management account', async () => {
  for (const accountId of [scenario.delegatedAdministrator.id, management]) {
    const event = accountJoinedEvent({ accountId, managementAccountId: management });
    const { outcomes } = await emit(event);
    expect(outcomes).toEqual(['SKIPPED']);
  }
  const runs = [...(await e2e.runsOf(scenario.delegatedAdministrator.id)), ...(await e2e.runsOf(management))];
  expect(runs.map((run) => run.outcome)).toEqual(['SKIPPED', 'SKIPPED']);
  expect(runs.map((run) => run.outcomeReason).sort()).toEqual(['MANAGEMENT_ACCOUNT', 'PROTECTED_ACCOUNT']);
});

describe('Account Vended', () => {
  const vended = (accountId: string, requestId: string) => ({
    Source: 'rootkeeper.vending',
    DetailType: 'Account Vended',
    Detail: JSON.stringify({ accountId, requestId, requestedBy: 'pipeline' }),
    EventBusName: 'rootkeeper',
  });

  test('a forged one, from a principal not in vendingPrincipalArns, is refused and nothing runs', async () => {
    const service = { account: e2e.stack.serviceAccountId, region: e2e.stack.region };
    const executions = e2e.stack.stepFunctions.listExecutions({}).length;
    const events = e2e.stack.bus.events.length;
    for (const forger of [
      scenario.forgerPrincipalArn,
      `arn:aws:iam::${management}:role/OrganizationAccountAccessRole`,
    ]) {
      const answer = await e2e.stack.world.putEventsAs(forger, service, [
        vended(scenario.recoveryAccount.id, 'forged'),
      ]);
      expect(answer.Entries[0]?.ErrorCode).toBe('AccessDeniedException');
    }
    await e2e.stack.bus.drain();
    expect(e2e.stack.bus.events.length).toBe(events);
    expect(e2e.stack.stepFunctions.listExecutions({}).length).toBe(executions);
  });

  test('the vending pipeline’s role is allowed, and the run goes ahead', async () => {
    const service = { account: e2e.stack.serviceAccountId, region: e2e.stack.region };
    const answer = await e2e.stack.world.putEventsAs(scenario.vendingPrincipalArn, service, [
      vended(scenario.recoveryAccount.id, 'vend-recovery'),
    ]);
    const eventId = answer.Entries[0]?.EventId;
    expect(eventId).toBeDefined();
    const executions = await e2e.executionOfEvent(eventId!);
    expect(executions.map((execution) => execution.output?.outcome)).toEqual(['CLEAN']);
  });

  test('on the default bus it is accepted from a local administrator but starts nothing', async () => {
    const service = { account: e2e.stack.serviceAccountId, region: e2e.stack.region };
    const administrator = `arn:aws:iam::${e2e.stack.serviceAccountId}:user/sandbox-delegated-admin`;
    const answer = await e2e.stack.world.putEventsAs(administrator, service, [
      { ...vended(scenario.recoveryAccount.id, 'vend-default'), EventBusName: 'default' },
    ]);
    const eventId = answer.Entries[0]?.EventId;
    expect(eventId).toBeDefined();
    await e2e.stack.bus.drain();
    const record = e2e.stack.bus.events.find((recorded) => recorded.event.id === eventId);
    expect(record?.busName).toBe('default');
    expect(record?.matchedRules).toEqual([]);
  });
});

test('no root-session secret leaked', async () => {
  // A root session of its own (a dry run changes nothing), so that the scan is not empty when this test runs alone.
  const known = e2e.recorder.secrets.size;
  const planned = await e2e.run('deleteRootCredentials', {
    accountId: scenario.recoveryAccount.id,
    dryRun: true,
    requestedBy: 'e2e',
    reason: 'a session for the secret scan',
  });
  expect(planned.status).toBe('SUCCEEDED');
  expect(e2e.recorder.secrets.size).toBeGreaterThan(known);
  expect(await e2e.leaks()).toEqual([]);
});
