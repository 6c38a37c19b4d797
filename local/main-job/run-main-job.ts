import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SERVICE_EVENT_BUS_NAME, vendingPipelinePolicy } from '../../lib/event-patterns';
import { WORKFLOWS } from '../../lib/workflows/names';
import { startLocalStack, type LocalStack } from '../local-stack';
import type { BusEvent } from '../eventbridge';
import {
  renderApprovalRuns,
  runApprovalStepsInChild,
  type ApprovalStepResult,
  type ApprovalStepsResult,
} from './approval-steps';
import { accountJoinedEvent, createAccountResultEvent, managedAccountUpdatedEvent } from './account-events';
import { backupsOf, eligibleAccountIds, postureMismatches, remainingCredentials } from './checks';
import { runWorkflow, waitForExecution, type FinishedExecution } from './executions';
import { writeMainJobHtmlReport } from './html-report';
import { readResultItems, renderResultsReport } from './results-report';
import { rolloutInWaves } from './rollout-step';
import { buildScenario, type Scenario } from './scenario';

export interface MainJobOptions {
  /** Generated accounts besides the job's own four. Default 25. */
  readonly accounts?: number;
  readonly seed?: number;
  /** Where progress and the report go, line by line. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Show the handlers' INFO logs too (by default only their warnings and errors reach the output). */
  readonly verbose?: boolean;
  /**
   * Where the service is deployed. Default `delegated-admin`, the realistic
   * topology: events born in the management account reach it only through
   * the forwarders and the bus policy.
   */
  readonly deployment?: 'management' | 'delegated-admin';
}

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  /** What was found, in a few words. */
  readonly summary: string;
  readonly problems: readonly string[];
  readonly ms: number;
}

export interface MainJobResult {
  readonly ok: boolean;
  readonly steps: readonly StepResult[];
  readonly report: string;
  readonly wallMs: number;
}

interface JobContext {
  readonly stack: LocalStack;
  readonly scenario: Scenario;
  readonly sfn: SFNClient;
  readonly events: EventBridgeClient;
  /** The two-person steps, run once (in their own process) by the first step that needs them. */
  approvalSteps(): Promise<ApprovalStepsResult>;
}

const REQUESTED_BY = 'main-job';

function outcomeOf(execution: FinishedExecution): string {
  const outcome = execution.output?.outcome;
  return typeof outcome === 'string' ? outcome : `${execution.status} ${execution.error ?? ''}`.trim();
}

function expectOutcome(execution: FinishedExecution, expected: string): string[] {
  const actual = outcomeOf(execution);
  return actual === expected
    ? []
    : [`outcome ${actual}, expected ${expected} (${execution.cause ?? 'no cause'})`];
}

/** Waits for every bus of every account and region, until no delivery is under way. */
async function drainWorld(stack: LocalStack): Promise<void> {
  for (let round = 0; round < 5; round += 1)
    for (const location of stack.locations) await location.bus.drain();
}

/** Where an event was born, and the way it reached the service, for the report. */
function route(stack: LocalStack, event: BusEvent): string {
  const forwarded = event.account !== stack.serviceAccountId || event.region !== stack.region;
  return `born in ${event.account} ${event.region}${forwarded ? `, forwarded to ${stack.serviceAccountId} ${stack.region}` : ''}`;
}

/**
 * An AWS service event, emitted on the default bus of the account and region
 * where AWS emits it (the management account's in delegated-admin mode), and
 * the execution it started once delivered, forwarders included.
 */
async function emitServiceEvent({ stack, sfn }: JobContext, event: BusEvent): Promise<FinishedExecution> {
  const location = stack.locations.find((l) => l.account === event.account && l.region === event.region);
  if (location === undefined)
    throw new Error(`no buses in ${event.account} ${event.region}: no forwarder there`);
  location.bus.publish(event);
  return waitForExecution(sfn, await deliveredExecution(stack, event.id));
}

/** The execution a bus delivery started, once the delivery has happened. */
async function deliveredExecution(stack: LocalStack, eventId: string): Promise<string> {
  await drainWorld(stack);
  const record = stack.bus.events.find((recorded) => recorded.event.id === eventId);
  const delivery = record?.deliveries[0];
  if (delivery?.executionArn === undefined) {
    throw new Error(`event ${eventId} started no workflow: ${delivery?.error ?? 'no rule matched it'}`);
  }
  return delivery.executionArn;
}

