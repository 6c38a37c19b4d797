import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  createAuditAccountBatchHandler,
  type AuditAccount,
} from '../../../lambdas/handlers/audit-account-batch';
import { RootAccessDeniedError } from '../../../lambdas/root-access/errors';
import type { Posture } from '../../../lambdas/root-access/posture';
import { wrapHandler } from '../../../lambdas/shared/handler';
import { METRICS_NAMESPACE, publishWorkflowMetrics } from '../../../lambdas/shared/metrics';
import { fakeContext } from '../handlers/handler-fakes';
import { startResultsTable, type ResultsTable } from '../handlers/dynalite-table';

/** The Embedded Metric Format lines the functions print, parsed as CloudWatch would. */

interface EmfLine {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: {
      readonly Namespace: string;
      readonly Dimensions: string[][];
      readonly Metrics: { Name: string; Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

async function emfLinesOf(act: () => Promise<unknown>): Promise<EmfLine[]> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await act().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** Metric name → value, checking each metric is declared in the line's EMF directive. */
function valuesOf(line: EmfLine): Record<string, unknown> {
  const directive = line._aws.CloudWatchMetrics[0];
  if (directive === undefined) throw new Error('no CloudWatchMetrics directive');
  return Object.fromEntries(directive.Metrics.map((metric) => [metric.Name, line[metric.Name]]));
}

const clean: Posture = {
  credentialsPresent: false,
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};

test('one line per call, in the Rootkeeper namespace, with the workflow as dimension', async () => {
  const lines = await emfLinesOf(() => {
    publishWorkflowMetrics('DeleteRootCredentials', { remediated: 1, sessionsOpened: 1 });
    return Promise.resolve();
  });
  expect(lines).toHaveLength(1);
  const [line] = lines as [EmfLine];
  expect(line._aws.CloudWatchMetrics[0]).toMatchObject({
    Namespace: METRICS_NAMESPACE,
    Dimensions: [['service', 'workflow']],
  });
  expect(line.workflow).toBe('DeleteRootCredentials');
  expect(line.service).toBe('rootkeeper');
  expect(valuesOf(line)).toEqual({ AccountsRemediated: 1, RootSessionsOpened: 1 });
  expect(line._aws.CloudWatchMetrics[0]?.Metrics.every((metric) => metric.Unit === 'Count')).toBe(true);
});

describe('AuditAccountBatch', () => {
  let table: ResultsTable;
  beforeAll(async () => {
    table = await startResultsTable('metrics');
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          PK: 'INVENTORY#inv-m',
          SK: 'SHARD#0',
          accountIds: ['100000000001', '100000000002', '100000000003'],
        },
      }),
    );
  });
  afterAll(async () => {
    await table?.close();
  });

  test('prints the shard’s audited, with credentials, failed and sessions opened', async () => {
    const audit: AuditAccount = (accountId) => {
      if (accountId === '100000000003')
        return Promise.reject(new RootAccessDeniedError('sts:AssumeRoot: denied'));
      const posture =
        accountId === '100000000002' ? { ...clean, credentialsPresent: true, passwordPresent: true } : clean;
      return Promise.resolve({ posture, sessionAccessKeyId: `ASIA${accountId}` });
    };
    const run = createAuditAccountBatchHandler(() => ({
      documentClient: table.documentClient,
      tableName: table.tableName,
      auditAccount: audit,
      retryDelayMs: 0,
    }));
    const lines = await emfLinesOf(() =>
      run({ inventoryId: 'inv-m', shard: 0, executionId: 'sweep-m' }, fakeContext),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.workflow).toBe('AuditOrganization');
    expect(valuesOf(lines[0] as EmfLine)).toEqual({
      AccountsAudited: 3,
      AccountsWithRootCredentials: 1,
      Failures: 1,
      RootSessionsOpened: 2,
    });
  });
});

test('a failed invocation counts one failure under the function’s name', async () => {
  const failing = wrapHandler('UnlockS3BucketPolicy', () => Promise.reject(new Error('boom')));
  const lines = await emfLinesOf(() => failing({}, {} as never));
  expect(lines.map((line) => [line.workflow, valuesOf(line)])).toEqual([
    ['UnlockS3BucketPolicy', { Failures: 1 }],
  ]);
});
