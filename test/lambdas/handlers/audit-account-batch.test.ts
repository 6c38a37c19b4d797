import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  auditWithRootSession,
  createAuditAccountBatchHandler,
  type AuditAccount,
} from '../../../lambdas/handlers/audit-account-batch';
import { InvalidInputError, RootAccessDeniedError } from '../../../lambdas/root-access/errors';
import type { Posture } from '../../../lambdas/root-access/posture';
import { fakeContext } from './handler-fakes';
import { startResultsTable, type ResultsTable } from './dynalite-table';

const KNOWN = '100000000001';
const NEW_CLEAN = '100000000002';
const NEW_DIRTY = '100000000003';
const BROKEN = '100000000004';
const EXECUTION_ARN = 'arn:aws:states:us-east-1:999999999999:execution:AuditOrganization:sweep-1';
const NOW = new Date('2026-11-24T12:00:00.000Z');

const clean: Posture = {
  credentialsPresent: false,
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};
const withPassword: Posture = { ...clean, credentialsPresent: true, passwordPresent: true };

const fakeAudit: AuditAccount = (accountId) => {
  if (accountId === BROKEN) return Promise.reject(new RootAccessDeniedError('sts:AssumeRoot: Access denied'));
  const posture = accountId === NEW_DIRTY ? withPassword : clean;
  return Promise.resolve({ posture, sessionAccessKeyId: `ASIA${accountId}` });
};

