/**
 * Each rule of the sandbox's resource-policy validation, with the AWS documentation it follows.
 * The sandbox is the oracle for the product's policy handling, so these rules are written from the
 * documentation, never from lambdas/root-access/policy-grammar.ts.
 */
import type { PolicyTarget } from '../../sandbox/resource-policy';
import { PolicyRejection, validateResourcePolicy } from '../../sandbox/resource-policy';

const BUCKET: PolicyTarget = { service: 's3', resourceArn: 'arn:aws:s3:::team-bucket', partition: 'aws' };
const QUEUE: PolicyTarget = {
  service: 'sqs',
  resourceArn: 'arn:aws:sqs:eu-west-1:222222222222:team-queue',
  partition: 'aws',
};

const statement = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  Sid: 'S',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::team-bucket/*',
  ...overrides,
});
const policy = (...statements: Record<string, unknown>[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const sqsStatement = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  statement({ Action: 'sqs:SendMessage', Resource: QUEUE.resourceArn, ...overrides });

const rejection = (target: PolicyTarget, text: string): string | undefined => {
  try {
    validateResourcePolicy(target, text);
    return undefined;
  } catch (error) {
    if (error instanceof PolicyRejection) return error.message;
    throw error;
  }
};

describe('resource policies S3 and SQS accept', () => {
  test.each([
    ['a deny-all bucket policy on the objects', BUCKET, policy(statement({ Action: '*' }))],
    [
      'an s3:* statement on bucket and objects',
      BUCKET,
      policy(
        statement({ Action: 's3:*', Resource: ['arn:aws:s3:::team-bucket', 'arn:aws:s3:::team-bucket/*'] }),
      ),
    ],
    [
      'a bucket-level action on the bucket',
      BUCKET,
      policy(statement({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::team-bucket' })),
    ],
    [
      'an account principal and a global condition key',
      BUCKET,
      policy(
        statement({
          Principal: { AWS: ['222222222222', 'arn:aws:iam::222222222222:root'] },
          Condition: {
            StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' },
            'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/*' },
            BoolIfExists: { 'aws:SecureTransport': 'false' },
          },
        }),
      ),
    ],
    [
      'an S3 condition key',
      BUCKET,
      policy(statement({ Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } })),
    ],
    [
      'the 2008-10-17 language version',
      BUCKET,
      JSON.stringify({ Version: '2008-10-17', Statement: statement() }),
    ],
    [
      'a queue policy',
      QUEUE,
      policy(
        sqsStatement({
          Principal: { Service: 'sns.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:222222222222:t' } },
        }),
      ),
    ],
  ])('%s', (_name, target, text) => {
    expect(rejection(target, text)).toBeUndefined();
  });
});

describe('resource policies S3 and SQS refuse', () => {
  test.each([
    // S3 User Guide, "Bucket policies and user policies": "Bucket policies are limited to 20 KB in size."
    [
      'a bucket policy over 20 KB',
      BUCKET,
      policy(...Array.from({ length: 200 }, (_, i) => statement({ Sid: `S${i}` }))),
      /maximum allowed document size/,
    ],
    // IAM User Guide, "Grammar of the IAM JSON policy language": a policy is a JSON object.
    ['text that is not JSON', BUCKET, 'Version: 2012-10-17', /valid JSON/],
    ['a JSON array', BUCKET, '[]', /valid JSON/],
    // IAM User Guide, "IAM JSON policy elements: Version": "IAM supports the following Version element values: 2012-10-17 ... 2008-10-17".
    [
      'an unknown language version',
      BUCKET,
      JSON.stringify({ Version: '2012-10-18', Statement: statement() }),
      /version/,
    ],
    // IAM User Guide, "Grammar": policy = { <version_block?> <id_block?> <statement_block> } — Statement is required.
    ['no Statement', BUCKET, JSON.stringify({ Version: '2012-10-17' }), /Missing required field Statement/],
    ['an empty Statement list', BUCKET, policy(), /Statement is empty/],
    [
      'an unknown top-level field',
      BUCKET,
      JSON.stringify({ Version: '2012-10-17', Statement: statement(), Extra: 1 }),
      /Unknown field Extra/,
    ],
    [
      'an unknown statement field',
      BUCKET,
      policy(statement({ Actions: 's3:GetObject' })),
      /Unknown field Actions/,
    ],
    // IAM User Guide, "IAM JSON policy elements: Effect": "The Effect element is required ... Valid values for Effect are Allow and Deny. The Effect value is case sensitive."
    ['no Effect', BUCKET, policy(statement({ Effect: undefined })), /Missing required field Effect/],
    ['Effect in lower case', BUCKET, policy(statement({ Effect: 'deny' })), /Invalid effect/],
    // IAM User Guide, "Policies and permissions" (elements): "Principal (Required in only some circumstances) – If you create a resource-based policy, you must indicate the account, user, role, or federated user".
    [
      'no Principal in a resource policy',
      BUCKET,
      policy(statement({ Principal: undefined })),
      /Missing required field Principal/,
    ],
    [
      'a principal that is not an ARN, account or *',
      BUCKET,
      policy(statement({ Principal: { AWS: 'alice' } })),
      /Invalid principal/,
    ],
    [
      'an unknown principal type',
      BUCKET,
      policy(statement({ Principal: { User: '*' } })),
      /Invalid principal/,
    ],
    // IAM User Guide, "Action": actions are <service prefix>:<action>; S3 User Guide, "Policy actions for Amazon S3": bucket policies name s3: actions.
    [
      'an action of another service in a bucket policy',
      BUCKET,
      policy(statement({ Action: 'sqs:SendMessage' })),
      /invalid action/,
    ],
    [
      'an S3 action that does not exist',
      BUCKET,
      policy(statement({ Action: 's3:GetObjects' })),
      /invalid action/,
    ],
    // S3 User Guide, "Policy resources for Amazon S3": a bucket policy's resources are the bucket (arn:aws:s3:::bucket) and its objects (arn:aws:s3:::bucket/key).
    [
      'another bucket as resource',
      BUCKET,
      policy(statement({ Resource: 'arn:aws:s3:::other-bucket/*' })),
      /invalid resource/,
    ],
    [
      'a resource that is not an ARN',
      BUCKET,
      policy(statement({ Resource: 'team-bucket' })),
      /invalid resource/,
    ],
    // Service Authorization Reference for S3: s3:GetObject applies to the object resource type only.
    [
      'an object action on the bucket ARN',
      BUCKET,
      policy(statement({ Resource: 'arn:aws:s3:::team-bucket' })),
      /does not apply to any resource/,
    ],
    // ARNs name their partition (IAM User Guide, "IAM identifiers", ARN format arn:partition:service:...): a bucket in aws is not arn:aws-cn.
    [
      'a resource of another partition',
      BUCKET,
      policy(statement({ Resource: 'arn:aws-cn:s3:::team-bucket/*' })),
      /invalid resource/,
    ],
    [
      'a principal of another partition',
      BUCKET,
      policy(statement({ Principal: { AWS: 'arn:aws-us-gov:iam::222222222222:root' } })),
      /Invalid principal/,
    ],
    // IAM User Guide, "Condition operators": the operators are String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, each with ...IfExists except Null, and ForAnyValue:/ForAllValues: for multivalued keys.
    [
      'an unknown condition operator',
      BUCKET,
      policy(statement({ Condition: { StringEqual: { 'aws:SourceAccount': '1' } } })),
      /Invalid Condition type/,
    ],
    [
      'NullIfExists',
      BUCKET,
      policy(statement({ Condition: { NullIfExists: { 'aws:SourceAccount': 'true' } } })),
      /Invalid Condition type/,
    ],
    // S3 User Guide, "Bucket policy examples using condition keys": keys are the global aws: keys and the s3: keys of the Service Authorization Reference.
    [
      'an unknown condition key in a bucket policy',
      BUCKET,
      policy(statement({ Condition: { StringEquals: { 's3:NoSuchKey': 'x' } } })),
      /invalid condition key/,
    ],
    // SQS Developer Guide, "Amazon SQS policy quotas": Bytes 8,192; Conditions 10; Principals 50; Statements 20; Actions per statement 7.
    [
      'a queue policy over 8,192 bytes',
      QUEUE,
      policy(...Array.from({ length: 19 }, (_, i) => sqsStatement({ Sid: `S${i}`.padEnd(400, 'x') }))),
      /maximum allowed document size/,
    ],
    [
      '21 statements in a queue policy',
      QUEUE,
      policy(...Array.from({ length: 21 }, (_, i) => sqsStatement({ Sid: `S${i}` }))),
      /Too many statements/,
    ],
    [
      '8 actions in a queue statement',
      QUEUE,
      policy(
        sqsStatement({
          Action: [
            'SendMessage',
            'ReceiveMessage',
            'DeleteMessage',
            'GetQueueUrl',
            'GetQueueAttributes',
            'ListQueues',
            'PurgeQueue',
            'TagQueue',
          ].map((a) => `sqs:${a}`),
        }),
      ),
      /Too many actions/,
    ],
    [
      '51 principals in a queue statement',
      QUEUE,
      policy(
        sqsStatement({ Principal: { AWS: Array.from({ length: 51 }, (_, i) => String(100000000000 + i)) } }),
      ),
      /Too many principals/,
    ],
    [
      '11 conditions in a queue statement',
      QUEUE,
      policy(
        sqsStatement({
          Condition: {
            StringEquals: Object.fromEntries(
              Array.from({ length: 11 }, (_, i) => [`aws:PrincipalTag/k${i}`, 'v']),
            ),
          },
        }),
      ),
      /Too many conditions/,
    ],
    // SQS Developer Guide, "API permissions: actions and resource reference": queue actions are sqs:<Action> on arn:aws:sqs:region:account_id:queue_name.
    [
      'an S3 action in a queue policy',
      QUEUE,
      policy(sqsStatement({ Action: 's3:GetObject' })),
      /invalid action/,
    ],
    [
      'another queue as resource',
      QUEUE,
      policy(sqsStatement({ Resource: 'arn:aws:sqs:eu-west-1:222222222222:other' })),
      /invalid resource/,
    ],
    [
      'a queue ARN of another partition',
      QUEUE,
      policy(sqsStatement({ Resource: 'arn:aws-cn:sqs:eu-west-1:222222222222:team-queue' })),
      /invalid resource/,
    ],
  ])('%s', (_name, target, text, message) => {
    expect(rejection(target, text)).toMatch(message);
  });
});
