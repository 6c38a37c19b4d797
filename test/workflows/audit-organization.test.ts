import { AssumeRootCommand } from '@aws-sdk/client-sts';
import { FakeOrganization } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

const MEMBERS = Array.from({ length: 50 }, (_v, i) => String(300000000000 + i + 1));
const WITH_PASSWORD = new Set(MEMBERS.slice(0, 5));

describe('Audit organization: the synthesized workflow on the local runner', () => {
  let org: FakeOrganization;
  let harness: WorkflowHarness;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start({ auditShardSize: 10, auditConcurrency: 3 });
    org.add(MANAGEMENT_ACCOUNT);
    for (const id of MEMBERS) {
      org.add(id, {
        password: WITH_PASSWORD.has(id),
        accessKeys: [],
        signingCertificates: [],
        mfaSerials: [],
      });
    }
  });

  afterAll(async () => {
    await WorkflowHarness.closeAll();
    org.restore();
  });

  it('audits 50 accounts in shards: 50 posture records and a summary run', async () => {
    const record = await harness.run('auditOrganization', {
      requestedBy: 'oncall@example.com',
      reason: 'weekly check',
    });
    expect(record.status).toBe('SUCCEEDED');
    const output = JSON.parse(record.output ?? '{}') as {
      outcome: string;
      runKey: { PK: string; SK: string };
    };
    expect(output.outcome).toBe('AUDITED');

    const postures = (await harness.scanTable()).filter((item) => item.SK === 'POSTURE');
    const accountOf = (item: Record<string, unknown>) => String(item.PK).replace('ACCOUNT#', '');
    expect(postures.map(accountOf).sort()).toEqual(MEMBERS);
    const withCredentials = postures.filter((item) => item.credentialsPresent === true);
    expect(withCredentials.map(accountOf).sort()).toEqual([...WITH_PASSWORD].sort());

    const [summary] = await harness.query(output.runKey.PK, output.runKey.SK);
    expect(summary).toMatchObject({
      workflow: 'AuditOrganization',
      outcome: 'AUDITED',
      audited: 50,
      withCredentials: 5,
      failed: 0,
    });

    // Five shards of ten, each its own execution of the shard workflow, named after the audit.
    const shards = harness.runner.listExecutions({ stateMachineArn: harness.shardArn() });
    expect(shards.map((shard) => shard.name).sort()).toEqual(
      [0, 1, 2, 3, 4].map((n): unknown => expect.stringMatching(new RegExp(`^[0-9a-f]{32}-shard-${n}$`))),
    );
    expect(shards.every((shard) => shard.status === 'SUCCEEDED')).toBe(true);
    expect(summary).toMatchObject({ shardsCounted: 5, failedShards: 0, failedAccounts: 0 });
    // The management account is never a target.
    const targets = org.sts.commandCalls(AssumeRootCommand).map((call) => call.args[0].input.TargetPrincipal);
    expect(new Set(targets)).toEqual(new Set(MEMBERS));

    const metrics = harness.runner.metrics(record.executionArn);
    // The listing, chunk by chunk (3 pages of 20; a chunk hands over at most 2 new shards): 3 invocations.
    expect(Object.entries(metrics.lambdaInvocationsByFunction)).toEqual([
      [expect.stringContaining('ListMemberAccounts'), 3],
    ]);
    const shardInvocations = shards.map(
      (shard) => harness.runner.metrics(shard.executionArn).lambdaInvocations,
    );
    expect(shardInvocations).toEqual([1, 1, 1, 1, 1]);
    process.stdout.write(
      `audit of ${MEMBERS.length} accounts: ${metrics.stateTransitions} state transitions in the audit, ` +
        `${shards.reduce((sum, shard) => sum + harness.runner.metrics(shard.executionArn).stateTransitions, 0)} in its shards\n`,
    );
    await expectNoSessionSecrets(harness, org);
  });

  it('sends accounts seen for the first time through Secure new account on the next audit', async () => {
    const joinedClean = '300000000101';
    const joinedDirty = '300000000102';
    org.add(joinedClean);
    org.add(joinedDirty, {
      password: true,
      accessKeys: ['AKIAJOINEDKEY0000001'],
      signingCertificates: [],
      mfaSerials: [],
    });
    const record = await harness.run('auditOrganization', {});
    expect(record.status).toBe('SUCCEEDED');

    const secureArn = harness.arn('secureNewAccount');
    const secured = harness.runner.listExecutions({ stateMachineArn: secureArn });
    expect(secured.map((execution) => execution.name).sort()).toEqual([
      expect.stringMatching(/^audit-300000000101-/),
      expect.stringMatching(/^audit-300000000102-/),
    ]);
    expect(secured.every((execution) => execution.status === 'SUCCEEDED')).toBe(true);
    const outcomes = secured.map(
      (execution) => (JSON.parse(execution.output ?? '{}') as { outcome: string }).outcome,
    );
    expect(outcomes.sort()).toEqual(['CLEAN', 'REMEDIATED']);
    expect(org.root(joinedDirty).password).toBe(false);
    // Accounts already known with a password are left alone: auto-remediation is off by default.
    expect(org.root(MEMBERS[0] ?? '').password).toBe(true);
    await expectNoSessionSecrets(harness, org);

    // The audit's postures (AuditAccountBatch) and Secure new account's
    // (the workflow's DynamoDB step) have the same shape, attribute by attribute.
    const [byBatch] = await harness.query(`ACCOUNT#${MEMBERS[1] ?? ''}`, 'POSTURE');
    const [byWorkflow] = await harness.query(`ACCOUNT#${joinedDirty}`, 'POSTURE');
    const shape = (item: Record<string, unknown> | undefined): Record<string, string> =>
      Object.fromEntries(
        Object.entries(item ?? {})
          .map(([key, value]): [string, string] => [key, typeof value])
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    expect(shape(byBatch)).toEqual(shape(byWorkflow));
    expect(Object.keys(shape(byBatch))).toEqual(
      [
        'PK',
        'SK',
        'GSI1PK',
        'GSI1SK',
        'accountId',
        'posture',
        'credentialsPresent',
        'checkedAt',
        'checkedBy',
      ].sort((a, b) => a.localeCompare(b)),
    );
    expect(byBatch).toMatchObject({
      PK: `ACCOUNT#${MEMBERS[1] ?? ''}`,
      GSI1PK: 'POSTURE',
      GSI1SK: `ACCOUNT#${MEMBERS[1] ?? ''}`,
      accountId: MEMBERS[1],
      checkedBy: record.executionArn,
    });
    expect(byWorkflow).toMatchObject({ accountId: joinedDirty, GSI1SK: `ACCOUNT#${joinedDirty}` });
    expect(secured.map((execution) => execution.executionArn)).toContain(byWorkflow?.checkedBy);
    for (const item of [byBatch, byWorkflow]) {
      expect(JSON.parse(String(item?.posture))).toHaveProperty(
        'credentialsPresent',
        item?.credentialsPresent,
      );
      expect(new Date(String(item?.checkedAt)).toISOString()).toBe(item?.checkedAt);
    }
    // The audit's runs carry the execution ARN, as the workflows' runs do.
    const [auditRun] = await harness.query(`ACCOUNT#${joinedClean}`, 'RUN#');
    expect(auditRun).toHaveProperty('executionArn');
  });
});
