import { KEY_IN_USE_OUTCOME } from '../lambdas/root-access/delete-credentials';
/**
 * The organization's root posture report and its renderings. Pure, so every
 * format is unit-tested: CSV for spreadsheets, Markdown for tickets and
 * wikis, JSON for scripts, a table for people.
 */

export const REPORT_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface LastAction {
  readonly outcome: string;
  readonly workflow: string | null;
  readonly startedAt: string;
  readonly requestedBy: string | null;
}

export interface ReportRow {
  readonly accountId: string;
  /** null: never audited. */
  readonly credentialsPresent: boolean | null;
  readonly credentials: string;
  readonly checkedAt: string | null;
  readonly lastAction: LastAction | null;
}

export interface Report {
  readonly generatedAt: string;
  readonly actionsSince: string;
  readonly totals: {
    readonly accounts: number;
    readonly withCredentials: number;
    readonly withoutCredentials: number;
    readonly notAudited: number;
    /** Accounts whose last action kept root access keys in use (KEY_IN_USE): someone must look. */
    readonly keysInUse: number;
  };
  readonly accounts: readonly ReportRow[];
}

export const REPORT_COLUMNS = [
  'account',
  'root credentials',
  'last checked',
  'last action',
  'action at',
  'requested by',
];

export function reportCells(row: ReportRow): string[] {
  return [
    row.accountId,
    row.credentialsPresent === null ? 'not audited' : row.credentials,
    row.checkedAt ?? '',
    row.lastAction === null
      ? ''
      : `${row.lastAction.outcome}${row.lastAction.workflow ? ` (${row.lastAction.workflow})` : ''}`,
    row.lastAction?.startedAt ?? '',
    row.lastAction?.requestedBy ?? '',
  ];
}

export function totalsOf(rows: readonly ReportRow[]): Report['totals'] {
  return {
    accounts: rows.length,
    withCredentials: rows.filter((row) => row.credentialsPresent === true).length,
    withoutCredentials: rows.filter((row) => row.credentialsPresent === false).length,
    notAudited: rows.filter((row) => row.credentialsPresent === null).length,
    keysInUse: rows.filter((row) => row.lastAction?.outcome === KEY_IN_USE_OUTCOME).length,
  };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(report: Report): string {
  const lines = [REPORT_COLUMNS, ...report.accounts.map(reportCells)].map((cells) =>
    cells.map(csvCell).join(','),
  );
  return `${lines.join('\r\n')}\r\n`;
}

function markdownCell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function toMarkdown(report: Report): string {
  const { totals } = report;
  const row = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [
    '# Root credentials posture',
    '',
    `Generated ${report.generatedAt}; actions since ${report.actionsSince}.`,
    '',
    `- Accounts: ${totals.accounts}`,
    `- With root credentials: ${totals.withCredentials}`,
    `- Without root credentials: ${totals.withoutCredentials}`,
    `- Not audited: ${totals.notAudited}`,
    `- Root access keys in use kept (KEY_IN_USE): ${totals.keysInUse}`,
    '',
    row(REPORT_COLUMNS),
    row(REPORT_COLUMNS.map(() => '---')),
    ...report.accounts.map((account) => row(reportCells(account))),
    '',
  ].join('\n');
}
