import {
  attemptName,
  canonicalJson,
  isAttemptOf,
  executionArnFor,
  executionNameFor,
  MAX_EXECUTION_NAME_LENGTH,
  timestampedExecutionName,
  type RequestIdentity,
} from '../../cli/execution-name';

const request: RequestIdentity = {
  command: 'unlock-s3',
  accountId: '111122223333',
  args: { bucketName: 'app-logs', action: 'DELETE' },
  reason: 'policy denies everyone',
  ticket: 'INC-42',
  requestedBy: 'arn:aws:sts::999988887777:assumed-role/OnCall/alice',
};

// Step Functions: 1..80 characters, none of whitespace, brackets, wildcards, "#%\^|~`$&,;:/ or control characters.
const VALID_NAME = /^[A-Za-z0-9_-]{1,80}$/;

describe('executionNameFor', () => {
  it('is stable for the same request, whatever the order of its arguments', () => {
    const reordered = { ...request, args: { action: 'DELETE', bucketName: 'app-logs' } };
    expect(executionNameFor(reordered)).toBe(executionNameFor(request));
    expect(executionNameFor(request)).toMatch(/^unlock-s3-111122223333-[0-9a-f]{20}$/);
  });

  it.each([
    ['reason', { reason: 'another reason' }],
    ['ticket', { ticket: 'INC-43' }],
    ['requester', { requestedBy: 'arn:aws:sts::999988887777:assumed-role/OnCall/bob' }],
    ['arguments', { args: { bucketName: 'app-logs', action: 'REPLACE' } }],
    ['account', { accountId: '444455556666' }],
  ])('changes when the %s changes', (_label, change) => {
    expect(executionNameFor({ ...request, ...change })).not.toBe(executionNameFor(request));
  });

  it('keeps within the Step Functions name rules, even for long commands', () => {
    const long = {
      ...request,
      command: 'a-very-long-command-name-that/has:odd#characters and spaces'.repeat(3),
    };
    for (const name of [executionNameFor(request), executionNameFor(long)]) {
      expect(name).toMatch(VALID_NAME);
      expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
    }
  });

  it('gives audits a new name each time, still valid', () => {
    const audit = { command: 'audit', args: { accountIds: 'ALL' }, requestedBy: 'me' };
    const first = timestampedExecutionName(audit, new Date('2026-11-24T10:00:00.123Z'));
    const second = timestampedExecutionName(audit, new Date('2026-11-24T10:00:01.000Z'));
    expect(first).not.toBe(second);
    expect(first).toMatch(/^audit-20261124T100000Z-[0-9a-f]{20}$/);
  });
});

describe('attempts of a request', () => {
  it('adds the second an attempt started, within the name rules, and recognizes its own attempts only', () => {
    const requestName = executionNameFor(request);
    const attempt = attemptName(requestName, new Date('2026-11-29T19:49:42.936Z'));
    expect(attempt).toBe(`${requestName}-20261129T194942Z`);
    expect(attempt).toMatch(VALID_NAME);
    expect(isAttemptOf(attempt, requestName)).toBe(true);
    expect(isAttemptOf(requestName, requestName)).toBe(true);
    expect(isAttemptOf(`${requestName}0-20261129T194942Z`, requestName)).toBe(false);
    expect(isAttemptOf(executionNameFor({ ...request, ticket: 'INC-43' }), requestName)).toBe(false);
    const long = executionNameFor({ ...request, command: 'delete-root-credentials'.repeat(4) });
    expect(attemptName(long, new Date()).length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"f":2}]},"b":1}',
    );
  });
});

describe('executionArnFor', () => {
  it('turns a state machine ARN into the ARN of one of its executions', () => {
    expect(executionArnFor('arn:aws:states:eu-west-1:111122223333:stateMachine:Unlock', 'run-1')).toBe(
      'arn:aws:states:eu-west-1:111122223333:execution:Unlock:run-1',
    );
  });
});
