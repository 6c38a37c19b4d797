import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { GO_AHEAD_EVENT, GO_AHEAD_STATE } from '../../lib/workflows/go-ahead';
import { planOf } from '../workflows/remediation-plans';
import { runCli } from './support/in-process';

/**
 * `remediate --status`, `--continue` and `--execute` in process, the AWS
 * clients mocked and the Decide approval function's URL answered by a
 * stubbed fetch: what they print and what they send. The same commands run
 * against the local stack in remediate-run.test.ts.
 */

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
const cfn = mockClient(CloudFormationClient);
const sts = mockClient(STSClient);

const CALLER = 'arn:aws:sts::999988887777:assumed-role/OnCall/alice';
const APPROVER = 'arn:aws:sts::999988887777:assumed-role/Approvers/bob';
const MACHINE = 'arn:aws:states:eu-west-1:999988887777:stateMachine:RemediateOrganization';
const RUN = 'remediate-20261124T120000Z';
const EXECUTION = `${MACHINE.replace(':stateMachine:', ':execution:')}:${RUN}`;
const URL = 'https://decide.lambda-url.eu-west-1.on.aws/';
const env = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

const planItem = (wave: number, accountId: string, outcome?: string) => ({
  wave,
  waveKind: wave === 1 ? 'canary' : 'rollout',
  accountId,
  ...(outcome === undefined ? {} : { outcome, outcomeReason: '' }),
});

/** The history of a run waiting for the go-ahead of wave 2. */
const waitingHistory = {
  events: [
    {
      id: 1,
      type: 'TaskStateEntered' as const,
      timestamp: new Date(),
      stateEnteredEventDetails: { name: GO_AHEAD_STATE },
    },
    {
      id: 2,
      type: 'TaskScheduled' as const,
      timestamp: new Date(),
      taskScheduledEventDetails: {
        resourceType: 'events',
        resource: 'putEvents.waitForTaskToken',
        region: 'eu-west-1',
        parameters: JSON.stringify({
          Entries: [
            {
              DetailType: GO_AHEAD_EVENT.detailType,
              Detail: { taskToken: 'token-1', nextWave: 2, requestedBy: CALLER, approverRequired: true },
            },
          ],
        }),
      },
    },
  ],
};

let fetchSpy: jest.SpyInstance;
const saved = { ...process.env };

// The signed request reads the credentials the way the AWS clients do.
beforeAll(() => Object.assign(process.env, env));
afterAll(() => {
  for (const key of Object.keys(env)) delete process.env[key];
  Object.assign(process.env, saved);
});

beforeEach(() => {
  for (const mock of [sfn, ddb, cfn, sts]) mock.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Arn: CALLER, Account: '999988887777' });
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'Rootkeeper',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: [
          { OutputKey: 'RemediateOrganizationStateMachineArn', OutputValue: MACHINE },
          { OutputKey: 'ResultsTableName', OutputValue: 'results' },
          { OutputKey: 'DecideApprovalUrl', OutputValue: URL },
        ],
      },
    ],
  });
  sfn
    .on(DescribeExecutionCommand)
    .resolves({ executionArn: EXECUTION, status: 'RUNNING', startDate: new Date() });
  fetchSpy = jest.spyOn(global, 'fetch');
});

afterEach(() => fetchSpy.mockRestore());

describe('remediate --status', () => {
  it('prints the progress by wave while the run waits, and the command that continues it', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves(waitingHistory);
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          planItem(1, '111100000001', 'REMEDIATED'),
          planItem(2, '111100000002'),
          planItem(2, '111100000003'),
        ],
      })
      .resolvesOnce({ Items: [{ outcome: 'RUNNING', goAheads: [] }] });
    const result = await runCli(['remediate', '--status', RUN], { env });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`${RUN}: WAITING_FOR_GO_AHEAD`);
    expect(lines.slice(2, 4).map((line) => line.trim().split(/ {2,}/))).toEqual([
      ['1', 'canary', '1', '1', '0', '0', '0', '0'],
      ['2', 'rollout', '2', '0', '0', '0', '2', '0'],
    ]);
    expect(result.stdout).toContain('total: 3 accounts, 1 done, 0 skipped, 0 failed, 2 not reached');
    expect(result.stdout).toContain(`remediate --continue ${RUN} --reason "<why>"`);
  });

  it('gives the stop reason and the go-aheads as a document', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [planItem(1, '111100000001', 'REMEDIATED'), planItem(2, '111100000002', 'FAILED')],
      })
      .resolvesOnce({
        Items: [
          {
            outcome: 'STOPPED',
            outcomeReason: 'wave 2: 1 of 1 accounts failed (100 %), above the 20 % threshold',
            goAheads: [`2026-11-24T12:00:00Z go-ahead: wave 2 by ${APPROVER} (fine)`],
          },
        ],
      });
    const result = await runCli(['remediate', '--status', RUN, '--output', 'json'], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      run: RUN,
      executionArn: EXECUTION,
      state: 'STOPPED',
      reason: 'wave 2: 1 of 1 accounts failed (100 %), above the 20 % threshold',
      totals: { accounts: 2, done: 1, failed: 1 },
      goAheads: [expect.stringContaining(APPROVER)],
    });
  });
});

