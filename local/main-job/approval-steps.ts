import { spawn } from 'node:child_process';
import path from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { pendingApprovalOf } from '../../cli/approval-requests';
import { requestDecision } from '../../cli/decision-client';
import { WORKFLOWS } from '../../lib/workflows/names';
import { startLocalStack, type LocalStack } from '../local-stack';
import { waitForExecution, type FinishedExecution } from './executions';
import { readResultItems } from './results-report';
import type { Scenario } from './scenario';

/**
 * The two-person steps of the main job. Approvals are a deployment setting
 * (baked into the state machines at synth), and the main stack runs with them
 * off so its unlocks stay unattended; these steps deploy a second local stack
 * of the same organization with approvals on for the unlocks. The requester is
 * the management account's sandbox user, the approver the delegated
 * administrator's: two principals, each named by sts:GetCallerIdentity for its
 * own keys, and the decision goes through the command line's own module
 * (`requestDecision`, what `rootkeeper approve`/`deny` call): a SigV4-signed
 * request to the Decide approval function's URL, which authenticates the
 * approver and applies the rules.
 */
export interface ApprovalStack {
  readonly stack: LocalStack;
  readonly requesterSfn: SFNClient;
  readonly approverSfn: SFNClient;
  readonly requesterArn: string;
  readonly approverArn: string;
  close(): Promise<void>;
}

