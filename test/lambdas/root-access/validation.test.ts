import { InvalidInputError } from '../../../lambdas/root-access/errors';
import {
  validateAccountId,
  validateBucketName,
  validateQueueUrl,
  validateReason,
  validateReplacementPolicy,
  validateRequest,
  validateRequestedBy,
  validateTicket,
} from '../../../lambdas/root-access/validation';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const IN_AWS = { partition: 'aws' } as const;

const statement = (overrides: Record<string, unknown> = {}, omit: string[] = []) => {
  const base: Record<string, unknown> = {
    Sid: 'AllowRead',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::my-bucket/*',
    ...overrides,
  };
  for (const key of omit) delete base[key];
  return base;
};
const policy = (statements: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements, ...extra });

/** Asserts the call fails with InvalidInputError naming the field, and returns the message. */
function rejection(call: () => unknown, field: string): string {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  const error = caught as InvalidInputError;
  expect(error.name).toBe('InvalidInputError');
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  return error.message;
}

describe('malformed inputs are rejected with the field named', () => {
  const cases: [string, () => unknown, string][] = [
    // account ids
    ['account id of 11 digits', () => validateAccountId('12345678901'), 'accountId'],
    ['account id of 13 digits', () => validateAccountId('1234567890123'), 'accountId'],
    ['account id given as a number', () => validateAccountId(123456789012), 'accountId'],
    ['account id with letters', () => validateAccountId('12345678901a'), 'accountId'],
    ['account id under a custom field', () => validateAccountId('x', 'accountIds[3]'), 'accountIds[3]'],
    ['account id with a trailing space', () => validateAccountId(`${ACCOUNT} `), 'accountId'],
    ['account id with a leading tab', () => validateAccountId(`\t${ACCOUNT}`), 'accountId'],
    ['account id with a trailing newline', () => validateAccountId(`${ACCOUNT}\n`), 'accountId'],
    ['account id with a trailing NUL', () => validateAccountId(`${ACCOUNT}\u0000`), 'accountId'],
    ['account id with a no-break space', () => validateAccountId(`${ACCOUNT}\u00a0`), 'accountId'],
    [
      'queue URL of the China partition from a function in aws',
      () => validateQueueUrl(`https://sqs.cn-north-1.amazonaws.com.cn/${ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL of GovCloud from a function in aws',
      () => validateQueueUrl(`https://sqs.us-gov-west-1.amazonaws.com/${ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL of aws from a function in the China partition',
      () =>
        validateQueueUrl(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/q`, ACCOUNT, {
          partition: 'aws-cn',
        }),
      'queueUrl',
    ],
    // bucket names
    ['bucket name too short', () => validateBucketName('ab'), 'bucketName'],
    ['bucket name too long', () => validateBucketName('a'.repeat(64)), 'bucketName'],
    ['bucket name with capitals', () => validateBucketName('My-Bucket'), 'bucketName'],
    ['bucket name with underscore', () => validateBucketName('my_bucket'), 'bucketName'],
    ['bucket name starting with a hyphen', () => validateBucketName('-bucket'), 'bucketName'],
    ['bucket name ending with a dot', () => validateBucketName('bucket.'), 'bucketName'],
    ['bucket name with adjacent dots', () => validateBucketName('my..bucket'), 'bucketName'],
    ['bucket name shaped as an IP address', () => validateBucketName('192.168.5.4'), 'bucketName'],
    ['bucket name with prefix xn--', () => validateBucketName('xn--bucket'), 'bucketName'],
    ['bucket name with prefix sthree-', () => validateBucketName('sthree-bucket'), 'bucketName'],
    ['bucket name with prefix amzn-s3-demo-', () => validateBucketName('amzn-s3-demo-bucket'), 'bucketName'],
    ['bucket name with suffix -s3alias', () => validateBucketName('bucket-s3alias'), 'bucketName'],
    ['bucket name with suffix --ol-s3', () => validateBucketName('bucket--ol-s3'), 'bucketName'],
    ['bucket name with suffix .mrap', () => validateBucketName('bucket.mrap'), 'bucketName'],
    ['bucket name with suffix --x-s3', () => validateBucketName('bucket--x-s3'), 'bucketName'],
    ['bucket name with suffix --table-s3', () => validateBucketName('bucket--table-s3'), 'bucketName'],
    // queue URLs
    [
      'queue URL over http',
      () => validateQueueUrl(`http://sqs.us-east-1.amazonaws.com/${ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL of another account',
      () => validateQueueUrl(`https://sqs.us-east-1.amazonaws.com/${OTHER_ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL on a foreign host',
      () => validateQueueUrl(`https://sqs.us-east-1.evil.com/${ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL without a queue name',
      () => validateQueueUrl(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL with a bad queue name',
      () => validateQueueUrl(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/a.b`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL with a name of 81 characters',
      () =>
        validateQueueUrl(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${'q'.repeat(81)}`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    [
      'queue URL with a query',
      () => validateQueueUrl(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/q?x=1`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    ['queue URL that is not a URL', () => validateQueueUrl('not a url', ACCOUNT, IN_AWS), 'queueUrl'],
    [
      'loopback queue URL when not local',
      () => validateQueueUrl(`http://127.0.0.1:4566/${ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    ],
    // replacement policies
    [
      'policy that is not JSON',
      () => validateReplacementPolicy('{"Version":', 'S3_BUCKET'),
      'replacementPolicy',
    ],
    ['policy that is a JSON array', () => validateReplacementPolicy('[]', 'S3_BUCKET'), 'replacementPolicy'],
    [
      'policy with an unknown version',
      () =>
        validateReplacementPolicy(
          JSON.stringify({ Version: '2020-01-01', Statement: statement() }),
          'S3_BUCKET',
        ),
      'replacementPolicy.Version',
    ],
    [
      'policy without a version',
      () => validateReplacementPolicy(JSON.stringify({ Statement: statement() }), 'S3_BUCKET'),
      'replacementPolicy.Version',
    ],
    [
      'policy with an empty statement list',
      () => validateReplacementPolicy(policy([]), 'S3_BUCKET'),
      'replacementPolicy.Statement',
    ],
    [
      'policy with an unknown top-level key',
      () => validateReplacementPolicy(policy(statement(), { Extra: 1 }), 'S3_BUCKET'),
      'replacementPolicy.Extra',
    ],
    [
      'statement with a bad effect',
      () => validateReplacementPolicy(policy([statement(), statement({ Effect: 'allow' })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[1].Effect',
    ],
    [
      'statement with Action and NotAction',
      () => validateReplacementPolicy(policy([statement({ NotAction: 's3:*' })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Action',
    ],
    [
      'statement without an action',
      () => validateReplacementPolicy(policy([statement({}, ['Action'])]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Action',
    ],
    [
      'statement without a resource',
      () => validateReplacementPolicy(policy(statement({}, ['Resource'])), 'SQS_QUEUE'),
      'replacementPolicy.Statement.Resource',
    ],
    [
      'statement without a principal',
      () => validateReplacementPolicy(policy([statement({}, ['Principal'])]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Principal',
    ],
    [
      'statement with an unknown key',
      () => validateReplacementPolicy(policy([statement({ Actions: 's3:*' })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Actions',
    ],
    [
      'statement with a numeric action',
      () => validateReplacementPolicy(policy([statement({ Action: [1] })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Action',
    ],
    [
      'statement with a condition that is a string',
      () => validateReplacementPolicy(policy([statement({ Condition: 'x' })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Condition',
    ],
    [
      'statement with a numeric Sid',
      () => validateReplacementPolicy(policy([statement({ Sid: 7 })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Sid',
    ],
    [
      'principal of an unknown type',
      () => validateReplacementPolicy(policy([statement({ Principal: { User: 'x' } })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Principal.User',
    ],
    [
      'S3 policy over 20 KB',
      () => validateReplacementPolicy(policy([statement({ Sid: 'x'.repeat(20_480) })]), 'S3_BUCKET'),
      'replacementPolicy',
    ],
    [
      'SQS policy over 8,192 bytes',
      () => validateReplacementPolicy(policy([statement({ Sid: 'x'.repeat(8_192) })]), 'SQS_QUEUE'),
      'replacementPolicy',
    ],
    [
      'policy whose Statement is a string',
      () => validateReplacementPolicy(policy('Allow'), 'S3_BUCKET'),
      'replacementPolicy.Statement',
    ],
    [
      'policy with a numeric Id',
      () => validateReplacementPolicy(policy(statement(), { Id: 5 }), 'S3_BUCKET'),
      'replacementPolicy.Id',
    ],
    [
      'statement that is not an object',
      () => validateReplacementPolicy(policy(['x']), 'S3_BUCKET'),
      'replacementPolicy.Statement[0]',
    ],
    [
      'principal that is an empty object',
      () => validateReplacementPolicy(policy([statement({ Principal: {} })]), 'S3_BUCKET'),
      'replacementPolicy.Statement[0].Principal',
    ],
    [
      'condition value that is an object',
      () =>
        validateReplacementPolicy(
          policy([statement({ Condition: { StringEquals: { 'aws:SourceAccount': { x: 1 } } } })]),
          'S3_BUCKET',
        ),
      'replacementPolicy.Statement[0].Condition.StringEquals.aws:SourceAccount',
    ],
    ['empty policy text', () => validateReplacementPolicy('  ', 'SQS_QUEUE'), 'replacementPolicy'],
    // reason, ticket, requestedBy
    ['missing required reason', () => validateReason(undefined, { required: true }), 'reason'],
    ['reason of two characters after trim', () => validateReason('  ab  ', { required: true }), 'reason'],
    ['reason over 500 characters', () => validateReason('r'.repeat(501), { required: true }), 'reason'],
    ['reason that is not a string', () => validateReason(42, { required: false }), 'reason'],
    ['ticket over 64 characters', () => validateTicket('T'.repeat(65)), 'ticket'],
    ['ticket with a control character', () => validateTicket('OPS-1\n2'), 'ticket'],
    ['requestedBy over 256 characters', () => validateRequestedBy('u'.repeat(257)), 'requestedBy'],
  ];

  test('the table holds at least 25 malformed inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  test.each(cases)('%s', (_name, call, field) => {
    rejection(call, field);
  });
});

describe('valid inputs are accepted', () => {
  test.each(['my-bucket', 'a.b.c', 'abc', '1bucket9', 'a'.repeat(63), 'logs.example.com'])(
    'bucket %s',
    (name) => {
      expect(validateBucketName(name)).toBe(name);
    },
  );

  test.each([
    [`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/orders`, 'eu-west-1', 'orders'],
    [`https://sqs.us-gov-west-1.amazonaws.com/${ACCOUNT}/orders.fifo`, 'us-gov-west-1', 'orders.fifo'],
    [`https://sqs.cn-north-1.amazonaws.com.cn/${ACCOUNT}/q_1-2`, 'cn-north-1', 'q_1-2'],
    [
      `https://ap-southeast-2.queue.amazonaws.com/${ACCOUNT}/${'q'.repeat(80)}`,
      'ap-southeast-2',
      'q'.repeat(80),
    ],
  ])('queue URL %s', (url, region, queueName) => {
    const partition = region.startsWith('cn-')
      ? 'aws-cn'
      : region.startsWith('us-gov-')
        ? 'aws-us-gov'
        : 'aws';
    expect(validateQueueUrl(url, ACCOUNT, { partition })).toEqual({ region, accountId: ACCOUNT, queueName });
  });

  test('a loopback queue URL is accepted only when the caller allows it', () => {
    expect(
      validateQueueUrl(`http://127.0.0.1:4566/${ACCOUNT}/q`, ACCOUNT, {
        partition: 'aws',
        loopbackRegion: 'us-east-1',
      }),
    ).toEqual({
      region: 'us-east-1',
      accountId: ACCOUNT,
      queueName: 'q',
    });
  });

  test('a policy with NotPrincipal, NotResource, a condition and the 2008 version', () => {
    const text = JSON.stringify({
      Version: '2008-10-17',
      Id: 'p1',
      Statement: {
        Effect: 'Deny',
        NotPrincipal: '*',
        NotAction: ['sqs:SendMessage'],
        NotResource: 'arn:aws:sqs:us-east-1:123456789012:other',
        Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': [10, '20'] } },
      },
    });
    expect(validateReplacementPolicy(text, 'SQS_QUEUE')).toBe(text);
  });

  test('an optional ticket and reason may be absent', () => {
    expect(validateTicket(undefined)).toBeUndefined();
    expect(validateReason(undefined, { required: false })).toBeUndefined();
  });
});

describe('validateRequest', () => {
  const onCall = { accountId: ACCOUNT, requestedBy: 'alice@example.com', reason: '  locked out of bucket  ' };

  test('SECURE_ACCOUNT fills requestedBy with "unknown" and needs no reason', () => {
    expect(
      validateRequest(
        'SECURE_ACCOUNT',
        {
          accountId: ACCOUNT,
          source: 'aws.organizations',
          requestId: 'ev-1',
        },
        IN_AWS,
      ),
    ).toEqual({
      accountId: ACCOUNT,
      requestedBy: 'unknown',
      source: 'aws.organizations',
      requestId: 'ev-1',
    });
  });

  test('DELETE_ROOT_CREDENTIALS trims and defaults dryRun and includeKeysInUse to false', () => {
    expect(validateRequest('DELETE_ROOT_CREDENTIALS', { ...onCall, ticket: 'OPS-7' }, IN_AWS)).toEqual({
      accountId: ACCOUNT,
      requestedBy: 'alice@example.com',
      reason: 'locked out of bucket',
      ticket: 'OPS-7',
      dryRun: false,
      includeKeysInUse: false,
    });
    expect(
      validateRequest('DELETE_ROOT_CREDENTIALS', { ...onCall, includeKeysInUse: true }, IN_AWS),
    ).toMatchObject({ includeKeysInUse: true });
  });

  test('UNLOCK_S3_BUCKET_POLICY REPLACE keeps the policy text byte for byte', () => {
    const replacementPolicy = `  ${policy(statement())}\n`;
    const result = validateRequest(
      'UNLOCK_S3_BUCKET_POLICY',
      {
        ...onCall,
        bucketName: 'my-bucket',
        action: 'REPLACE',
        replacementPolicy,
      },
      IN_AWS,
    );
    expect(result).toMatchObject({ bucketName: 'my-bucket', action: 'REPLACE', replacementPolicy });
  });

  test('UNLOCK_SQS_QUEUE_POLICY DELETE', () => {
    const queueUrl = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/orders`;
    expect(
      validateRequest('UNLOCK_SQS_QUEUE_POLICY', { ...onCall, queueUrl, action: 'DELETE' }, IN_AWS),
    ).toEqual({
      accountId: ACCOUNT,
      requestedBy: 'alice@example.com',
      reason: 'locked out of bucket',
      queueUrl,
      action: 'DELETE',
    });
  });

  const rejected: [string, unknown, unknown, string][] = [
    ['an unknown task', 'DROP_ACCOUNT', onCall, 'task'],
    ['a request that is not an object', 'ENABLE_ACCOUNT_RECOVERY', 'x', 'request'],
    ['a request that is an array', 'ENABLE_ACCOUNT_RECOVERY', [], 'request'],
    ['an unknown field', 'ENABLE_ACCOUNT_RECOVERY', { ...onCall, force: true }, 'force'],
    ['dryRun outside delete', 'ENABLE_ACCOUNT_RECOVERY', { ...onCall, dryRun: true }, 'dryRun'],
    [
      'a missing reason for an on-call task',
      'ENABLE_ACCOUNT_RECOVERY',
      { accountId: ACCOUNT, requestedBy: 'a' },
      'reason',
    ],
    [
      'a missing requestedBy for an on-call task',
      'DELETE_ROOT_CREDENTIALS',
      { accountId: ACCOUNT, reason: 'why not' },
      'requestedBy',
    ],
    ['dryRun as a string', 'DELETE_ROOT_CREDENTIALS', { ...onCall, dryRun: 'yes' }, 'dryRun'],
    [
      'includeKeysInUse as a string',
      'DELETE_ROOT_CREDENTIALS',
      { ...onCall, includeKeysInUse: 'yes' },
      'includeKeysInUse',
    ],
    [
      'includeKeysInUse on an automatic secure request',
      'SECURE_ACCOUNT',
      { accountId: ACCOUNT, includeKeysInUse: true },
      'includeKeysInUse',
    ],
    ['a missing action', 'UNLOCK_S3_BUCKET_POLICY', { ...onCall, bucketName: 'my-bucket' }, 'action'],
    [
      'an unknown action',
      'UNLOCK_S3_BUCKET_POLICY',
      { ...onCall, bucketName: 'my-bucket', action: 'WIPE' },
      'action',
    ],
    [
      'REPLACE without a policy',
      'UNLOCK_S3_BUCKET_POLICY',
      { ...onCall, bucketName: 'my-bucket', action: 'REPLACE' },
      'replacementPolicy',
    ],
    [
      'DELETE with a policy',
      'UNLOCK_S3_BUCKET_POLICY',
      { ...onCall, bucketName: 'my-bucket', action: 'DELETE', replacementPolicy: policy(statement()) },
      'replacementPolicy',
    ],
    [
      'a queue of another account',
      'UNLOCK_SQS_QUEUE_POLICY',
      { ...onCall, queueUrl: `https://sqs.us-east-1.amazonaws.com/${OTHER_ACCOUNT}/q`, action: 'DELETE' },
      'queueUrl',
    ],
    ['an unknown event source', 'SECURE_ACCOUNT', { accountId: ACCOUNT, source: 'aws.ec2' }, 'source'],
  ];

  test.each(rejected)('rejects %s', (_name, task, request, field) => {
    rejection(() => validateRequest(task, request, IN_AWS), field);
  });

  test('the SQS check names the queue URL and both accounts', () => {
    const message = rejection(
      () => validateQueueUrl(`https://sqs.us-east-1.amazonaws.com/${OTHER_ACCOUNT}/q`, ACCOUNT, IN_AWS),
      'queueUrl',
    );
    expect(message).toContain(OTHER_ACCOUNT);
    expect(message).toContain(ACCOUNT);
  });
});
