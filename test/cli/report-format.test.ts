import { toCsv, toMarkdown, totalsOf, type Report, type ReportRow } from '../../cli/report-format';

const rows: ReportRow[] = [
  {
    accountId: '111122223333',
    credentialsPresent: true,
    credentials: 'password, MFA',
    checkedAt: '2026-11-24T10:00:00.000Z',
    lastAction: {
      outcome: 'FAILED',
      workflow: 'SecureNewAccount',
      startedAt: '2026-11-24T10:00:00.000Z',
      requestedBy: 'a "quoted", person',
    },
  },
  {
    accountId: '444455556666',
    credentialsPresent: false,
    credentials: 'clean',
    checkedAt: '2026-11-24T10:00:00.000Z',
    lastAction: null,
  },
  {
    accountId: '777788889999',
    credentialsPresent: null,
    credentials: 'not audited',
    checkedAt: null,
    lastAction: {
      outcome: 'UNLOCKED',
      workflow: 'A|B',
      startedAt: '2026-11-23T00:00:00.000Z',
      requestedBy: null,
    },
  },
];
const report: Report = {
  generatedAt: '2026-11-24T12:00:00.000Z',
  actionsSince: '2026-10-25T12:00:00.000Z',
  totals: totalsOf(rows),
  accounts: rows,
};

describe('report formats', () => {
  it('counts accounts with, without and not audited', () => {
    expect(report.totals).toEqual({
      accounts: 3,
      withCredentials: 1,
      withoutCredentials: 1,
      notAudited: 1,
      keysInUse: 0,
    });
  });

  it('writes RFC 4180 CSV: quotes and commas escaped, CRLF lines', () => {
    const lines = toCsv(report).split('\r\n');
    expect(lines[0]).toBe('account,root credentials,last checked,last action,action at,requested by');
    expect(lines[1]).toBe(
      '111122223333,"password, MFA",2026-11-24T10:00:00.000Z,FAILED (SecureNewAccount),2026-11-24T10:00:00.000Z,"a ""quoted"", person"',
    );
    expect(lines[3]).toBe('777788889999,not audited,,UNLOCKED (A|B),2026-11-23T00:00:00.000Z,');
    expect(lines).toHaveLength(5);
  });

  it('writes a Markdown table with pipes escaped', () => {
    const markdown = toMarkdown(report);
    expect(markdown).toContain('- With root credentials: 1');
    expect(markdown).toContain(
      '| account | root credentials | last checked | last action | action at | requested by |',
    );
    expect(markdown).toContain(
      '| 777788889999 | not audited |  | UNLOCKED (A\\|B) | 2026-11-23T00:00:00.000Z |  |',
    );
  });
});