describe('remediate --continue', () => {
  it('asks the Decide approval function (a signed POST), never Step Functions, and says who gave it', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves(waitingHistory);
    fetchSpy.mockResolvedValue(
      new Response(
        JSON.stringify({
          decision: 'APPROVED',
          by: APPROVER,
          at: '2026-11-24T12:00:00.000Z',
          reason: 'fine',
          wave: 2,
        }),
        { status: 200 },
      ),
    );
    const result = await runCli(['remediate', '--continue', RUN, '--reason', 'fine'], { env });
    expect(`${result.code} ${result.stderr}`).toBe('0 ');
    expect(result.stdout).toContain(`Go-ahead given by ${APPROVER}: wave 2 of ${RUN} starts now.`);
    const [url, init] = fetchSpy.mock.calls[0] as [string, RequestInit];
    expect(String(url)).toBe(URL);
    expect(JSON.parse(init.body as string)).toEqual({
      executionArn: EXECUTION,
      decision: 'GO_AHEAD',
      reason: 'fine',
    });
    expect(String((init.headers as Record<string, string>).authorization)).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('reports the function’s refusal of the requester’s own go-ahead: exit 1', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves(waitingHistory);
    fetchSpy.mockResolvedValue(
      new Response(
        JSON.stringify({ error: 'SelfApprovalError', message: `${CALLER} asked for this action` }),
        {
          status: 403,
        },
      ),
    );
    const result = await runCli(['remediate', '--continue', RUN], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('asked for this action');
  });

  it('says so when the run is not waiting, and asks nobody', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const result = await runCli(['remediate', '--continue', RUN], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${RUN} is not waiting for a go-ahead`);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('remediate --execute', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'rootkeeper-plan-'));
  const root = {
    password: true,
    accessKeys: ['AKIAUSEDKEY000000001'],
    signingCertificates: [],
    mfaSerials: [],
  };
  const used = new Map([['AKIAUSEDKEY000000001', { date: new Date('2026-11-20T00:00:00Z'), service: 's3' }]]);

  it('refuses a plan that deletes a key in use with --yes alone, naming the flag; nothing saved or started', async () => {
    const file = path.join(folder, 'keys.json');
    writeFileSync(
      file,
      JSON.stringify(planOf([{ accountId: '111100000001', root, keyLastUsed: used }], [1])),
    );
    const result = await runCli(['remediate', '--execute', file, '--yes', '--reason', 'rollout'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('deletes 1 root access key(s) in use: AKIAUSEDKEY000000001');
    expect(result.stderr).toContain('--confirm-keys-in-use 1');
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('saves the plan and starts the run once both confirmations are given', async () => {
    const file = path.join(folder, 'keys-confirmed.json');
    writeFileSync(
      file,
      JSON.stringify(planOf([{ accountId: '111100000001', root, keyLastUsed: used }], [1])),
    );
    ddb.on(BatchWriteCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
    const result = await runCli(
      ['remediate', '--execute', file, '--yes', '--confirm-keys-in-use', '1', '--reason', 'rollout'],
      { env },
    );
    expect(`${result.code} ${result.stderr.includes('Error')}`).toBe('0 false');
    expect(result.stdout).toContain(`Started Remediate organization: ${EXECUTION}`);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(1);
    const input = JSON.parse(
      sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}',
    ) as Record<string, unknown>;
    expect(input).toMatchObject({
      requestedBy: CALLER,
      reason: 'rollout',
      soakSeconds: 0,
      failureThresholdPercent: 20,
    });
  });
});
