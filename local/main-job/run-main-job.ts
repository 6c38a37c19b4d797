import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { WORKFLOWS } from '../../lib/workflows/names';
import { startLocalStack, type LocalStack } from '../local-stack';
import { createAccountResultEvent } from './account-events';
import { backupsOf, eligibleAccountIds, postureMismatches, remainingCredentials } from './checks';
import { runWorkflow, waitForExecution, type FinishedExecution } from './executions';
import { writeMainJobHtmlReport } from './html-report';
import { readResultItems, renderResultsReport } from './results-report';
import { buildScenario, type Scenario } from './scenario';

export interface MainJobOptions {
  /** Generated accounts besides the job's own four. Default 25. */
  readonly accounts?: number;
  readonly seed?: number;
  /** Where progress and the report go, line by line. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Show the handlers' INFO logs too (by default only their warnings and errors reach the output). */
  readonly verbose?: boolean;
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

/** The execution a bus delivery started, once the delivery has happened. */
async function deliveredExecution(stack: LocalStack, eventId: string): Promise<string> {
  await stack.bus.drain();
  const record = stack.bus.events.find((recorded) => recorded.event.id === eventId);
  const delivery = record?.deliveries[0];
  if (delivery?.executionArn === undefined) {
    throw new Error(`event ${eventId} started no workflow: ${delivery?.error ?? 'no rule matched it'}`);
  }
  return delivery.executionArn;
}

async function newAccountEvent({ stack, scenario, sfn }: JobContext): Promise<[string, string[]]> {
  const { id, name } = scenario.newAccount;
  const event = createAccountResultEvent({
    accountId: id,
    accountName: name,
    managementAccountId: stack.sandbox.managementAccountId,
  });
  stack.bus.publish(event);
  const execution = await waitForExecution(sfn, await deliveredExecution(stack, event.id));
  const problems = expectOutcome(execution, 'CLEAN');
  return [`CreateAccountResult for ${id} ${name}: ${outcomeOf(execution)}`, problems];
}

async function secureInvitedAccount({
  stack,
  scenario,
  sfn,
  events,
}: JobContext): Promise<[string, string[]]> {
  const { id, name } = scenario.invitedAccount;
  const before = remainingCredentials(stack.sandbox, id);
  const answer = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: 'rootkeeper.vending',
          DetailType: 'Account Vended',
          Detail: JSON.stringify({
            accountId: id,
            requestId: `vend-${id}`,
            requestedBy: REQUESTED_BY,
            ticket: 'MAIN-1',
          }),
          EventBusName: stack.outputs.EventBusName,
        },
      ],
    }),
  );
  const eventId = answer.Entries?.[0]?.EventId;
  if (eventId === undefined)
    throw new Error(`PutEvents refused the vended event: ${answer.Entries?.[0]?.ErrorMessage ?? ''}`);
  const execution = await waitForExecution(sfn, await deliveredExecution(stack, eventId));
  const after = remainingCredentials(stack.sandbox, id);
  const problems = [
    ...expectOutcome(execution, 'REMEDIATED'),
    ...(after.length === 0 ? [] : [`still present in the sandbox: ${after.join(', ')}`]),
  ];
  return [`Account Vended ${id} ${name}: removed ${before.join(', ')}: ${outcomeOf(execution)}`, problems];
}

async function auditOrganization({ stack, sfn }: JobContext): Promise<[string, string[]]> {
  const execution = await runWorkflow(sfn, stack.outputs[WORKFLOWS.auditOrganization.output] ?? '', {
    requestedBy: REQUESTED_BY,
    reason: 'main job: organization sweep',
  });
  const eligible = eligibleAccountIds(stack.sandbox);
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

const STEPS: readonly [string, (context: JobContext) => Promise<[string, string[]]>][] = [
  ['New account event (CreateAccountResult)', newAccountEvent],
  ['Secure an invited account (Account Vended)', secureInvitedAccount],
  ['Audit the organization', auditOrganization],
  ['Unlock an S3 bucket policy', (context) => unlock(context, 'S3')],
  ['Unlock an SQS queue policy', (context) => unlock(context, 'SQS')],
  ['Enable account recovery', enableRecovery],
];

/** The main job: the whole service on the embedded default, each step checked against the sandbox. */
export async function runMainJob(options: MainJobOptions = {}): Promise<MainJobResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const scenario = buildScenario({ accounts: options.accounts ?? 25, seed: options.seed ?? 1 });
  write(
    `Starting the local stack: ${scenario.organization.accounts.length} member accounts (seed ${options.seed ?? 1})`,
  );
  const stack = await startLocalStack({
    sandbox: { organization: scenario.organization },
    handlerEnvironment: options.verbose === true ? {} : { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  const clientOptions = {
    region: stack.region,
    credentials: {
      accessKeyId: stack.sandbox.managementCredentials.accessKeyId,
      secretAccessKey: stack.sandbox.managementCredentials.secretAccessKey,
    },
  };
  const context: JobContext = {
    stack,
    scenario,
    sfn: new SFNClient({ ...clientOptions, endpoint: stack.endpoints.stepFunctions }),
    events: new EventBridgeClient({ ...clientOptions, endpoint: stack.endpoints.eventBridge }),
  };
  const steps: StepResult[] = [];
  try {
    write(`Local stack ready in ${Date.now() - started} ms (sandbox ${stack.endpoints.sandbox})`);
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
    write('');
    write(report);
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
