import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from './support/in-process';

/**
 * The path shared by every workflow command, in process with the AWS
 * clients mocked: fast, and it checks what reaches Step Functions. The same
 * paths run against the local stack in the subprocess tests.
 */

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
const cfn = mockClient(CloudFormationClient);
const sts = mockClient(STSClient);

const CALLER = 'arn:aws:sts::999988887777:assumed-role/OnCall/alice';
const MACHINE = 'arn:aws:states:eu-west-1:999988887777:stateMachine:UnlockS3';
const RUN_KEY = { PK: 'ACCOUNT#111122223333', SK: 'RUN#2026-11-24T12:00:00.000Z#x' };
const UNLOCK = [
  'unlock-s3',
  '--account',
  '111122223333',
  '--bucket',
  'app-logs',
  '--delete',
  '--reason',
  'policy denies everyone',
];

const PLAN_ARN = `${MACHINE}:plan`;
const PLAN_KEY = { PK: 'ACCOUNT#111122223333', SK: 'RUN#2026-11-24T12:00:00.000Z#plan' };
const PLAN_SHA256 = 'ab12'.repeat(16);
const isPlan = (name: string) => name.includes('-plan-');
/** The starts of the request itself, not of the dry run that read its plan. */
const requestStarts = () =>
  sfn.commandCalls(StartExecutionCommand).filter((call) => !isPlan(call.args[0].input.name ?? ''));

function succeeded(outcome: string, extra: Record<string, unknown> = {}) {
  return {
    status: 'SUCCEEDED' as const,
    startDate: new Date(),
    output: JSON.stringify({ outcome, accountId: '111122223333', runKey: RUN_KEY, ...extra }),
  };
}

/**
 * The unlock's plan: its dry run (a name with -plan-) ends PLANNED, with the
 * policy read. Declared after the other mocks: of the mocks that match a
 * call, the latest declared answers.
 */
function servePlan(): void {
  sfn.on(DescribeExecutionCommand, { executionArn: PLAN_ARN }).resolves({
    status: 'SUCCEEDED',
    startDate: new Date(),
    output: JSON.stringify({ outcome: 'PLANNED', accountId: '111122223333', runKey: PLAN_KEY }),
  });
  ddb.on(GetCommand, { Key: PLAN_KEY }).resolves({
    Item: {
      ...PLAN_KEY,
      workflow: 'UnlockS3BucketPolicy',
      outcome: 'PLANNED',
      before: JSON.stringify({
        resourceArn: 'arn:aws:s3:::app-logs',
        policy: '{"a":1}',
        policySha256: PLAN_SHA256,
      }),
      actions: '[]',
    },
  });
}

beforeEach(() => {
  sfn.reset();
  ddb.reset();
  cfn.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Arn: CALLER, Account: '999988887777' });
  // No approval gate in this definition.
  sfn.on(DescribeStateMachineCommand).resolves({ definition: '{"States":{}}' });
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'Rootkeeper',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [
          // CDK prefixes outputs declared inside constructs: both forms are found.
          { OutputKey: 'WorkflowsUnlockS3BucketPolicyStateMachineArnA1B2C3', OutputValue: MACHINE },
          { OutputKey: 'WorkflowsEnableAccountRecoveryStateMachineArnD4E5F6', OutputValue: MACHINE },
          { OutputKey: 'ResultsTableName', OutputValue: 'results' },
        ],
      },
    ],
  });
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: isPlan(input.name) ? PLAN_ARN : `${MACHINE}:run`,
    startDate: new Date(),
  }));
  sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(DescribeExecutionCommand).resolves(succeeded('UNLOCKED'));
  ddb.on(GetCommand).resolves({
    Item: {
      ...RUN_KEY,
      workflow: 'UnlockS3BucketPolicy',
      outcome: 'UNLOCKED',
      requestedBy: CALLER,
      reason: 'policy denies everyone',
      ticket: '',
      before: 'null',
      actions: '[{"action":"DeleteBucketPolicy","result":"DONE"}]',
    },
  });
  ddb
    .on(QueryCommand)
    .resolves({ Items: [{ backupId: 'unlock-s3-x', accountId: '111122223333', policy: '{"a":1}' }] });
  servePlan();
});