async function newAccountEvent(context: JobContext): Promise<[string, string[]]> {
  const { stack, scenario } = context;
  const { id, name } = scenario.newAccount;
  const event = createAccountResultEvent({
    accountId: id,
    accountName: name,
    managementAccountId: stack.sandbox.managementAccountId,
  });
  const execution = await emitServiceEvent(context, event);
  const problems = expectOutcome(execution, 'CLEAN');
  return [
    `CreateAccountResult for ${id} ${name} (${route(stack, event)}): ${outcomeOf(execution)}`,
    problems,
  ];
}

async function secureJoinedAccount(
  context: JobContext,
  account: { id: string; name: string },
  event: BusEvent,
): Promise<[string, string[]]> {
  const { stack } = context;
  const before = remainingCredentials(stack.sandbox, account.id);
  const execution = await emitServiceEvent(context, event);
  const after = remainingCredentials(stack.sandbox, account.id);
  const problems = [
    ...expectOutcome(execution, 'REMEDIATED'),
    ...(after.length === 0 ? [] : [`still present in the sandbox: ${after.join(', ')}`]),
  ];
  const eventName = String(event.detail.eventName);
  return [
    `${eventName} ${account.id} ${account.name} (${route(stack, event)}): removed ${before.join(', ')}: ${outcomeOf(execution)}`,
    problems,
  ];
}

async function invitedAccountJoins(context: JobContext): Promise<[string, string[]]> {
  const { stack, scenario } = context;
  const event = accountJoinedEvent({
    accountId: scenario.invitedAccount.id,
    managementAccountId: stack.sandbox.managementAccountId,
  });
  return secureJoinedAccount(context, scenario.invitedAccount, event);
}

async function controlTowerEnrolls(context: JobContext): Promise<[string, string[]]> {
  const { stack, scenario } = context;
  const event = managedAccountUpdatedEvent({
    accountId: scenario.enrolledAccount.id,
    accountName: scenario.enrolledAccount.name,
    managementAccountId: stack.sandbox.managementAccountId,
    region: scenario.controlTowerHomeRegion,
  });
  return secureJoinedAccount(context, scenario.enrolledAccount, event);
}

/** A principal of the deploying account, not a vending principal, sends Account Vended for a clean account. */
async function forgedVendingRefused({ stack, scenario }: JobContext): Promise<[string, string[]]> {
  const target = scenario.recoveryAccount.id;
  const executionsBefore = stack.stepFunctions.listExecutions({}).length;
  const eventsBefore = stack.bus.events.length;
  const answer = await stack.world.putEventsAs(
    scenario.forgerPrincipalArn,
    { account: stack.serviceAccountId, region: stack.region },
    [
      {
        Source: 'rootkeeper.vending',
        DetailType: 'Account Vended',
        Detail: JSON.stringify({ accountId: target, requestId: `forged-${target}`, requestedBy: 'forger' }),
        EventBusName: stack.outputs.EventBusName,
      },
    ],
  );
  await drainWorld(stack);
  const [entry] = answer.Entries;
  const problems = [
    ...(entry?.ErrorCode === 'AccessDeniedException' ? [] : [`PutEvents answered ${JSON.stringify(entry)}`]),
    ...(stack.bus.events.length === eventsBefore ? [] : ['the forged event reached the bus']),
    ...(stack.stepFunctions.listExecutions({}).length === executionsBefore ? [] : ['an execution started']),
  ];
  return [`${scenario.forgerPrincipalArn}: ${entry?.ErrorCode ?? 'accepted'}, nothing ran`, problems];
}