describe('AuditAccountBatch handler (dynalite)', () => {
  let table: ResultsTable;
  let handler: ReturnType<typeof createAuditAccountBatchHandler>;
  const run = (event: unknown) => handler(event, fakeContext);

  const get = async (PK: string, SK: string) =>
    (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { PK, SK } }))).Item;
  const runsOf = async (accountId: string) =>
    (
      await table.documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
          ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':run': 'RUN#' },
        }),
      )
    ).Items ?? [];

  beforeAll(async () => {
    table = await startResultsTable();
    handler = createAuditAccountBatchHandler(() => ({
      documentClient: table.documentClient,
      tableName: table.tableName,
      auditAccount: fakeAudit,
      retryDelayMs: 0,
      now: () => NOW,
    }));
    const put = (Item: Record<string, unknown>) =>
      table.documentClient.send(new PutCommand({ TableName: table.tableName, Item }));
    await put({ PK: 'INVENTORY#inv-1', SK: 'SHARD#0', accountIds: [KNOWN, NEW_CLEAN, NEW_DIRTY, BROKEN] });
    await put({
      PK: `ACCOUNT#${KNOWN}`,
      SK: 'POSTURE',
      GSI1PK: 'POSTURE',
      GSI1SK: `ACCOUNT#${KNOWN}`,
      posture: JSON.stringify(clean),
      credentialsPresent: false,
    });
    await put({
      PK: `ACCOUNT#${BROKEN}`,
      SK: 'POSTURE',
      GSI1PK: 'POSTURE',
      GSI1SK: `ACCOUNT#${BROKEN}`,
      posture: JSON.stringify(withPassword),
      credentialsPresent: true,
      checkedBy: 'earlier',
    });
  });
  afterAll(() => table.close());

  test('audits the shard, records postures and runs, routes the first-seen accounts', async () => {
    const output = await run({
      inventoryId: 'inv-1',
      shard: 0,
      executionId: EXECUTION_ARN,
      secureFirstSeen: true,
      autoRemediate: false,
      baseline: false,
    });
    expect(output).toEqual({
      shard: 0,
      audited: 4,
      clean: 2,
      withCredentials: 1,
      failed: 1,
      firstSeen: 2,
      toSecure: [NEW_CLEAN, NEW_DIRTY],
    });

    const posture = await get(`ACCOUNT#${NEW_DIRTY}`, 'POSTURE');
    expect(posture).toEqual({
      PK: `ACCOUNT#${NEW_DIRTY}`,
      SK: 'POSTURE',
      GSI1PK: 'POSTURE',
      GSI1SK: `ACCOUNT#${NEW_DIRTY}`,
      accountId: NEW_DIRTY,
      posture: JSON.stringify(withPassword),
      credentialsPresent: true,
      checkedAt: NOW.toISOString(),
      checkedBy: EXECUTION_ARN,
    });
    expect(await runsOf(NEW_DIRTY)).toEqual([
      {
        PK: `ACCOUNT#${NEW_DIRTY}`,
        SK: `RUN#${NOW.toISOString()}#sweep-1`,
        GSI1PK: 'OUTCOME#CREDENTIALS_PRESENT',
        GSI1SK: `${NOW.toISOString()}#${NEW_DIRTY}`,
        workflow: 'AuditOrganization',
        outcome: 'CREDENTIALS_PRESENT',
        before: JSON.stringify(withPassword),
        sessionAccessKeyIds: [`ASIA${NEW_DIRTY}`],
        startedAt: NOW.toISOString(),
        finishedAt: NOW.toISOString(),
        executionArn: EXECUTION_ARN,
      },
    ]);
    expect((await runsOf(NEW_CLEAN))[0]).toMatchObject({ outcome: 'CLEAN', GSI1PK: 'OUTCOME#CLEAN' });

    // The failed account: a FAILED run findable by outcome, and its earlier posture kept.
    const failures = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :outcome',
        ExpressionAttributeValues: { ':outcome': 'OUTCOME#FAILED' },
      }),
    );
    expect(failures.Items).toEqual([
      expect.objectContaining({
        PK: `ACCOUNT#${BROKEN}`,
        error: 'RootAccessDeniedError',
        errorCause: 'sts:AssumeRoot: Access denied',
      }),
    ]);
    expect(await get(`ACCOUNT#${BROKEN}`, 'POSTURE')).toMatchObject({
      checkedBy: 'earlier',
      credentialsPresent: true,
    });
  });

  test('with Security Hub findings on: publishes after the postures are written, counts what failed', async () => {
    let postureAtPublish: unknown;
    let published: { accountId: string; posture?: Posture }[] = [];
    const withFindings = createAuditAccountBatchHandler(() => ({
      documentClient: table.documentClient,
      tableName: table.tableName,
      auditAccount: fakeAudit,
      retryDelayMs: 0,
      now: () => NOW,
      publishFindings: async (audited) => {
        published = [...audited];
        postureAtPublish = (await get(`ACCOUNT#${NEW_DIRTY}`, 'POSTURE'))?.checkedBy;
        return 1;
      },
    }));
    const output = await withFindings(
      { inventoryId: 'inv-1', shard: 0, executionId: `${EXECUTION_ARN}-2` },
      fakeContext,
    );
    expect(output).toMatchObject({ shard: 0, audited: 4, failed: 1, findingsFailed: 1 });
    expect(postureAtPublish).toBe(`${EXECUTION_ARN}-2`);
    // The failed audit (BROKEN) reaches the publisher without a posture: it publishes nothing for it.
    expect(published.map(({ accountId, posture }) => [accountId, posture?.credentialsPresent])).toEqual(
      expect.arrayContaining([
        [KNOWN, false],
        [NEW_CLEAN, false],
        [NEW_DIRTY, true],
        [BROKEN, undefined],
      ]),
    );
  });

  test('a missing shard is an InvalidInputError naming the shard', async () => {
    const call = run({ inventoryId: 'inv-1', shard: 7, executionId: 'x' });
    await expect(call).rejects.toBeInstanceOf(InvalidInputError);
    await expect(call).rejects.toThrow(/^shard: /);
  });

  test.each([
    [{ inventoryId: 'inv-1', shard: -1, executionId: 'x' }, /^shard: /],
    [{ inventoryId: 'inv-1', shard: 0, executionId: '' }, /^executionId: /],
    [{ inventoryId: 'inv-1', shard: 0, executionId: 'x', baseline: 'yes' }, /^baseline: /],
  ])('rejects a malformed event %#', async (event, message) => {
    await expect(run(event)).rejects.toThrow(message);
  });
});

describe('auditWithRootSession', () => {
  const sts = mockClient(STSClient);
  const iam = mockClient(IAMClient);

  afterEach(() => {
    sts.reset();
    iam.reset();
  });

  test('opens an audit root session and returns the posture with the session key id only', async () => {
    sts.on(AssumeRootCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAROOTSESSION',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(),
      },
    });
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountPasswordPresent: 0,
        AccountAccessKeysPresent: 0,
        AccountSigningCertificatesPresent: 0,
        AccountMFAEnabled: 0,
      },
    });
    const audit = auditWithRootSession({
      sts: new STSClient({ region: 'eu-west-1' }),
      region: 'eu-west-1',
      partition: 'aws',
      clientConfig: {},
    });
    const result = await audit(NEW_CLEAN);
    expect(result).toEqual({ posture: clean, sessionAccessKeyId: 'ASIAROOTSESSION' });
    expect(JSON.stringify(result)).not.toContain('secret');
    expect(sts).toHaveReceivedCommandWith(AssumeRootCommand, {
      TargetPrincipal: NEW_CLEAN,
      TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
    });
  });
});