describe('several accounts (--account A B)', () => {
  const RECOVERY = [
    'enable-recovery',
    '--account',
    '111122223333',
    '444455556666',
    '--reason',
    'closing both',
  ];

  it('one run per account after one question, then one document with each account (exit 0)', async () => {
    const prompt = jest.fn(() => Promise.resolve(true));
    const result = await runCli([...RECOVERY, '--output', 'json'], { tty: true, prompt });
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(prompt).toHaveBeenCalledWith('Enable account recovery in 2 account(s): go ahead?');
    expect(result.code).toBe(0);
    const names = requestStarts().map((call) => call.args[0].input.name);
    expect(names).toEqual([
      expect.stringMatching(/^enable-recovery-111122223333-/),
      expect.stringMatching(/^enable-recovery-444455556666-/),
    ]);
    const document = result.json() as { ok: boolean; accounts: { accountId: string; exitCode: number }[] };
    expect(document.ok).toBe(true);
    expect(document.accounts.map((account) => [account.accountId, account.exitCode])).toEqual([
      ['111122223333', 0],
      ['444455556666', 0],
    ]);
  });

  it('a "no" starts nothing in any account (exit 1)', async () => {
    const prompt = jest.fn(() => Promise.resolve(false));
    const result = await runCli(RECOVERY, { tty: true, prompt });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing done: not confirmed.');
    expect(requestStarts()).toHaveLength(0);
  });

  it('exits with the worst account: one SKIPPED makes it 1, and the summary says which', async () => {
    sfn.on(DescribeExecutionCommand).resolves(succeeded('SKIPPED'));
    ddb
      .on(GetCommand)
      .resolves({ Item: { ...RUN_KEY, outcome: 'SKIPPED', outcomeReason: 'PROTECTED_ACCOUNT' } });
    const result = await runCli([...RECOVERY, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Enable account recovery: 0 of 2 account(s) done');
    expect(result.stdout).toMatch(/444455556666\s+SKIPPED\s+1/);
  });
});

describe('a workflow command', () => {
  it('starts the workflow once, with the caller as requestedBy, and prints the recorded run as JSON', async () => {
    const result = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    expect(result.code).toBe(0);
    const starts = requestStarts();
    expect(starts).toHaveLength(1);
    const start = starts[0]?.args[0].input;
    expect(start?.stateMachineArn).toBe(MACHINE);
    // The request's name, then the second this attempt started (runCli's clock).
    expect(start?.name).toMatch(/^unlock-s3-111122223333-[0-9a-f]{20}-20261124T120000Z$/);
    expect(JSON.parse(start?.input ?? '')).toEqual({
      accountId: '111122223333',
      bucketName: 'app-logs',
      action: 'DELETE',
      reason: 'policy denies everyone',
      requestedBy: CALLER,
      // Pinned to the policy the plan showed.
      expectedPolicySha256: PLAN_SHA256,
    });
    const document = result.json();
    expect(document).toMatchObject({
      ok: true,
      outcome: 'UNLOCKED',
      exitCode: 0,
      run: {
        accountId: '111122223333',
        actions: [{ action: 'DeleteBucketPolicy', result: 'DONE' }],
        before: null,
      },
      backup: { backupId: 'unlock-s3-x', policyBytes: 7 },
    });
  });

  it('attaches to a running attempt of the same request and starts nothing', async () => {
    const first = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    const name = (first.json().execution as { name: string }).name;
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({
      executions: [
        {
          name,
          executionArn: `${MACHINE}:${name}`,
          stateMachineArn: MACHINE,
          status: 'RUNNING',
          startDate: new Date('2026-11-24T11:59:00.000Z'),
        },
      ],
    });
    sfn.resetHistory();
    const retry = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    expect(retry.code).toBe(0);
    expect(requestStarts()).toHaveLength(0);
    expect(retry.json()).toMatchObject({ attached: true, execution: { name, arn: `${MACHINE}:${name}` } });
  });

  it('reports an attempt that finished within the window as such, and starts nothing', async () => {
    const first = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    const name = (first.json().execution as { name: string }).name;
    const finished = {
      name,
      executionArn: `${MACHINE}:${name}`,
      stateMachineArn: MACHINE,
      status: 'SUCCEEDED' as const,
      startDate: new Date('2026-11-24T11:55:00.000Z'),
      stopDate: new Date('2026-11-24T11:55:02.000Z'),
    };
    sfn.on(ListExecutionsCommand).resolves({ executions: [finished] });
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [] });
    ddb.on(GetCommand).resolves({
      Item: { ...RUN_KEY, outcome: 'UNLOCKED', finishedAt: '2026-11-24T11:55:02.000Z' },
    });
    sfn.resetHistory();
    const retry = await runCli([...UNLOCK, '--yes']);
    expect(retry.code).toBe(0);
    expect(requestStarts()).toHaveLength(0);
    expect(retry.stdout).toContain(
      'This request already ran at 2026-11-24 11:55:02 UTC (5 min ago): result UNLOCKED; nothing done now; pass --again to run it again.',
    );

    const again = await runCli([...UNLOCK, '--yes', '--again', '--output', 'json']);
    expect(requestStarts()).toHaveLength(1);
    expect(again.json()).not.toHaveProperty('alreadyRan');
  });

  it('follows the execution a double submit in the same second started', async () => {
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      if (isPlan(input.name)) return { executionArn: PLAN_ARN, startDate: new Date() };
      throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
    });
    const retry = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    expect(retry.code).toBe(0);
    const name = (retry.json().execution as { name: string }).name;
    expect(retry.json()).toMatchObject({
      attached: true,
      execution: { arn: `arn:aws:states:eu-west-1:999988887777:execution:UnlockS3:${name}` },
    });
  });

  it('starts a new attempt when the same request finished before the window', async () => {
    const name = 'unlock-s3-111122223333-00000000000000000000-20261124T100000Z';
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          name,
          executionArn: `${MACHINE}:${name}`,
          stateMachineArn: MACHINE,
          status: 'SUCCEEDED',
          startDate: new Date('2026-11-24T10:00:00.000Z'),
          stopDate: new Date('2026-11-24T10:00:02.000Z'),
        },
      ],
    });
    const retry = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    expect(requestStarts()).toHaveLength(1);
    expect(retry.json()).not.toHaveProperty('alreadyRan');
  });

  it('does nothing when the prompt is answered no (exit 1)', async () => {
    const prompt = jest.fn(() => Promise.resolve(false));
    const result = await runCli(UNLOCK, { tty: true, prompt });
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing done');
    expect(result.stderr).toContain('Unlock S3 bucket policy:');
    expect(requestStarts()).toHaveLength(0);
  });

  it('refuses without a terminal and without --yes (exit 2)', async () => {
    const result = await runCli(UNLOCK);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes: stdin is not a terminal');
    expect(requestStarts()).toHaveLength(0);
  });

  it('exits 1 and names the problem when the run was skipped', async () => {
    sfn.on(DescribeExecutionCommand).resolves(succeeded('SKIPPED'));
    ddb.on(GetCommand).resolves({
      Item: {
        ...RUN_KEY,
        outcome: 'SKIPPED',
        outcomeReason: 'PROTECTED_ACCOUNT',
        error: '',
        errorCause: '',
      },
    });
    const result = await runCli([...UNLOCK, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('SKIPPED');
    expect(result.stdout).toContain('PROTECTED_ACCOUNT');
    expect(result.stderr).toContain('not done: SKIPPED: PROTECTED_ACCOUNT');
    expect(result.stdout).toContain('SKIPPED for bucket app-logs in account 111122223333 at an unknown time');
  });

  it('finds the run of a failed execution by its ARN (no output) and exits 1', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      startDate: new Date(),
      error: 'ResourceNotFoundError',
      cause: 'NoSuchBucket',
    });
    ddb.on(QueryCommand).resolves({
      Items: [
        {
          ...RUN_KEY,
          executionArn: `${MACHINE}:run`,
          outcome: 'FAILED',
          error: 'ResourceNotFoundError',
          errorCause: 'NoSuchBucket',
        },
      ],
    });
    servePlan();
    const result = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      ok: false,
      outcome: 'FAILED',
      error: {
        name: 'ResourceNotFoundError',
        message: 'NoSuchBucket',
        advice: 'check the bucket name or queue URL (and its region); nothing was changed',
      },
    });
  });

  it('returns at once with --no-wait', async () => {
    const result = await runCli([...UNLOCK, '--yes', '--no-wait', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ execution: { arn: `${MACHINE}:run`, status: 'RUNNING' } });
    // Only the plan's dry run was waited for, not the request.
    expect(
      sfn
        .commandCalls(DescribeExecutionCommand)
        .filter((call) => call.args[0].input.executionArn !== PLAN_ARN),
    ).toHaveLength(0);
  });

  it('exits 3 naming the missing permission when Step Functions refuses', async () => {
    const denied = Object.assign(
      new Error(
        `User: ${CALLER} is not authorized to perform: states:StartExecution on resource: ${MACHINE}`,
      ),
      { name: 'AccessDeniedException', $fault: 'client', $metadata: {} },
    );
    sfn.on(StartExecutionCommand).rejects(denied);
    const result = await runCli([...UNLOCK, '--yes', '--output', 'json']);
    expect(result.code).toBe(3);
    expect(result.json()).toMatchObject({
      ok: false,
      error: { kind: 'aws', missingPermission: 'states:StartExecution' },
    });
  });

  it('exits 3 when the stack is not deployed', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id Rootkeeper does not exist'), {
        name: 'ValidationError',
        $metadata: {},
      }),
    );
    const result = await runCli([...UNLOCK, '--yes']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('stack Rootkeeper is not deployed in eu-west-1');
  });
});

describe('the program', () => {
  it('lists every command with examples and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'status',
      'enable',
      'audit',
      'delete-root-credentials',
      'unlock-s3',
      'unlock-sqs',
      'enable-recovery',
      'restore-policy',
      'history',
      'report',
    ]) {
      expect(result.stdout).toContain(`  ${command}`);
    }
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('Exit codes:');
  });

  it('reports parse errors with exit 2, as one JSON document with --output json', async () => {
    const result = await runCli(['--output', 'json', 'unlock-s3', '--nope']);
    expect(result.code).toBe(2);
    expect(result.json()).toMatchObject({ ok: false, exitCode: 2, error: { kind: 'usage' } });
  });
});
