import { postureFromDetails } from '../../../lambdas/root-access/posture';
import {
  defaultProductArn,
  postureFinding,
  severityOf,
} from '../../../lambdas/root-access/security-hub-findings';

const CONTEXT = {
  partition: 'aws' as const,
  region: 'eu-west-1',
  callerAccountId: '999900000000',
  observedAt: '2026-11-29T10:00:00.000Z',
};
const none = { accessKeys: [], signingCertificates: [], mfaDevices: [] };

/** The fields BatchImportFindings requires (AWS Security Hub API reference, AwsSecurityFinding). */
const REQUIRED_ASFF_FIELDS = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
];

test('a finding carries every field BatchImportFindings requires, for the default product of the caller', () => {
  const finding = postureFinding(
    { accountId: '111100000001', posture: postureFromDetails({ ...none, password: {} }) },
    CONTEXT,
  ) as unknown as Record<string, unknown>;
  for (const field of REQUIRED_ASFF_FIELDS) expect(finding[field]).toBeTruthy();
  expect(finding.ProductArn).toBe('arn:aws:securityhub:eu-west-1:999900000000:product/999900000000/default');
  expect(finding.ProductArn).toBe(defaultProductArn(CONTEXT));
  expect(finding.AwsAccountId).toBe('999900000000');
  expect(finding.SchemaVersion).toBe('2018-10-08');
  expect(finding.Resources).toEqual([
    { Type: 'AwsAccount', Id: 'AWS::::Account:111100000001', Partition: 'aws', Region: 'eu-west-1' },
  ]);
  expect(finding).toMatchObject({
    Severity: { Label: 'HIGH' },
    FindingProviderFields: { Severity: { Label: 'HIGH' } },
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
    Description: expect.stringContaining('password') as unknown,
    Remediation: {
      Recommendation: {
        Text: expect.stringContaining('rootkeeper delete-root-credentials --account 111100000001') as unknown,
      },
    },
  });
});

test('a clean account’s finding is archived and passed', () => {
  const finding = postureFinding({ accountId: '111100000002', posture: postureFromDetails(none) }, CONTEXT);
  expect(finding).toMatchObject({
    RecordState: 'ARCHIVED',
    Compliance: { Status: 'PASSED' },
    Severity: { Label: 'INFORMATIONAL' },
  });
});

test.each([
  [
    'access keys',
    { ...none, password: {}, accessKeys: [{ accessKeyId: 'AKIA1', status: 'Active' }] },
    'CRITICAL',
  ],
  ['a password', { ...none, password: {} }, 'HIGH'],
  [
    'a signing certificate',
    { ...none, signingCertificates: [{ certificateId: 'C', status: 'Active' }] },
    'HIGH',
  ],
  [
    'an MFA device only',
    { ...none, mfaDevices: [{ serialNumber: 'arn:aws:iam::1:mfa/r', virtual: true }] },
    'LOW',
  ],
  ['nothing', none, 'INFORMATIONAL'],
])('severity with %s is %s', (_, details, label) => {
  expect(severityOf(postureFromDetails(details))).toBe(label);
});
