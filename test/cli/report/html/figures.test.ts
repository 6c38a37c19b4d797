import {
  actionsOverTime,
  pendingBackups,
  postureOverTime,
  reportFigures,
  UNKNOWN_OU,
} from '../../../../cli/report/html/figures';
import { renderHtmlReport } from '../../../../cli/report/html/render-html';

type RawItem = Record<string, unknown>;

const SINCE = '2026-11-01T00:00:00.000Z';
const OPTIONS = { generatedAt: '2026-11-29T12:00:00.000Z', since: SINCE };

function postureItem(
  accountId: string,
  posture: Record<string, unknown>,
  checkedAt = '2026-11-20T10:00:00Z',
): RawItem {
  return {
    PK: `ACCOUNT#${accountId}`,
    SK: 'POSTURE',
    GSI1PK: 'POSTURE',
    GSI1SK: `ACCOUNT#${accountId}`,
    posture: JSON.stringify(posture),
    credentialsPresent: posture.credentialsPresent,
    checkedAt,
  };
}

function runItem(accountId: string, startedAt: string, fields: RawItem): RawItem {
  return {
    PK: accountId === 'ORGANIZATION' ? 'ORGANIZATION' : `ACCOUNT#${accountId}`,
    SK: `RUN#${startedAt}#exec-${accountId}-${startedAt}`,
    startedAt,
    workflow: 'delete-root-credentials',
    requestedBy: 'alice',
    reason: 'r',
    ticket: '',
    outcomeReason: '',
    ...fields,
  };
}

const CLEAN = {
  credentialsPresent: false,
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};

describe('headline figures', () => {
  test('count each kind from the details, or from the flags when details are missing', () => {
    // Prepare
    const items = [
      postureItem('111111111111', {
        ...CLEAN,
        credentialsPresent: true,
        passwordPresent: true,
        accessKeysPresent: true,
        details: { password: {}, accessKeys: [{}, {}], signingCertificates: [], mfaDevices: [] },
      }),
      postureItem('222222222222', { ...CLEAN, credentialsPresent: true, mfaEnabled: true }),
      postureItem('333333333333', CLEAN),
    ];
    // Act
    const figures = reportFigures(items, OPTIONS);
    // Assess
    expect(figures.headline).toEqual({
      accounts: 3,
      clean: 1,
      withCredentials: 2,
      byKind: { password: 1, accessKeys: 1, signingCertificates: 0, mfaDevices: 1 },
      notAudited: 0,
      protectedOrSkipped: 0,
    });
    expect(figures.withCredentials.map((account) => [account.accountId, account.counts])).toEqual([
      ['111111111111', { password: 1, accessKeys: 2, signingCertificates: 0, mfaDevices: 0 }],
      ['222222222222', { password: 0, accessKeys: 0, signingCertificates: 0, mfaDevices: 1 }],
    ]);
  });

  test('count accounts known to Organizations or to a run but never audited as not audited', () => {
    const items = [
      postureItem('111111111111', CLEAN),
      runItem('444444444444', '2026-11-10T00:00:00Z', {
        outcome: 'SKIPPED',
        outcomeReason: 'PROTECTED_ACCOUNT',
      }),
    ];
    const ouOf = new Map([
      ['111111111111', 'Prod'],
      ['555555555555', 'Prod'],
    ]);
    const figures = reportFigures(items, { ...OPTIONS, ouOf });
    expect(figures.headline.accounts).toBe(3);
    expect(figures.headline.notAudited).toBe(2);
    // No organization audit recorded: the skipped runs are what is known.
    expect(figures.headline.protectedOrSkipped).toBe(1);
    expect(figures.byOu).toEqual([
      { ou: UNKNOWN_OU, accounts: 1, clean: 0, withCredentials: 0, notAudited: 1 },
      { ou: 'Prod', accounts: 2, clean: 1, withCredentials: 0, notAudited: 1 },
    ]);
  });

  test('protected / skipped comes from the newest organization audit when there is one', () => {
    const skipped = (management: number, protectedOu: number) =>
      JSON.stringify({
        inventoryId: 'x',
        skipped: { MANAGEMENT_ACCOUNT: management, PROTECTED_OU: protectedOu },
      });
    const items = [
      runItem('ORGANIZATION', '2026-11-10T00:00:00Z', { outcome: 'AUDITED', after: skipped(1, 9) }),
      runItem('ORGANIZATION', '2026-11-20T00:00:00Z', { outcome: 'AUDITED', after: skipped(1, 4) }),
    ];
    const figures = reportFigures(items, OPTIONS);
    expect(figures.headline.protectedOrSkipped).toBe(5);
    expect(figures.skippedByReason).toEqual({ MANAGEMENT_ACCOUNT: 1, PROTECTED_OU: 4 });
  });

  test('OUs with most accounts with credentials come first', () => {
    const creds = { ...CLEAN, credentialsPresent: true, passwordPresent: true };
    const items = [postureItem('111111111111', CLEAN), postureItem('222222222222', creds)];
    const ouOf = new Map([
      ['111111111111', 'A'],
      ['222222222222', 'B'],
    ]);
    expect(reportFigures(items, { ...OPTIONS, ouOf }).byOu.map((ou) => ou.ou)).toEqual(['B', 'A']);
  });
});

