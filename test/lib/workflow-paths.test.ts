import { StateMachine } from '../../local/step-functions/library';
import { WITHOUT_APPROVALS } from '../../lib/approvals/approval-config';
import { buildRootkeeperApp } from '../../lib/build-app';
import { AUDIT_COUNTERS } from '../../lib/workflows/record-run';
import { stateMachineDefinitions, templateOf } from './support/template';

/**
 * The synthesized definitions run by aws-local-stepfunctions with stub
 * steps: checks the JSONPath data flow (every path a state reads exists on
 * every route), the outcomes and what is recorded, and counts the states
 * entered and the Lambda invocations of each route. The real handlers
 * against the sandbox are the local runner's tests.
 */

type Json = Record<string, unknown>;
type Step = (input: Json) => unknown;

// The approval gate has its own tests (test/workflows/approvals.test.ts).
const { app, stack } = buildRootkeeperApp({ config: { approvals: WITHOUT_APPROVALS } });
const definitions = stateMachineDefinitions(templateOf(app, stack));
const definitionOf = (name: string): Json => {
  const key = Object.keys(definitions).find((id) => id.startsWith(`Workflows${name}`));
  if (key === undefined) throw new Error(`no state machine ${name}`);
  return definitions[key]!;
};

const clean = {
  credentialsPresent: false,
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};
const withPassword = { ...clean, credentialsPresent: true, passwordPresent: true };

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Stub answers of every Task state, by state name; DynamoDB and EventBridge steps record what they get. */
function stubs(overrides: Record<string, Step> = {}): {
  steps: Record<string, Step>;
  calls: [string, Json][];
} {
  const calls: [string, Json][] = [];
  const answers: Record<string, Step> = {
    'Check the request': (input) => input.request,
    'Check the account is eligible': (input) => ({ accountId: input.accountId, eligible: true }),
    'Audit the root user': (input) => ({
      accountId: input.accountId,
      auditedAt: '2026-11-24T10:00:00Z',
      sessionAccessKeyId: 'ASIAAUDIT',
      posture: clean,
    }),
    'Delete the root credentials': (input) => ({
      accountId: input.accountId,
      dryRun: input.dryRun,
      sessionAccessKeyId: 'ASIADELETE',
      sessionsReopened: [],
      before: withPassword,
      actions: [{ action: 'DeleteLoginProfile', result: input.dryRun === true ? 'PLANNED' : 'DONE' }],
      after: input.dryRun === true ? withPassword : clean,
      keptKeys: [],
      keyInUse: false,
    }),
    'Enable account recovery': (input) => ({
      accountId: input.accountId,
      sessionAccessKeyId: 'ASIARECOVER',
      outcome: 'ENABLED',
    }),
    'Read the bucket policy': (input) => ({
      accountId: input.accountId,
      bucketName: input.bucketName,
      resourceArn: `arn:aws:s3:::${String(input.bucketName)}`,
      policy: '{"Version":"2012-10-17","Statement":[]}',
      policySha256: 'abc',
      sessionAccessKeyId: 'ASIAREAD',
    }),
    'Delete the bucket policy': (input) => ({
      ...input,
      outcome: 'DELETED',
      sessionAccessKeyId: 'ASIAAPPLY',
    }),
    'Audit the accounts in the shard': (input) => ({
      shard: input.shard,
      audited: input.shard === 0 ? 100 : 50,
      clean: input.shard === 0 ? 99 : 50,
      withCredentials: input.shard === 0 ? 1 : 0,
      failed: 0,
      firstSeen: input.shard === 0 ? 1 : 0,
      toSecure: input.shard === 0 ? ['444455556666'] : [],
    }),
    'Record the run': () => ({
      Attributes: Object.fromEntries(AUDIT_COUNTERS.map((counter) => [counter, { N: '1' }])),
    }),
    ...overrides,
  };
  const steps = new Proxy(answers, {
    get: (target, name: string) => (input: Json) => {
      calls.push([name, input]);
      const answer = target[name];
      return answer === undefined ? {} : answer(input);
    },
    has: () => true,
  });
  return { steps, calls };
}

