import { denyAllPolicy, type OrganizationFixture } from '../../../sandbox';

/** The organization the command-line tests run against: small, declarative, every case named. */

export const MANAGEMENT = '999900000000';
/** A member with a locked bucket and queue, and root credentials to delete. */
export const MEMBER = '111100000001';
/** A clean member (recovery, audits). */
export const CLEAN = '111100000002';
/** Protected by configuration: never targeted. */
export const PROTECTED = '111100000003';
/** Twelve digits, in no organization. */
export const UNKNOWN = '123456789012';
export const REGION = 'us-east-1';

export const LOCKED_BUCKET = 'locked-bucket';
export const RETRIED_BUCKET = 'retried-bucket';
export const REPLACED_BUCKET = 'replaced-bucket';
export const PROMPT_BUCKET = 'prompt-bucket';
export const PROTECTED_BUCKET = 'protected-bucket';
export const LOCKED_QUEUE = 'locked-queue';

export const queueUrl = (account: string, name: string) =>
  `https://sqs.${REGION}.amazonaws.com/${account}/${name}`;
const bucketPolicy = (name: string) => denyAllPolicy(`arn:aws:s3:::${name}/*`);
export const ORIGINAL_POLICY = bucketPolicy(LOCKED_BUCKET);

export function organization(features: boolean): OrganizationFixture {
  return {
    managementAccount: { id: MANAGEMENT, name: 'management' },
    features: { rootCredentialsManagement: features, rootSessions: features },
    trustedAccess: features ? ['iam.amazonaws.com'] : [],
    accounts: [
      {
        id: MEMBER,
        name: 'payments',
        joinedMethod: 'INVITED',
        rootCredentials: {
          loginProfile: true,
          accessKeys: [{ accessKeyId: 'AKIAROOTKEY000000001' }],
        },
        buckets: [LOCKED_BUCKET, RETRIED_BUCKET, REPLACED_BUCKET, PROMPT_BUCKET].map((name) => ({
          name,
          region: REGION,
          policy: bucketPolicy(name),
        })),
        queues: [
          {
            name: LOCKED_QUEUE,
            region: REGION,
            policy: denyAllPolicy(`arn:aws:sqs:${REGION}:${MEMBER}:${LOCKED_QUEUE}`),
          },
        ],
      },
      { id: CLEAN, name: 'search' },
      {
        id: PROTECTED,
        name: 'break-glass',
        buckets: [{ name: PROTECTED_BUCKET, region: REGION, policy: bucketPolicy(PROTECTED_BUCKET) }],
      },
    ],
  };
}