async function startApprovalStack(scenario: Scenario): Promise<ApprovalStack> {
  const stack = await startLocalStack({
    sandbox: { organization: scenario.organization },
    config: {
      controlTowerHomeRegion: scenario.controlTowerHomeRegion,
      approvals: { unlockS3: true, unlockSqs: true, enableRecovery: false, deleteRootCredentials: false },
      approverPrincipals: [`arn:aws:iam::${scenario.delegatedAdministrator.id}:user/sandbox-delegated-admin`],
    },
    handlerEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  const approverKeys = stack.sandbox.delegatedAdministratorCredentials;
  if (approverKeys === undefined) throw new Error('the sandbox organization has no second principal');
  const keysOf = (keys: { accessKeyId: string; secretAccessKey: string }) => ({
    region: stack.region,
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
  });
  const requester = keysOf(stack.sandbox.managementCredentials);
  const approver = keysOf(approverKeys);
  const callerArn = async (options: typeof requester): Promise<string> => {
    const sts = new STSClient({ ...options, endpoint: stack.endpoints.sandbox });
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? '';
    } finally {
      sts.destroy();
    }
  };
  const requesterSfn = new SFNClient({ ...requester, endpoint: stack.endpoints.stepFunctions });
  const approverSfn = new SFNClient({ ...approver, endpoint: stack.endpoints.stepFunctions });
  return {
    stack,
    requesterSfn,
    approverSfn,
    requesterArn: await callerArn(requester),
    approverArn: await callerArn(approver),
    close: async () => {
      requesterSfn.destroy();
      approverSfn.destroy();
      await stack.close();
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RecordedDecision {
  readonly decision?: string;
  readonly by?: string;
  readonly at?: string;
  readonly reason?: string;
}

/** The approval attribute of the run record the execution wrote. */
async function recordedDecision(stack: LocalStack, executionArn: string): Promise<RecordedDecision> {
  const items = await readResultItems(stack.table.client, stack.table.tableName);
  // The run record, not the policy backup the same execution wrote.
  const approval = items.find(
    (item) => item.executionArn === executionArn && item.approval !== undefined,
  )?.approval;
  return typeof approval === 'string' ? (JSON.parse(approval) as RecordedDecision) : {};
}

/**
 * Requests an unlock, waits until the run asks for approval (nothing changed
 * in the sandbox yet), lets the approver decide, and waits for the end.
 */
async function gatedUnlock(
  approvals: ApprovalStack,
  scenario: Scenario,
  kind: 'S3' | 'SQS',
  approve: boolean,
): Promise<{
  execution: FinishedExecution;
  decision: RecordedDecision;
  policyBefore?: string;
  policyWhileWaiting?: string;
  policyAfter?: string;
  arn: string;
}> {
  const { stack } = approvals;
  const locked = scenario.lockedAccount;
  const queueUrl = `https://sqs.${locked.queueRegion}.amazonaws.com/${locked.id}/${locked.queueName}`;
  const [workflow, target, arn] =
    kind === 'S3'
      ? [
          WORKFLOWS.unlockS3BucketPolicy,
          { bucketName: locked.bucketName },
          `arn:aws:s3:::${locked.bucketName}`,
        ]
      : [
          WORKFLOWS.unlockSqsQueuePolicy,
          { queueUrl },
          `arn:aws:sqs:${locked.queueRegion}:${locked.id}:${locked.queueName}`,
        ];
  const policy = (): string | undefined =>
    kind === 'S3'
      ? stack.sandbox.state.bucket(locked.bucketName)?.policy
      : stack.sandbox.state.queue(locked.id, locked.queueName, locked.queueRegion)?.attributes.Policy;
  const policyBefore = policy();
  const started = await approvals.requesterSfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.outputs[workflow.output] ?? '',
      input: JSON.stringify({
        accountId: locked.id,
        ...target,
        action: 'DELETE',
        requestedBy: approvals.requesterArn,
        reason: `main job: the ${kind} policy denies everyone`,
        ticket: approve ? 'MAIN-4' : 'MAIN-5',
      }),
    }),
  );
  const executionArn = started.executionArn ?? '';
  const deadline = Date.now() + 30_000;
  while ((await pendingApprovalOf(approvals.approverSfn, executionArn)) === undefined) {
    const { status, error, cause } = await approvals.requesterSfn.send(
      new DescribeExecutionCommand({ executionArn }),
    );
    if (status !== 'RUNNING')
      throw new Error(`${executionArn} ended ${status} ${error} (${cause}) without asking for approval`);
    if (Date.now() > deadline) throw new Error(`${executionArn} never asked for approval`);
    await sleep(25);
  }
  const policyWhileWaiting = policy();
  await requestDecision(approvals.approverSfn, stack.endpoints.decideApproval, {
    executionArn,
    approve,
    reason: approve ? 'checked with the bucket owner' : 'not the resource the ticket names',
  });
  const execution = await waitForExecution(approvals.requesterSfn, executionArn);
  await stack.stepFunctions.waitForIdle();
  return {
    execution,
    decision: await recordedDecision(stack, executionArn),
    policyBefore,
    policyWhileWaiting,
    policyAfter: policy(),
    arn,
  };
}

const outcomeOf = (execution: FinishedExecution): string => {
  const outcome = execution.output?.outcome;
  return typeof outcome === 'string' ? outcome : `${execution.status} ${execution.error ?? ''}`.trim();
};

const describeDecision = (decision: RecordedDecision): string =>
  `${decision.decision ?? 'no decision recorded'} by ${decision.by ?? '?'} at ${decision.at ?? '?'} ("${decision.reason ?? ''}")`;

export interface ApprovalStepResult {
  readonly summary: string;
  readonly problems: readonly string[];
}

/** A gated run as the report shows it: what, its outcome, and the decision (who, when, why). */
export interface ApprovalRun {
  readonly workflow: string;
  readonly accountId: string;
  readonly outcome: string;
  readonly requestedBy: string;
  readonly decision: RecordedDecision;
}

export interface ApprovalStepsResult {
  readonly approved: ApprovalStepResult;
  readonly denied: ApprovalStepResult;
  readonly runs: readonly ApprovalRun[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Both two-person steps on their own stack, and the runs they recorded. */
export async function runApprovalSteps(scenario: Scenario): Promise<ApprovalStepsResult> {
  const approvals = await startApprovalStack(scenario);
  try {
    const asResult = async (step: () => Promise<[string, string[]]>): Promise<ApprovalStepResult> => {
      try {
        const [summary, problems] = await step();
        return { summary, problems };
      } catch (error) {
        return {
          summary: 'did not complete',
          problems: [error instanceof Error ? error.message : String(error)],
        };
      }
    };
    const approved = await asResult(() => unlockApprovedBySecondPerson(approvals, scenario));
    const denied = await asResult(() => unlockDeniedByApprover(approvals, scenario));
    const items = await readResultItems(approvals.stack.table.client, approvals.stack.table.tableName);
    const runs = items
      .filter((item) => typeof item.approval === 'string')
      .map((item) => ({
        workflow: text(item.workflow),
        accountId: text(item.accountId),
        outcome: text(item.outcome),
        requestedBy: text(item.requestedBy),
        decision: JSON.parse(text(item.approval)) as RecordedDecision,
      }))
      .sort((a, b) => text(a.decision.at).localeCompare(text(b.decision.at)));
    return { approved, denied, runs };
  } finally {
    await approvals.close();
  }
}

/** The report's section on the two-person runs. */
export function renderApprovalRuns(runs: readonly ApprovalRun[]): string {
  const lines = [`Approvals (${runs.length} runs that waited for a second person)`];
  for (const run of runs) {
    lines.push(
      `  ${run.workflow} ${run.accountId} ${run.outcome}: requested by ${run.requestedBy}; ` +
        `${run.decision.decision ?? '?'} by ${run.decision.by ?? '?'} at ${run.decision.at ?? '?'}: ${run.decision.reason ?? ''}`,
    );
  }
  return lines.join('\n');
}

/** An S3 unlock requested by one person, approved by another: applied, the approver recorded. */
async function unlockApprovedBySecondPerson(
  approvals: ApprovalStack,
  scenario: Scenario,
): Promise<[string, string[]]> {
  const run = await gatedUnlock(approvals, scenario, 'S3', true);
  const problems = [
    ...(outcomeOf(run.execution) === 'UNLOCKED'
      ? []
      : [`outcome ${outcomeOf(run.execution)}, expected UNLOCKED`]),
    ...(run.policyWhileWaiting === run.policyBefore ? [] : ['the policy changed before approval']),
    ...(run.policyAfter === undefined || run.policyAfter === '' ? [] : ['the policy is still in place']),
    ...(run.decision.decision === 'APPROVED' && run.decision.by === approvals.approverArn
      ? []
      : [`recorded ${JSON.stringify(run.decision)}, expected APPROVED by ${approvals.approverArn}`]),
  ];
  return [
    `${run.arn} requested by ${approvals.requesterArn}: ${outcomeOf(run.execution)}, ${describeDecision(run.decision)}`,
    problems,
  ];
}

/** An SQS unlock the approver denies: recorded DENIED, the queue policy untouched. */
async function unlockDeniedByApprover(
  approvals: ApprovalStack,
  scenario: Scenario,
): Promise<[string, string[]]> {
  const run = await gatedUnlock(approvals, scenario, 'SQS', false);
  const problems = [
    ...(outcomeOf(run.execution) === 'DENIED'
      ? []
      : [`outcome ${outcomeOf(run.execution)}, expected DENIED`]),
    ...(run.policyAfter === run.policyBefore && run.policyBefore === scenario.lockedAccount.queuePolicy
      ? []
      : ['the queue policy changed']),
    ...(run.decision.decision === 'DENIED' && run.decision.by === approvals.approverArn
      ? []
      : [`recorded ${JSON.stringify(run.decision)}, expected DENIED by ${approvals.approverArn}`]),
  ];
  return [
    `${run.arn} requested by ${approvals.requesterArn}: ${outcomeOf(run.execution)}, ${describeDecision(run.decision)}, nothing changed`,
    problems,
  ];
}

/**
 * Runs approval-job.ts in a child process (tsx, as `npm start` runs the main
 * job) for the same scenario, and reads its result. Its stderr (handlers'
 * warnings) passes through to ours.
 */
export function runApprovalStepsInChild(options: {
  accounts: number;
  seed: number;
}): Promise<ApprovalStepsResult> {
  const entry = path.join(__dirname, 'approval-job.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', entry, '--accounts', String(options.accounts), '--seed', String(options.seed)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') {
        reject(new Error(`the approval steps' process ended with ${code}: ${stderr.trim().slice(-800)}`));
        return;
      }
      resolve(JSON.parse(line) as ApprovalStepsResult);
    });
  });
}