async function run(
  name: string,
  input: Json,
  overrides: Record<string, Step> = {},
): Promise<{ result?: Json; error?: Error; calls: [string, Json][]; entered: string[] }> {
  const { steps, calls } = stubs(overrides);
  const machine = new StateMachine(definitionOf(name) as never, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: steps as never,
      retryIntervalOverrides: new Proxy({}, { get: () => 0, has: () => true }),
    },
    context: {
      Execution: { Id: `arn:aws:states:eu-west-1:111111111111:execution:${name}:run-1`, Name: 'run-1' },
      State: { EnteredTime: '2026-11-24T10:00:01Z' },
    },
  });
  const entered: string[] = [];
  const collect = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') entered.push((event as { state: { name: string } }).state.name);
    }
  })();
  try {
    const result = (await execution.result) as Json;
    await collect;
    return { result, calls, entered };
  } catch (error) {
    await collect.catch(() => undefined);
    return { error: error as Error, calls, entered };
  }
}

const lambdaSteps = (calls: [string, Json][]): string[] =>
  calls
    .map(([name]) => name)
    .filter((name) => !/^(Claim|Record|Announce|Back up|Open|Add|Count|Start securing)/.test(name));
const recorded = (calls: [string, Json][]): Json => {
  const [, update] = calls.find(([name]) => name === 'Record the run') ?? [];
  const values = (update?.ExpressionAttributeValues ?? {}) as Record<string, { S: string }>;
  const names = (update?.ExpressionAttributeNames ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(names).map(([key, attribute]) => [attribute, values[key.replace('#a', ':v')]?.S]),
  );
};

/** A delete that kept one root key used two days before (the handler's answer). */
const withKeyInUse = {
  dryRun: false,
  sessionAccessKeyId: 'ASIADELETE',
  sessionsReopened: [],
  before: { ...withPassword, accessKeysPresent: true },
  actions: [{ action: 'DeleteLoginProfile', result: 'DONE' }],
  after: { ...clean, credentialsPresent: true, accessKeysPresent: true },
  keptKeys: [{ accessKeyId: 'AKIAINUSE', lastUsedDate: '2026-11-22T08:00:00Z', lastUsedService: 's3' }],
  keyInUse: true,
};

