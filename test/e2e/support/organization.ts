import type { OrganizationFixture } from '../../../sandbox';

/** A small organization with one account per situation the workflows handle. */
export const MANAGEMENT = '100000000001';
export const CREATED_CLEAN = '200000000002';
export const INVITED_FULL = '300000000003';
export const INVITED_PASSWORD_KEY = '400000000004';
export const LOCKED = '500000000005';
export const RECOVERY = '600000000006';
export const SUSPENDED = '700000000007';

export const LOCKED_BUCKET = 'locked-bucket-e2e';
export const REPLACED_BUCKET = 'replaced-bucket-e2e';
export const LOCKED_QUEUE = 'locked-queue-e2e';
export const QUEUE_URL = `https://sqs.eu-west-1.amazonaws.com/${LOCKED}/${LOCKED_QUEUE}`;

/**
 * Policies as people write them: indented, a non-ASCII description, a
 * trailing newline. The backup must keep every byte.
 */
export const BUCKET_POLICY = `{
    "Version": "2012-10-17",
    "Id": "Verrouillé — deny everyone",
    "Statement": [
        {
            "Sid": "DenyAll",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::${LOCKED_BUCKET}", "arn:aws:s3:::${LOCKED_BUCKET}/*"]
        }
    ]
}
`;
export const REPLACED_BUCKET_ORIGINAL = BUCKET_POLICY.split(LOCKED_BUCKET).join(REPLACED_BUCKET);
export const REPLACEMENT_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${REPLACED_BUCKET}`, `arn:aws:s3:::${REPLACED_BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});
export const QUEUE_POLICY = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"arn:aws:sqs:eu-west-1:${LOCKED}:${LOCKED_QUEUE}"}]}`;

export function workflowsOrganization(): OrganizationFixture {
  return {
    managementAccount: { id: MANAGEMENT, name: 'management' },
    features: { rootCredentialsManagement: true, rootSessions: true },
    trustedAccess: ['iam.amazonaws.com'],
    organizationalUnits: [{ name: 'Workloads' }],
    accounts: [
      { id: CREATED_CLEAN, name: 'created-clean', joinedMethod: 'CREATED', parent: 'Workloads' },
      {
        id: INVITED_FULL,
        name: 'invited-full',
        joinedMethod: 'INVITED',
        rootCredentials: {
          loginProfile: true,
          accessKeys: [{ accessKeyId: 'AKIAE2EINVITEDKEY001' }, { accessKeyId: 'AKIAE2EINVITEDKEY002' }],
          signingCertificates: [{ certificateId: 'E2ECERTIFICATE0000000000000000001' }],
          mfaDevices: [
            { serialNumber: `arn:aws:iam::${INVITED_FULL}:mfa/root-account-mfa-device`, type: 'virtual' },
          ],
        },
      },
      {
        id: INVITED_PASSWORD_KEY,
        name: 'invited-password-key',
        joinedMethod: 'INVITED',
        rootCredentials: { loginProfile: true, accessKeys: [{ accessKeyId: 'AKIAE2EPASSWORDKEY01' }] },
      },
      {
        id: LOCKED,
        name: 'locked-resources',
        buckets: [
          { name: LOCKED_BUCKET, region: 'eu-west-1', policy: BUCKET_POLICY },
          { name: REPLACED_BUCKET, region: 'us-east-1', policy: REPLACED_BUCKET_ORIGINAL },
        ],
        queues: [{ name: LOCKED_QUEUE, region: 'eu-west-1', policy: QUEUE_POLICY }],
      },
      { id: RECOVERY, name: 'recovery' },
      { id: SUSPENDED, name: 'suspended', status: 'SUSPENDED', state: 'SUSPENDED' },
    ],
  };
}
