import { describePosture, renderResultsReport } from '../../../local/main-job/results-report';

const dirty = {
  credentialsPresent: true,
  passwordPresent: true,
  accessKeysPresent: true,
  signingCertificatesPresent: false,
  mfaEnabled: true,
  details: { accessKeys: [{}, {}], signingCertificates: [], mfaDevices: [{}] },
};
const clean = {
  credentialsPresent: false,
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};

test.each([
  [dirty, 'password, 2 access keys, MFA'],
  [JSON.stringify(clean), 'clean'],
  [{ ...clean, credentialsPresent: true, accessKeysPresent: true }, 'access keys'],
  ['not json', '-'],
  [undefined, '-'],
])('describePosture %#', (posture, expected) => {
  expect(describePosture(posture)).toBe(expected);
});

const INVITED = '055556666777';
const items = [
  {
    PK: `ACCOUNT#${INVITED}`,
    SK: 'RUN#2026-11-24T10:00:01Z#a',
    workflow: 'SecureNewAccount',
    outcome: 'REMEDIATED',
    before: JSON.stringify(dirty),
    after: JSON.stringify(clean),
    actions: JSON.stringify([{}, {}, {}, {}, {}]),
    startedAt: '2026-11-24T10:00:01Z',
  },
  {
    PK: 'ACCOUNT#044445555666',
    SK: 'RUN#2026-11-24T10:00:00Z#b',
    workflow: 'SecureNewAccount',
    outcome: 'SKIPPED',
    outcomeReason: 'DUPLICATE_REQUEST',
    startedAt: '2026-11-24T10:00:00Z',
  },
  {
    PK: 'ACCOUNT#099990000111',
    SK: 'RUN#2026-11-24T10:00:02Z#c',
    workflow: 'AuditOrganization',
    outcome: 'CREDENTIALS_PRESENT',
    before: JSON.stringify(dirty),
    startedAt: '2026-11-24T10:00:02Z',
  },
  {
    PK: 'ACCOUNT#099990000111',
    SK: 'RUN#2026-11-24T10:00:05Z#d',
    workflow: 'EnableAccountRecovery',
    outcome: 'ENABLED',
    startedAt: '2026-11-24T10:00:05Z',
  },
  {
    PK: `ACCOUNT#${INVITED}`,
    SK: 'POSTURE',
    posture: JSON.stringify(clean),
    credentialsPresent: false,
    checkedAt: '2026-11-24T10:00:03Z',
  },
  {
    PK: 'ACCOUNT#099990000111',
    SK: 'POSTURE',
    posture: JSON.stringify(dirty),
    credentialsPresent: true,
    checkedAt: '2026-11-24T10:00:03Z',
  },
  {
    PK: 'ORGANIZATION',
    SK: 'RUN#x',
    workflow: 'AuditOrganization',
    outcome: 'AUDITED',
    audited: 2,
    clean: 1,
    withCredentials: 1,
  },
  // A remediation's summary lives under ORGANIZATION too: it is not an audit.
  { PK: 'ORGANIZATION', SK: 'RUN#y', workflow: 'RemediateOrganization', outcome: 'COMPLETED', done: 6 },
  {
    PK: 'RESOURCE#arn:aws:s3:::locked',
    SK: 'BACKUP#2026-11-24T10:00:02Z#exec-1',
    backupId: 'exec-1',
    policy: '{ "é": 1 }',
    policySha256: 'abcdef0123456789',
  },
];

describe('the results report', () => {
  const report = renderResultsReport(items, {
    accountNames: new Map([[INVITED, 'legacy-invited']]),
    tableName: 'Results',
  });
  const lines = report.split('\n');

  test('lists the requested runs in time order, the sweep runs per account only', () => {
    expect(report).toContain('Workflow runs (3, besides the organization audit)');
    expect(lines.findIndex((line) => line.includes('SKIPPED DUPLICATE_REQUEST'))).toBeLessThan(
      lines.findIndex((line) => line.includes('REMEDIATED')),
    );
    expect(report).toMatch(
      /055556666777 legacy-invited\s+REMEDIATED\s+password, 2 access keys, MFA\s+clean\s+5/,
    );
  });

  test('shows each account before and after, with its outcomes', () => {
    expect(report).toContain('Accounts (2 postures recorded, 1 with root credentials)');
    expect(report).toMatch(
      /055556666777 legacy-invited\s+password, 2 access keys, MFA\s+clean\s+SecureNewAccount REMEDIATED/,
    );
    // Recovery ran after the audit and recorded no posture: the audited one is marked as such.
    expect(report).toMatch(
      /099990000111\s+password, 2 access keys, MFA\s+password, 2 access keys, MFA \(at the audit\)\s+AuditOrganization CREDENTIALS_PRESENT, EnableAccountRecovery ENABLED/,
    );
  });

  test('gives the audit summary, where the backups are, and the totals', () => {
    expect(report).toContain('Organization audit AUDITED: audited 2, clean 1, withCredentials 1, failed 0');
    expect(report.match(/Organization audit/g)).toHaveLength(1);
    expect(report).not.toContain('Organization audit COMPLETED');
    expect(report).toContain('Policy backups (1 in table Results)');
    expect(report).toMatch(
      /arn:aws:s3:::locked\s+exec-1\s+11\s+abcdef012345\s+PK=RESOURCE#arn:aws:s3:::locked SK=BACKUP#2026-11-24T10:00:02Z#exec-1/,
    );
    expect(report).toContain(
      'Totals: 4 runs (SKIPPED 1, REMEDIATED 1, CREDENTIALS_PRESENT 1, ENABLED 1), 2 postures, 1 accounts with root credentials, 1 backups',
    );
  });
});