describe('Secure new account', () => {
  const input = { accountId: '444455556666', requestId: 'evt-1', source: 'aws.organizations' };

  test('a clean account: CLEAN, 14 states, 3 Lambda invocations, posture and run recorded', async () => {
    const { result, calls, entered } = await run('SecureNewAccount', input);
    expect(result).toMatchObject({
      outcome: 'CLEAN',
      accountId: '444455556666',
      runKey: { PK: 'ACCOUNT#444455556666' },
    });
    expect(entered).toHaveLength(14);
    expect(lambdaSteps(calls)).toEqual([
      'Check the request',
      'Check the account is eligible',
      'Audit the root user',
    ]);
    expect(calls.find(([name]) => name === 'Claim the request')?.[1]).toMatchObject({
      Item: { PK: { S: 'REQUEST#evt-1' } },
    });
    expect(calls.find(([name]) => name === 'Record the clean posture')?.[1]).toMatchObject({
      Item: { SK: { S: 'POSTURE' }, credentialsPresent: { BOOL: false } },
    });
    expect(recorded(calls)).toMatchObject({
      outcome: 'CLEAN',
      requestedBy: 'unknown',
      sessionAccessKeyIds: '["ASIAAUDIT"]',
    });
  });

  test('credentials present: deleted, REMEDIATED with before and after, 16 states, 4 Lambda invocations', async () => {
    const { result, calls, entered } = await run('SecureNewAccount', input, {
      'Audit the root user': (i) => ({
        accountId: i.accountId,
        auditedAt: 't',
        sessionAccessKeyId: 'ASIAAUDIT',
        posture: withPassword,
      }),
    });
    expect(result).toMatchObject({ outcome: 'REMEDIATED' });
    expect(entered).toHaveLength(16);
    expect(lambdaSteps(calls)).toHaveLength(4);
    expect(JSON.parse(String(recorded(calls).before))).toEqual(withPassword);
    expect(JSON.parse(String(recorded(calls).after))).toEqual(clean);
    expect(recorded(calls).keptKeys).toBe('[]');
  });

  test('a key in use: never included by the automatic path, the run is KEY_IN_USE with the kept key', async () => {
    const { result, calls } = await run('SecureNewAccount', input, {
      'Audit the root user': (i) => ({
        accountId: i.accountId,
        auditedAt: 't',
        sessionAccessKeyId: 'ASIAAUDIT',
        posture: { ...withKeyInUse.before },
      }),
      'Delete the root credentials': (i) => ({ accountId: i.accountId, ...withKeyInUse }),
    });
    expect(result).toMatchObject({ outcome: 'KEY_IN_USE' });
    expect(calls.find(([name]) => name === 'Delete the root credentials')?.[1]).toEqual({
      accountId: '444455556666',
      dryRun: false,
      keyInUseDays: 90,
      includeKeysInUse: false,
    });
    expect(JSON.parse(String(recorded(calls).keptKeys))).toEqual(withKeyInUse.keptKeys);
    expect(calls.some(([name]) => name === 'Record the posture after the deletion')).toBe(true);
  });

  test('an ineligible account is SKIPPED with the reason and no root session', async () => {
    const { result, calls } = await run('SecureNewAccount', input, {
      'Check the account is eligible': (i) => ({
        accountId: i.accountId,
        eligible: false,
        reason: 'PROTECTED_ACCOUNT',
      }),
    });
    expect(result).toMatchObject({ outcome: 'SKIPPED', outcomeReason: 'PROTECTED_ACCOUNT' });
    expect(calls.map(([name]) => name)).not.toContain('Audit the root user');
  });

  test('a duplicate request is SKIPPED as DUPLICATE_REQUEST', async () => {
    const { result } = await run('SecureNewAccount', input, {
      'Claim the request': () => {
        throw new NamedError('DynamoDB.ConditionalCheckFailedException', 'exists');
      },
    });
    expect(result).toMatchObject({ outcome: 'SKIPPED', outcomeReason: 'DUPLICATE_REQUEST' });
  });

  test('bad input is REJECTED with the field named, before any AWS step', async () => {
    const { result, calls } = await run(
      'SecureNewAccount',
      { accountId: 42 },
      {
        'Check the request': () => {
          throw new NamedError('InvalidInputError', 'accountId: must be 12 digits');
        },
      },
    );
    expect(result).toMatchObject({
      outcome: 'REJECTED',
      error: 'InvalidInputError',
      // A number is no account id (its leading zeros are lost): filed under the default.
      runKey: { PK: 'ACCOUNT#UNKNOWN' },
    });
    expect(String(result?.errorCause)).toContain('accountId');
    expect(lambdaSteps(calls)).toEqual(['Check the request']);
  });

  test('a persistent failure is recorded as FAILED, announced, and fails the execution', async () => {
    const { error, calls } = await run('SecureNewAccount', input, {
      'Audit the root user': () => {
        throw new NamedError('RootAccessDeniedError', 'AccessDenied: not enabled');
      },
    });
    expect(error?.message).toContain('AccessDenied: not enabled');
    expect(recorded(calls)).toMatchObject({
      outcome: 'FAILED',
      error: 'RootAccessDeniedError',
      GSI1PK: 'OUTCOME#FAILED',
    });
    expect(calls.map(([name]) => name)).toContain('Announce the result');
  });

  test('a retryable error is retried, then the run goes on', async () => {
    let attempts = 0;
    const { result } = await run('SecureNewAccount', input, {
      'Audit the root user': (i) => {
        attempts += 1;
        if (attempts < 3) throw new NamedError('ThrottledError', 'slow down');
        return { accountId: i.accountId, auditedAt: 't', sessionAccessKeyId: 'ASIAAUDIT', posture: clean };
      },
    });
    expect(attempts).toBe(3);
    expect(result).toMatchObject({ outcome: 'CLEAN' });
  });
});