async function auditOrganization({ stack, sfn }: JobContext): Promise<[string, string[]]> {
  const execution = await runWorkflow(sfn, stack.outputs[WORKFLOWS.auditOrganization.output] ?? '', {
    requestedBy: REQUESTED_BY,
    reason: 'main job: organization sweep',
  });
  // The deploying account is never a target: the sandbox oracle is told so, not asked.
  const eligible = eligibleAccountIds(stack.sandbox, [stack.serviceAccountId]);
  const { missing, wrong } = postureMismatches(
    stack.sandbox,
    await readResultItems(stack.table.client, stack.table.tableName),
    eligible,
  );
  const problems = [
    ...expectOutcome(execution, 'AUDITED'),
    ...(missing.length === 0 ? [] : [`no posture recorded for ${missing.join(', ')}`]),
    ...(wrong.length === 0 ? [] : [`posture differs from the sandbox for ${wrong.join(', ')}`]),
  ];
  return [`${eligible.length} eligible accounts audited: ${outcomeOf(execution)}`, problems];
}

async function unlock(context: JobContext, kind: 'S3' | 'SQS'): Promise<[string, string[]]> {
  const { stack, scenario, sfn } = context;
  const locked = scenario.lockedAccount;
  const queueUrl = `https://sqs.${locked.queueRegion}.amazonaws.com/${locked.id}/${locked.queueName}`;
  const [workflow, target, original, arn] =
    kind === 'S3'
      ? [
          WORKFLOWS.unlockS3BucketPolicy,
          { bucketName: locked.bucketName },
          locked.bucketPolicy,
          `arn:aws:s3:::${locked.bucketName}`,
        ]
      : [
          WORKFLOWS.unlockSqsQueuePolicy,
          { queueUrl },
          locked.queuePolicy,
          `arn:aws:sqs:${locked.queueRegion}:${locked.id}:${locked.queueName}`,
        ];
  const execution = await runWorkflow(sfn, stack.outputs[workflow.output] ?? '', {
    accountId: locked.id,
    ...target,
    action: 'DELETE',
    requestedBy: REQUESTED_BY,
    reason: `main job: the ${kind} policy denies everyone`,
    ticket: 'MAIN-2',
  });
  const current =
    kind === 'S3'
      ? stack.sandbox.state.bucket(locked.bucketName)?.policy
      : stack.sandbox.state.queue(locked.id, locked.queueName, locked.queueRegion)?.attributes.Policy;
  const backups = await backupsOf(stack, arn);
  const backup = backups.at(-1);
  const problems = [
    ...expectOutcome(execution, 'UNLOCKED'),
    ...(current === undefined || current === '' ? [] : ['the policy is still in place']),
    ...(backup?.policy === original ? [] : ['no backup equal to the original policy']),
  ];
  return [
    `${arn}: ${outcomeOf(execution)}, backup ${typeof backup?.backupId === 'string' ? backup.backupId : 'missing'}`,
    problems,
  ];
}

async function enableRecovery({ stack, scenario, sfn }: JobContext): Promise<[string, string[]]> {
  const { id, name } = scenario.recoveryAccount;
  const execution = await runWorkflow(sfn, stack.outputs[WORKFLOWS.enableAccountRecovery.output] ?? '', {
    accountId: id,
    requestedBy: REQUESTED_BY,
    reason: 'main job: the root mailbox owner needs to recover the account',
    ticket: 'MAIN-3',
  });
  const hasLoginProfile = stack.sandbox.state.account(id).rootCredentials.loginProfile !== undefined;
  const problems = [
    ...expectOutcome(execution, 'ENABLED'),
    ...(hasLoginProfile ? [] : ['no login profile in the sandbox']),
  ];
  return [`${id} ${name}: ${outcomeOf(execution)}`, problems];
}

const asStep = ({ summary, problems }: ApprovalStepResult): [string, string[]] => [summary, [...problems]];

const STEPS: readonly [string, (context: JobContext) => Promise<[string, string[]]>][] = [
  ['New account event (CreateAccountResult)', newAccountEvent],
  ['Secure an invited account (AccountJoinedOrganization)', invitedAccountJoins],
  ['Secure an account Control Tower enrolled (UpdateManagedAccount)', controlTowerEnrolls],
  ['Refuse a forged Account Vended', forgedVendingRefused],
  ['Audit the organization', auditOrganization],
  ['Unlock an S3 bucket policy', (context) => unlock(context, 'S3')],
  ['Unlock an SQS queue policy', (context) => unlock(context, 'SQS')],
  ['Enable account recovery', enableRecovery],
  [
    'Roll out a remediation plan in waves (canary, go-ahead, rest)',
    ({ stack, sfn }) => rolloutInWaves(stack, sfn, REQUESTED_BY),
  ],
  [
    'Unlock awaiting approval, approved by a second person',
    async (context) => asStep((await context.approvalSteps()).approved),
  ],
  ['Unlock denied by the approver', async (context) => asStep((await context.approvalSteps()).denied)],
];