describe('posture over time', () => {
  test('replays the runs day by day, carrying each account forward, from the postures checked before the window', () => {
    const items = [
      postureItem('111111111111', { ...CLEAN, credentialsPresent: true }, '2026-10-01T00:00:00Z'),
      runItem('222222222222', '2026-11-02T09:00:00Z', { outcome: 'CREDENTIALS_PRESENT' }),
      runItem('333333333333', '2026-11-02T10:00:00Z', { outcome: 'CLEAN' }),
      runItem('222222222222', '2026-11-04T09:00:00Z', { outcome: 'REMEDIATED' }),
      // Recovery enabled: the run's `after` says the account has a password again.
      runItem('333333333333', '2026-11-04T11:00:00Z', {
        outcome: 'ENABLED',
        after: JSON.stringify({ credentialsPresent: true }),
      }),
      runItem('111111111111', '2026-11-05T00:00:00Z', { outcome: 'FAILED', after: 'null' }),
      runItem('111111111111', '2026-10-20T00:00:00Z', { outcome: 'CLEAN' }),
    ];
    expect(postureOverTime(items, SINCE)).toEqual([
      { day: '2026-11-02', clean: 1, withCredentials: 2 },
      { day: '2026-11-04', clean: 1, withCredentials: 2 },
    ]);
  });

  test('is empty when nothing was recorded in the window', () => {
    expect(postureOverTime([], SINCE)).toEqual([]);
  });
});

test('remediations, failures and refusals are counted per day in the window', () => {
  const items = [
    runItem('111111111111', '2026-11-02T09:00:00Z', { outcome: 'REMEDIATED' }),
    runItem('222222222222', '2026-11-02T10:00:00Z', { outcome: 'REMEDIATED' }),
    runItem('333333333333', '2026-11-02T11:00:00Z', { outcome: 'FAILED' }),
    runItem('333333333333', '2026-11-03T11:00:00Z', { outcome: 'REJECTED' }),
    runItem('333333333333', '2026-11-03T12:00:00Z', { outcome: 'CLEAN' }),
    runItem('333333333333', '2026-10-03T12:00:00Z', { outcome: 'FAILED' }),
  ];
  expect(actionsOverTime(items, SINCE)).toEqual([
    { day: '2026-11-02', remediated: 2, failed: 1, rejected: 0 },
    { day: '2026-11-03', remediated: 0, failed: 0, rejected: 1 },
  ]);
});