describe('Audit organization', () => {
  const chunk = (done: boolean, shard: number) => ({
    inventoryId: 'run-1',
    done,
    cursor: { nextToken: done ? null : '40', pagesListed: done ? 8 : 4 },
    newShards: [{ shard, accountCount: done ? 50 : 100 }],
    startWhenCounted: shard + 1 - 40,
    shardCount: shard + 1,
    accountCount: done ? 150 : 100,
    skipped: { MANAGEMENT_ACCOUNT: 1, NOT_A_MEMBER: 0, NOT_ACTIVE: 0, PROTECTED_ACCOUNT: 0, PROTECTED_OU: 0 },
    baseline: false,
  });
  const listing = {
    'List the first chunk of accounts': () => chunk(false, 0),
    'List a chunk of accounts': () => chunk(true, 1),
  };
  const progress = (shardsCounted: number, failedShards: number) => () => ({
    Item: { shardsCounted: { N: String(shardsCounted) }, failedShards: { N: String(failedShards) } },
  });

  test('lists chunk by chunk from the cursor, starts each shard, and waits until every shard is counted', async () => {
    let reads = 0;
    const { result, calls } = await run(
      'AuditOrganizationWorkflow',
      {},
      {
        ...listing,
        // The first read finds one shard counted: the audit waits and reads again.
        'Read how many shards are counted': () => progress(reads++ === 0 ? 1 : 2, 0)(),
      },
    );
    expect(result).toMatchObject({ outcome: 'AUDITED', accountId: 'ORGANIZATION', totals: { audited: 1 } });
    expect(calls.find(([name]) => name === 'List a chunk of accounts')?.[1]).toMatchObject({
      cursor: { nextToken: '40' },
      shardSize: 100,
      concurrency: 40,
    });
    const starts = calls.filter(([name]) => name === 'Start auditing the shard').map(([, input]) => input);
    expect(starts.map((start) => (start.Input as Json).shard)).toEqual([0, 1]);
    expect(String(starts[0]?.Name)).toMatch(/^[0-9a-f]{32}-shard-0$/);
    expect(reads).toBe(2);
  });

  test('a failed shard makes the audit PARTIAL, with the count in the reason', async () => {
    const { result } = await run(
      'AuditOrganizationWorkflow',
      {},
      { ...listing, 'Read how many shards are counted': progress(2, 1) },
    );
    expect(result).toMatchObject({
      outcome: 'PARTIAL',
      outcomeReason:
        '1 of 2 shards failed: their accounts were not audited (shardFailures in the summary run)',
    });
  });

  test('a shard: audits, starts Secure new account for the ids to secure, adds its counts once', async () => {
    const shardInput = {
      inventoryId: 'run-1',
      shard: 0,
      shardIds: ['0'],
      accountCount: 100,
      executionId: 'run-1',
      executionArn: 'arn:aws:states:eu-west-1:111111111111:execution:audit:run-1',
      secureFirstSeen: true,
      autoRemediate: false,
      baseline: false,
      summaryKey: { PK: 'ORGANIZATION', SK: 'RUN#t#run-1' },
    };
    const { calls } = await run('AuditOrganizationShard', shardInput);
    const starts = calls.filter(([name]) => name === 'Start securing the account');
    expect(starts).toHaveLength(1);
    expect(starts[0]?.[1]).toMatchObject({ Input: { accountId: '444455556666', source: 'manual' } });
    expect(String((starts[0]?.[1] as { Name: string }).Name)).toMatch(/^audit-444455556666-[0-9a-f]{32}$/);
    const [, add] = calls.find(([name]) => name === 'Add the shard to the totals') ?? [];
    expect(add).toMatchObject({
      ConditionExpression: 'attribute_exists(PK) AND NOT contains(countedShards, :shardId)',
      ExpressionAttributeValues: { ':audited': { N: '100' }, ':shardIds': { SS: ['0'] } },
    });

    const failed = await run('AuditOrganizationShard', shardInput, {
      'Audit the accounts in the shard': () => {
        throw new NamedError('TransientAwsError', 'down');
      },
    });
    const [, count] = failed.calls.find(([name]) => name === 'Count the failed shard') ?? [];
    expect(count).toMatchObject({
      ExpressionAttributeValues: {
        ':accounts': { N: '100' },
        ':failure': { L: [{ M: { shard: { S: '0' }, error: { S: 'TransientAwsError' } } }] },
      },
    });
  });
});

