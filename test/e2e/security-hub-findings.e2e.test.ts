import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  FINDINGS_PER_CALL,
  findingIdOf,
  publishAuditFindings,
  publishPostureFindings,
  type AccountPosture,
  type FindingContext,
} from '../../lambdas/root-access/security-hub-findings';
import { postureFromDetails } from '../../lambdas/root-access/posture';
import { AWS_CALL_RETRY } from '../../lambdas/shared/root-task-runtime';
import { startSandbox, type Sandbox } from '../../sandbox';

/**
 * Findings published over the wire to the sandbox's Security Hub, checked
 * against what the sandbox stored: create, update, resolve, reopen;
 * batches of 100; throttling retried; findings Security Hub refuses reported.
 */

let sandbox: Sandbox;
let securityHub: SecurityHubClient;
let context: FindingContext;

const KEY = { accessKeyId: 'AKIAROOT0000000000001', status: 'Active' };
const withKeys = postureFromDetails({
  password: {},
  accessKeys: [KEY],
  signingCertificates: [],
  mfaDevices: [],
});
const passwordOnly = postureFromDetails({
  password: {},
  accessKeys: [],
  signingCertificates: [],
  mfaDevices: [],
});
const clean = postureFromDetails({ accessKeys: [], signingCertificates: [], mfaDevices: [] });

const A = '111100000001';
const B = '111100000002';
const C = '111100000003';

beforeAll(async () => {
  sandbox = await startSandbox({ organization: { generate: { accounts: 3, seed: 1 } } });
  securityHub = new SecurityHubClient({
    region: sandbox.region,
    endpoint: sandbox.endpoint,
    credentials: sandbox.managementCredentials,
    ...AWS_CALL_RETRY,
  });
  context = {
    partition: 'aws',
    region: sandbox.region,
    callerAccountId: sandbox.managementAccountId,
    observedAt: '2026-11-29T10:00:00.000Z',
  };
});

afterAll(async () => {
  securityHub?.destroy();
  await sandbox?.close();
});

const stored = (accountId: string) =>
  sandbox.securityHub.all().find((finding) => finding.Id === findingIdOf(accountId));
const state = (accountId: string) => {
  const finding = stored(accountId);
  return finding === undefined
    ? undefined
    : {
        record: finding.RecordState,
        workflow: (finding.Workflow as { Status: string }).Status,
        compliance: (finding.Compliance as { Status: string }).Status,
        severity: (finding.Severity as { Label: string }).Label,
      };
};

test('create, update, resolve and reopen: the lifecycle Security Hub stores', async () => {
  // Create: A has keys (critical), B a password (high), C is clean (archived, resolved).
  const first = await publishPostureFindings(
    securityHub,
    [
      { accountId: A, posture: withKeys },
      { accountId: B, posture: passwordOnly },
      { accountId: C, posture: clean },
    ],
    context,
  );
  expect(first).toMatchObject({ imported: 3, resolved: 1, failed: [] });
  expect(state(A)).toEqual({ record: 'ACTIVE', workflow: 'NEW', compliance: 'FAILED', severity: 'CRITICAL' });
  expect(state(B)).toEqual({ record: 'ACTIVE', workflow: 'NEW', compliance: 'FAILED', severity: 'HIGH' });
  expect(state(C)).toEqual({
    record: 'ARCHIVED',
    workflow: 'RESOLVED',
    compliance: 'PASSED',
    severity: 'INFORMATIONAL',
  });
  expect(stored(A)?.Resources).toEqual([
    { Type: 'AwsAccount', Id: `AWS::::Account:${A}`, Partition: 'aws', Region: sandbox.region },
  ]);

  // Update: A's keys are gone but its password stays: same finding, lower severity.
  await publishPostureFindings(securityHub, [{ accountId: A, posture: passwordOnly }], {
    ...context,
    observedAt: '2026-11-29T11:00:00.000Z',
  });
  expect(state(A)).toEqual({ record: 'ACTIVE', workflow: 'NEW', compliance: 'FAILED', severity: 'HIGH' });
  expect(stored(A)?.UpdatedAt).toBe('2026-11-29T11:00:00.000Z');

  // Resolve: A is clean.
  await publishPostureFindings(securityHub, [{ accountId: A, posture: clean }], context);
  expect(state(A)).toEqual({
    record: 'ARCHIVED',
    workflow: 'RESOLVED',
    compliance: 'PASSED',
    severity: 'INFORMATIONAL',
  });

  // Reopen: a password again; Security Hub puts the workflow back to NEW.
  await publishPostureFindings(securityHub, [{ accountId: A, posture: passwordOnly }], context);
  expect(state(A)).toEqual({ record: 'ACTIVE', workflow: 'NEW', compliance: 'FAILED', severity: 'HIGH' });

  // What GetFindings answers agrees with the store: the active findings are A and B.
  const active = await securityHub.send(
    new GetFindingsCommand({ Filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] } }),
  );
  expect(active.Findings?.map((finding) => finding.Id).sort()).toEqual([findingIdOf(A), findingIdOf(B)]);
  expect(sandbox.securityHub.all()).toHaveLength(3);
});