describe('policy backups not yet restored', () => {
  const bucket = 'arn:aws:s3:::locked';
  const backup = (id: string, createdAt: string, policy: string) => ({
    PK: `RESOURCE#${bucket}`,
    SK: `BACKUP#${createdAt}#${id}`,
    GSI1PK: `BACKUP#${id}`,
    backupId: id,
    accountId: '111111111111',
    resourceArn: bucket,
    policy,
    policySha256: policy === '' ? '' : 'f'.repeat(64),
    createdAt,
  });
  // A restore after a DELETE finds no policy: its own backup has nothing in it.
  const unlock = (startedAt: string, outcomeReason: string, policy: string | null = null) =>
    runItem('111111111111', startedAt, {
      outcome: 'UNLOCKED',
      outcomeReason,
      before: JSON.stringify({
        resourceArn: bucket,
        policy,
        policySha256: policy === null ? null : 'f'.repeat(64),
      }),
    });

  test('a backup is pending until a later run replaces that resource’s policy', () => {
    const items = [backup('unlock-1', '2026-11-02T00:00:00Z', '{"Statement":[]}')];
    expect(pendingBackups(items).map((pending) => pending.backupId)).toEqual(['unlock-1']);
    expect(pendingBackups([...items, unlock('2026-11-03T00:00:00Z', 'REPLACED')])).toEqual([]);
    expect(pendingBackups([...items, unlock('2026-11-01T00:00:00Z', 'REPLACED')])).toHaveLength(1);
  });

  test('a backup of a resource that had no policy has nothing to restore', () => {
    expect(pendingBackups([backup('restore-1', '2026-11-02T00:00:00Z', '')])).toEqual([]);
  });

  test('without backup items, the unlock runs stand for their backups (the backup id is the execution name)', () => {
    const run = unlock('2026-11-02T00:00:00Z', 'DELETED', '{}');
    expect(pendingBackups([run])).toEqual([
      {
        backupId: 'exec-111111111111-2026-11-02T00:00:00Z',
        accountId: '111111111111',
        resourceArn: bucket,
        createdAt: '2026-11-02T00:00:00Z',
      },
    ]);
  });
});

test('recent runs are the newest in the window, at most the limit asked', () => {
  const items = [
    runItem('111111111111', '2026-11-02T00:00:00Z', { outcome: 'CLEAN' }),
    runItem('111111111111', '2026-11-03T00:00:00Z', { outcome: 'FAILED' }),
    runItem('111111111111', '2026-11-04T00:00:00Z', { outcome: 'REMEDIATED' }),
    runItem('111111111111', '2026-10-04T00:00:00Z', { outcome: 'REMEDIATED' }),
  ];
  const runs = reportFigures(items, { ...OPTIONS, recentRuns: 2 }).recentRuns;
  expect(runs.map((run) => run.outcome)).toEqual(['REMEDIATED', 'FAILED']);
});

test('the page escapes what people typed, and declares it fetches nothing', () => {
  const items = [
    postureItem('111111111111', { ...CLEAN, credentialsPresent: true, passwordPresent: true }),
    runItem('111111111111', '2026-11-02T00:00:00Z', {
      outcome: 'FAILED',
      reason: '<img src=https://example.com/x.png>',
      requestedBy: '"bob" & co',
    }),
  ];
  const html = renderHtmlReport(reportFigures(items, OPTIONS));
  expect(html).not.toContain('<img');
  expect(html).toContain('&lt;img src=https://example.com/x.png&gt;');
  expect(html).toContain('&quot;bob&quot; &amp; co');
  expect(html).toContain(`content="default-src 'none';`);
  expect(html).toMatch(/data-figure="with-credentials">1</);
});

test('an empty table renders a complete page that says there is nothing yet', () => {
  const html = renderHtmlReport(reportFigures([], OPTIONS));
  expect(html).toMatch(/data-figure="accounts">0</);
  expect(html).toContain('No account has root credentials.');
  expect(html).toContain('No run in the window.');
  // Every chart but "by kind", which draws its four kinds at zero.
  expect(html.match(/No data yet/g)).toHaveLength(3);
});