/** The main job: the whole service on the embedded default, each step checked against the sandbox. */
export async function runMainJob(options: MainJobOptions = {}): Promise<MainJobResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const scenarioOptions = { accounts: options.accounts ?? 25, seed: options.seed ?? 1 };
  const scenario = buildScenario(scenarioOptions);
  write(
    `Starting the local stack: ${scenario.organization.accounts.length} member accounts (seed ${scenarioOptions.seed})`,
  );
  const deployment = options.deployment ?? 'delegated-admin';
  const stack = await startLocalStack({
    sandbox: { organization: scenario.organization },
    deployment,
    config: {
      controlTowerHomeRegion: scenario.controlTowerHomeRegion,
      vendingPrincipalArns: [scenario.vendingPrincipalArn],
    },
    identityPolicies: {
      [scenario.vendingPrincipalArn]: [
        vendingPipelinePolicy(`arn:aws:events:*:*:event-bus/${SERVICE_EVENT_BUS_NAME}`),
      ],
    },
    handlerEnvironment: options.verbose === true ? {} : { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  const clientOptions = {
    region: stack.region,
    credentials: {
      accessKeyId: stack.sandbox.managementCredentials.accessKeyId,
      secretAccessKey: stack.sandbox.managementCredentials.secretAccessKey,
    },
  };
  let approvalSteps: Promise<ApprovalStepsResult> | undefined;
  const context: JobContext = {
    stack,
    scenario,
    approvalSteps: () =>
      (approvalSteps ??= runApprovalStepsInChild({
        accounts: options.accounts ?? 25,
        seed: options.seed ?? 1,
      })),
    sfn: new SFNClient({ ...clientOptions, endpoint: stack.endpoints.stepFunctions }),
    events: new EventBridgeClient({ ...clientOptions, endpoint: stack.endpoints.eventBridge }),
  };
  const steps: StepResult[] = [];
  try {
    write(`Local stack ready in ${Date.now() - started} ms (sandbox ${stack.endpoints.sandbox})`);
    write(`Deployment ${deployment}:`);
    for (const location of stack.locations) {
      write(`  ${location.stackName.padEnd(36)} account ${location.account} region ${location.region}`);
    }
    for (const [step, run] of STEPS) {
      const stepStarted = Date.now();
      let result: StepResult;
      try {
        const [summary, problems] = await run(context);
        result = { step, ok: problems.length === 0, summary, problems, ms: Date.now() - stepStarted };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = {
          step,
          ok: false,
          summary: 'did not complete',
          problems: [message],
          ms: Date.now() - stepStarted,
        };
      }
      steps.push(result);
      write(`${result.ok ? 'ok  ' : 'FAIL'} ${step} (${result.ms} ms): ${result.summary}`);
      for (const problem of result.problems) write(`       ${problem}`);
    }
    await stack.stepFunctions.waitForIdle();
    const names = new Map(stack.sandbox.state.accounts().map((account) => [account.id, account.name]));
    const items = await readResultItems(stack.table.client, stack.table.tableName);
    const report = renderResultsReport(items, { accountNames: names, tableName: stack.table.tableName });
    const approvalRuns = await approvalSteps?.catch(() => undefined);
    write('');
    write(report);
    if (approvalRuns !== undefined) {
      write('');
      write(renderApprovalRuns(approvalRuns.runs));
    }
    const htmlStarted = Date.now();
    const html = await writeMainJobHtmlReport(stack, items);
    write('');
    write(`HTML report: ${html.path} (${Date.now() - htmlStarted} ms)`);
    const ok = steps.every((step) => step.ok);
    const wallMs = Date.now() - started;
    write('');
    write(
      `${ok ? 'Main job succeeded' : 'Main job FAILED'}: ${steps.filter((s) => s.ok).length}/${steps.length} steps as expected, ${wallMs} ms`,
    );
    return { ok, steps, report, wallMs };
  } finally {
    context.sfn.destroy();
    context.events.destroy();
    await stack.close();
  }
}