describe('on-call workflows', () => {
  const request = {
    accountId: '444455556666',
    requestedBy: 'alice',
    reason: 'incident 42',
    ticket: 'INC-42',
  };

  test('Delete root credentials with dryRun: PLANNED, who and why recorded', async () => {
    const { result, calls } = await run('DeleteRootCredentials', { ...request, dryRun: true });
    expect(result).toMatchObject({
      outcome: 'PLANNED',
      requestedBy: 'alice',
      reason: 'incident 42',
      ticket: 'INC-42',
    });
    expect(calls.find(([name]) => name === 'Delete the root credentials')?.[1]).toEqual({
      accountId: '444455556666',
      dryRun: true,
      keyInUseDays: 90,
      includeKeysInUse: false,
    });
  });

  test('Delete root credentials: a key in use kept is KEY_IN_USE; includeKeysInUse reaches the function', async () => {
    const kept = await run('DeleteRootCredentials', request, {
      'Delete the root credentials': (i) => ({ accountId: i.accountId, ...withKeyInUse }),
    });
    expect(kept.result).toMatchObject({ outcome: 'KEY_IN_USE' });
    expect(JSON.parse(String(recorded(kept.calls).keptKeys))).toEqual(withKeyInUse.keptKeys);

    const included = await run('DeleteRootCredentials', { ...request, includeKeysInUse: true });
    expect(included.result).toMatchObject({ outcome: 'REMEDIATED' });
    expect(included.calls.find(([name]) => name === 'Delete the root credentials')?.[1]).toMatchObject({
      includeKeysInUse: true,
    });
  });

  test('Delete root credentials whose session expired mid-delete: the run records both sessions and why', async () => {
    const reopened = {
      expiredSessionAccessKeyId: 'ASIADELETE',
      sessionAccessKeyId: 'ASIADELETE2',
      reason: 'RootSessionExpiredError: iam:DeleteAccessKey: ExpiredToken',
    };
    const { calls } = await run('DeleteRootCredentials', request, {
      'Delete the root credentials': (i) => ({
        accountId: i.accountId,
        dryRun: false,
        sessionAccessKeyId: 'ASIADELETE',
        sessionsReopened: [reopened],
        before: withPassword,
        actions: [{ action: 'DeleteLoginProfile', result: 'DONE' }],
        after: clean,
        keptKeys: [],
        keyInUse: false,
      }),
    });
    const record = recorded(calls);
    expect(record).toMatchObject({ outcome: 'REMEDIATED', sessionAccessKeyIds: '["ASIADELETE"]' });
    expect(JSON.parse(String(record.sessionsReopened))).toEqual([reopened]);
  });

  test('Unlock S3 bucket policy: READ, back up byte for byte, delete with the expected digest, UNLOCKED', async () => {
    const { result, calls } = await run('UnlockS3BucketPolicy', {
      ...request,
      bucketName: 'locked',
      action: 'DELETE',
    });
    expect(result).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'DELETED' });
    expect(calls.find(([name]) => name === 'Back up the bucket policy')?.[1]).toMatchObject({
      Item: {
        PK: { S: 'RESOURCE#arn:aws:s3:::locked' },
        policy: { S: '{"Version":"2012-10-17","Statement":[]}' },
        GSI1PK: { S: 'BACKUP#run-1' },
      },
    });
    expect(calls.find(([name]) => name === 'Delete the bucket policy')?.[1]).toEqual({
      operation: 'APPLY',
      accountId: '444455556666',
      bucketName: 'locked',
      action: 'DELETE',
      expectedPolicySha256: 'abc',
    });
  });

  test('Unlock S3 bucket policy with no policy: NOTHING_TO_UNLOCK, nothing backed up', async () => {
    const { result, calls } = await run(
      'UnlockS3BucketPolicy',
      { ...request, bucketName: 'open', action: 'DELETE' },
      {
        'Read the bucket policy': (i) => ({
          ...i,
          resourceArn: 'arn:aws:s3:::open',
          policy: null,
          policySha256: null,
          sessionAccessKeyId: 'ASIAREAD',
        }),
      },
    );
    expect(result).toMatchObject({ outcome: 'NOTHING_TO_UNLOCK' });
    expect(calls.map(([name]) => name)).not.toContain('Back up the bucket policy');
  });

  test('Unlock S3 bucket policy REPLACE with no policy: replaced directly, expecting none, UNLOCKED', async () => {
    const replacementPolicy = '{"Version":"2012-10-17","Statement":[]}';
    const { result, calls } = await run(
      'UnlockS3BucketPolicy',
      { ...request, bucketName: 'open', action: 'REPLACE', replacementPolicy },
      {
        'Read the bucket policy': (i) => ({
          ...i,
          resourceArn: 'arn:aws:s3:::open',
          policy: null,
          policySha256: null,
          sessionAccessKeyId: 'ASIAREAD',
        }),
        'Replace the bucket policy': (i) => ({ ...i, outcome: 'REPLACED', sessionAccessKeyId: 'ASIAAPPLY' }),
      },
    );
    expect(result).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'REPLACED' });
    expect(calls.map(([name]) => name)).not.toContain('Back up the bucket policy');
    expect(calls.find(([name]) => name === 'Replace the bucket policy')?.[1]).toEqual({
      operation: 'APPLY',
      accountId: '444455556666',
      bucketName: 'open',
      action: 'REPLACE',
      replacementPolicy,
      expectedPolicySha256: null,
    });
  });

  test('Enable account recovery records the outcome of the function', async () => {
    const { result } = await run('EnableAccountRecovery', request);
    expect(result).toMatchObject({ outcome: 'ENABLED', index: { GSI1PK: 'OUTCOME#ENABLED' } });
  });
});
