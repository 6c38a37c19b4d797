import { parseLocalConfig } from '../../cli/local-config';
import { decodeItem, parseWorkflowOutput } from '../../cli/run-record';
import { problemOfRun, postureSummary } from '../../cli/render';
import { runRow } from '../../cli/runs-query';
import { StackOutputs } from '../../cli/stack-outputs';

describe('stored items', () => {
  it('decode: index keys dropped, JSON text parsed, account from the key', () => {
    const item = decodeItem({
      PK: 'ACCOUNT#111122223333',
      SK: 'RUN#2026-11-24T10:00:00.000Z#unlock-s3-x',
      GSI1PK: 'OUTCOME#UNLOCKED',
      GSI1SK: '2026-11-24T10:00:00.000Z#111122223333',
      before: '{"credentialsPresent":true,"passwordPresent":true}',
      after: 'null',
      actions: '[]',
      sessionAccessKeyIds: '["ASIAEXAMPLE"]',
      reason: '{not json',
    });
    expect(item).toEqual({
      accountId: '111122223333',
      before: { credentialsPresent: true, passwordPresent: true },
      after: null,
      actions: [],
      sessionAccessKeyIds: ['ASIAEXAMPLE'],
      reason: '{not json',
    });
  });

  it('reads the execution name and start time of a run from its key', () => {
    expect(
      runRow({ PK: 'ORGANIZATION', SK: 'RUN#2026-11-24T10:00:00.000Z#audit-x', outcome: 'AUDITED' }),
    ).toMatchObject({
      accountId: 'ORGANIZATION',
      startedAt: '2026-11-24T10:00:00.000Z',
      executionName: 'audit-x',
    });
  });

  it('reads the workflow output contract', () => {
    expect(
      parseWorkflowOutput('{"outcome":"CLEAN","accountId":"1","runKey":{"PK":"a","SK":"b"},"x":1}'),
    ).toMatchObject({
      outcome: 'CLEAN',
      accountId: '1',
      runKey: { PK: 'a', SK: 'b' },
    });
    expect(parseWorkflowOutput(undefined)).toEqual({ raw: undefined });
    expect(parseWorkflowOutput('not json')).toEqual({ raw: 'not json' });
  });

  it('summarizes postures and problems in words', () => {
    expect(postureSummary({ credentialsPresent: false })).toBe('clean');
    expect(postureSummary({ credentialsPresent: true, passwordPresent: true, mfaEnabled: true })).toBe(
      'password, MFA',
    );
    expect(problemOfRun({ outcomeReason: 'MANAGEMENT_ACCOUNT', error: '', errorCause: '' })).toBe(
      'MANAGEMENT_ACCOUNT',
    );
    expect(
      problemOfRun({ error: 'InvalidInputError', errorCause: 'bucketName: bad' }, 'InvalidInputError'),
    ).toBe('InvalidInputError: bucketName: bad');
  });
});

describe('stack outputs', () => {
  it('finds an output by its exact key, or the one CDK prefixed and suffixed', () => {
    const outputs = new StackOutputs(
      { ResultsTableName: 't', WorkflowsUnlockS3BucketPolicyStateMachineArn12AB: 'arn:s3' },
      'stack Rootkeeper',
    );
    expect(outputs.find('ResultsTableName')).toBe('t');
    expect(outputs.find('UnlockS3BucketPolicyStateMachineArn')).toBe('arn:s3');
    expect(() => outputs.require('EnableAccountRecoveryStateMachineArn')).toThrow(
      'stack Rootkeeper has no output EnableAccountRecoveryStateMachineArn',
    );
  });
});

describe('the local file', () => {
  it('reads endpoints under the names the local stack uses, credentials and outputs', () => {
    const config = parseLocalConfig(
      JSON.stringify({
        region: 'us-east-1',
        endpoints: {
          sandbox: 'http://127.0.0.1:1',
          dynamodb: 'http://127.0.0.1:2',
          stepFunctions: 'http://127.0.0.1:3',
          cloudFormation: 'http://127.0.0.1:4',
        },
        credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
        outputs: { ResultsTableName: 't' },
      }),
      'local.json',
    );
    expect(config.endpoints).toEqual({
      sts: 'http://127.0.0.1:1',
      iam: 'http://127.0.0.1:1',
      organizations: 'http://127.0.0.1:1',
      s3: 'http://127.0.0.1:1',
      sqs: 'http://127.0.0.1:1',
      sfn: 'http://127.0.0.1:3',
      dynamodb: 'http://127.0.0.1:2',
      cloudformation: 'http://127.0.0.1:4',
    });
    expect(config.credentials).toEqual({ accessKeyId: 'AKIA', secretAccessKey: 'secret' });
    expect(config.outputs).toEqual({ ResultsTableName: 't' });
    expect(() => parseLocalConfig('nope', 'local.json')).toThrow(/^--local: local.json is not JSON/);
  });
});