test('250 postures go in batches of at most 100', async () => {
  const postures: AccountPosture[] = Array.from({ length: 250 }, (_, index) => ({
    accountId: String(200000000000 + index),
    posture: index % 2 === 0 ? withKeys : clean,
  }));
  const before = sandbox.securityHub.calls.length;
  const result = await publishPostureFindings(securityHub, postures, context);
  const calls = sandbox.securityHub.calls.slice(before);
  expect(result).toMatchObject({ imported: 250, resolved: 125, failed: [] });
  expect(calls.map((call) => call.action)).toEqual([
    'BatchImportFindings',
    'BatchImportFindings',
    'BatchImportFindings',
    'BatchUpdateFindings',
    'BatchUpdateFindings',
  ]);
  expect(FINDINGS_PER_CALL).toBe(100);
});

test('throttled calls are retried until they go through', async () => {
  sandbox.securityHub.throttleNext(2);
  const before = sandbox.securityHub.calls.length;
  const result = await publishPostureFindings(securityHub, [{ accountId: B, posture: withKeys }], context);
  expect(result).toMatchObject({ imported: 1, failed: [] });
  expect(sandbox.securityHub.calls.slice(before).map((call) => call.status)).toEqual([429, 429, 200]);
  expect(state(B)?.severity).toBe('CRITICAL');
});

test('findings Security Hub refuses are reported, and not marked resolved', async () => {
  // Another account's default product: the caller may not import into it.
  const result = await publishPostureFindings(securityHub, [{ accountId: '333300000001', posture: clean }], {
    ...context,
    callerAccountId: '999999999999',
  });
  expect(result.imported).toBe(0);
  expect(result.resolved).toBe(0);
  expect(result.failed).toEqual([
    expect.objectContaining({ id: findingIdOf('333300000001'), code: 'AccessDeniedException' }),
  ]);
  expect(stored('333300000001')).toBeUndefined();
});

describe('publishAuditFindings (what the organization audit calls)', () => {
  test('accounts whose audit failed publish nothing: their last finding stays', async () => {
    await publishPostureFindings(securityHub, [{ accountId: C, posture: withKeys }], context);
    const outcome = await publishAuditFindings(
      securityHub,
      [{ accountId: A, posture: withKeys }, { accountId: C }],
      context,
    );
    expect(outcome).toEqual({ published: 1, failed: 0, failures: [] });
    expect(state(C)).toMatchObject({ record: 'ACTIVE', severity: 'CRITICAL' });
  });

  test('a Security Hub error is returned with every finding counted as failed, not thrown', async () => {
    const oneAttempt = new SecurityHubClient({
      region: sandbox.region,
      endpoint: sandbox.endpoint,
      credentials: sandbox.managementCredentials,
      maxAttempts: 1,
    });
    sandbox.securityHub.throttleNext(1);
    const outcome = await publishAuditFindings(
      oneAttempt,
      [
        { accountId: A, posture: clean },
        { accountId: B, posture: clean },
      ],
      context,
    );
    oneAttempt.destroy();
    expect(outcome).toMatchObject({ published: 2, failed: 2 });
    expect(outcome.error).toMatch(/^ThrottledError: securityhub:BatchImportFindings/);
    // Nothing changed: A's finding is still active.
    expect(state(A)).toMatchObject({ record: 'ACTIVE' });
  });
});
