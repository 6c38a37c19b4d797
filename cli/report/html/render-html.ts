import { escapeHtml } from './escape-html';
import {
  CREDENTIAL_KINDS,
  KIND_LABELS,
  type AccountPosture,
  type ReportFigures,
  type RunSummary,
} from './figures';
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';
import { horizontalBars, legend, stackedColumns, type ChartSpec, type Series } from './svg-charts';

/**
 * The posture report as one self-contained HTML document: style, script and
 * charts inline, and a Content-Security-Policy that forbids the browser to
 * fetch anything at all, so the file can be mailed to an auditor or opened
 * on an air-gapped laptop and looks the same.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const POSTURE_SERIES: readonly Series[] = [
  { key: 'withCredentials', label: 'With root credentials', className: 'fill-creds' },
  { key: 'clean', label: 'Clean', className: 'fill-clean' },
  { key: 'notAudited', label: 'Not audited', className: 'fill-unknown' },
];
const ACTION_SERIES: readonly Series[] = [
  { key: 'remediated', label: 'Remediated', className: 'fill-fixed' },
  { key: 'failed', label: 'Failed', className: 'fill-failed' },
  { key: 'rejected', label: 'Rejected', className: 'fill-rejected' },
];
const KIND_SERIES: readonly Series[] = [{ key: 'accounts', label: 'Accounts', className: 'fill-creds' }];

/** OUs drawn as bars; the rest are in the data table below the chart. */
const MAX_OU_BARS = 20;

const e = escapeHtml;

const KIND_PHRASES: Readonly<Record<(typeof CREDENTIAL_KINDS)[number], string>> = {
  password: 'a password',
  accessKeys: 'access keys',
  signingCertificates: 'signing certificates',
  mfaDevices: 'MFA devices',
};

function dataTable(caption: string, series: readonly Series[], spec: ChartSpec, first: string): string {
  const head = `<tr><th scope="col">${e(first)}</th>${series.map((one) => `<th scope="col" data-numeric>${e(one.label)}</th>`).join('')}</tr>`;
  const rows = spec.categories
    .map(
      (category) =>
        `<tr><th scope="row">${e(category.label)}</th>${series.map((one) => `<td class="num">${category.values[one.key] ?? 0}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<details><summary>${e(caption)} as a table</summary><div class="scroll"><table><thead>${head}</thead><tbody>${rows}</tbody></table></div></details>`;
}

function chartFigure(
  spec: ChartSpec,
  draw: (spec: ChartSpec) => string,
  first: string,
  tableSpec: ChartSpec = spec,
): string {
  return (
    `<figure>` +
    `<figcaption id="${spec.id}-caption">${e(spec.title)}</figcaption>` +
    (spec.series.length > 1 ? legend(spec.series) : '') +
    draw(spec) +
    dataTable(spec.title, spec.series, tableSpec, first) +
    `</figure>`
  );
}

function headline(figures: ReportFigures): string {
  const { headline: h } = figures;
  const skipped = Object.entries(figures.skippedByReason)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason.toLowerCase().replace(/_/g, ' ')}: ${count}`)
    .join(', ');
  const item = (figure: string, label: string, value: number, tone = '', title = '') =>
    `<div class="${tone}"${title === '' ? '' : ` title="${e(title)}"`}><dt id="figure-${figure}">${e(label)}</dt><dd aria-labelledby="figure-${figure}" data-figure="${figure}">${value}</dd></div>`;
  return (
    `<dl class="headline">` +
    item('accounts', 'Accounts', h.accounts) +
    item('clean', 'Clean', h.clean, 'good') +
    item('with-credentials', 'With root credentials', h.withCredentials, h.withCredentials > 0 ? 'bad' : '') +
    CREDENTIAL_KINDS.map((kind) =>
      item(kebab(kind), `… with ${KIND_PHRASES[kind]}`, h.byKind[kind], h.byKind[kind] > 0 ? 'bad' : ''),
    ).join('') +
    item('not-audited', 'Not audited', h.notAudited) +
    item('protected-or-skipped', 'Protected / skipped', h.protectedOrSkipped, '', skipped) +
    `</dl>`
  );
}

const kebab = (value: string): string => value.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function charts(figures: ReportFigures): string {
  const { headline: h } = figures;
  const byKind: ChartSpec = {
    id: 'chart-kind',
    title: 'Accounts with root credentials, by kind',
    description: `${h.withCredentials} of ${h.accounts} accounts have root credentials: ${CREDENTIAL_KINDS.map((kind) => `${h.byKind[kind]} with ${KIND_PHRASES[kind]}`).join(', ')}.`,
    series: KIND_SERIES,
    categories: CREDENTIAL_KINDS.map((kind) => ({
      label: KIND_LABELS[kind],
      values: { accounts: h.byKind[kind] },
    })),
  };
  const ouCategories = figures.byOu.map((ou) => ({
    label: ou.ou,
    values: { withCredentials: ou.withCredentials, clean: ou.clean, notAudited: ou.notAudited },
  }));
  const byOu: ChartSpec = {
    id: 'chart-ou',
    title: 'Posture by organizational unit',
    description: `${figures.byOu.length} OUs, most accounts with root credentials first${
      figures.byOu.length > MAX_OU_BARS ? `; the first ${MAX_OU_BARS} are drawn` : ''
    }. ${figures.byOu
      .slice(0, 5)
      .map((ou) => `${ou.ou}: ${ou.withCredentials} with credentials, ${ou.clean} clean`)
      .join('; ')}.`,
    series: POSTURE_SERIES,
    categories: ouCategories.slice(0, MAX_OU_BARS),
  };
  const last = figures.overTime.at(-1);
  const overTime: ChartSpec = {
    id: 'chart-over-time',
    title: 'Posture over time (end of each day with a recorded posture)',
    description:
      last === undefined
        ? 'No posture recorded in the window.'
        : `${figures.overTime.length} days from ${figures.overTime[0]?.day ?? ''} to ${last.day}; on the last, ${last.withCredentials} accounts with root credentials and ${last.clean} clean.`,
    series: POSTURE_SERIES.slice(0, 2),
    categories: figures.overTime.map(({ day, ...values }) => ({ label: day, values })),
  };
  const sum = (key: 'remediated' | 'failed' | 'rejected') =>
    figures.actionsOverTime.reduce((total, day) => total + day[key], 0);
  const actions: ChartSpec = {
    id: 'chart-actions',
    title: 'Remediations and failures over time',
    description: `In the window: ${sum('remediated')} accounts remediated, ${sum('failed')} runs failed, ${sum('rejected')} rejected, over ${figures.actionsOverTime.length} days.`,
    series: ACTION_SERIES,
    categories: figures.actionsOverTime.map(({ day, ...values }) => ({ label: day, values })),
  };
  return (
    `<div class="charts">` +
    chartFigure(byKind, horizontalBars, 'Kind') +
    chartFigure(byOu, horizontalBars, 'OU', { ...byOu, categories: ouCategories }) +
    chartFigure(overTime, stackedColumns, 'Day') +
    chartFigure(actions, stackedColumns, 'Day') +
    `</div>`
  );
}

function sortableHeader(label: string, numeric = false): string {
  return `<th scope="col"${numeric ? ' data-numeric' : ''}><button type="button">${e(label)}</button></th>`;
}

function lastAction(run: RunSummary | null): string {
  if (run === null) return '';
  return `<span class="outcome-${e(run.outcome)}">${e(run.outcome)}</span> ${e(run.startedAt.slice(0, 16).replace('T', ' '))}`;
}

function accountRow(account: AccountPosture): string {
  const count = (kind: (typeof CREDENTIAL_KINDS)[number]) =>
    `<td class="num" data-kind="${kebab(kind)}" data-sort="${account.counts[kind]}">${kind === 'password' ? (account.counts.password > 0 ? 'yes' : 'no') : account.counts[kind]}</td>`;
  return (
    `<tr><th scope="row">${e(account.accountId)}</th><td>${e(account.ou)}</td>` +
    CREDENTIAL_KINDS.map(count).join('') +
    `<td>${e((account.checkedAt ?? '').slice(0, 16).replace('T', ' '))}</td><td data-sort="${e(account.lastRun?.startedAt ?? '')}">${lastAction(account.lastRun)}</td></tr>`
  );
}

function accountsSection(figures: ReportFigures): string {
  const rows = figures.withCredentials;
  if (rows.length === 0)
    return `<h2 id="accounts-heading">Accounts with root credentials</h2><p class="empty">No account has root credentials.</p>`;
  return (
    `<h2 id="accounts-heading">Accounts with root credentials</h2>` +
    `<div class="filter"><label for="accounts-filter">Filter accounts</label>` +
    `<input id="accounts-filter" type="search" placeholder="account id, OU, outcome…" autocomplete="off">` +
    `<output id="accounts-shown" aria-live="polite">${rows.length} of ${rows.length} shown</output></div>` +
    `<div class="scroll"><table id="accounts" data-sortable aria-labelledby="accounts-heading"><thead><tr>` +
    sortableHeader('Account') +
    sortableHeader('OU') +
    CREDENTIAL_KINDS.map((kind) => sortableHeader(KIND_LABELS[kind], true)).join('') +
    sortableHeader('Last checked') +
    sortableHeader('Last run') +
    `</tr></thead><tbody>${rows.map(accountRow).join('')}</tbody></table></div>`
  );
}

function runsSection(figures: ReportFigures): string {
  const heading = `<h2 id="runs-heading">Recent runs</h2>`;
  if (figures.recentRuns.length === 0) return `${heading}<p class="empty">No run in the window.</p>`;
  const rows = figures.recentRuns
    .map(
      (run) =>
        `<tr><td>${e(run.startedAt.slice(0, 19).replace('T', ' '))}</td><td>${e(run.accountId)}</td><td>${e(run.workflow)}</td>` +
        `<td><span class="outcome-${e(run.outcome)}">${e(run.outcome)}</span>${run.outcomeReason === '' ? '' : ` (${e(run.outcomeReason)})`}</td>` +
        `<td>${e(run.requestedBy)}</td><td>${e(run.reason)}${run.ticket === '' ? '' : ` [${e(run.ticket)}]`}</td></tr>`,
    )
    .join('');
  return (
    `${heading}<div class="scroll"><table id="runs" data-sortable aria-labelledby="runs-heading"><thead><tr>` +
    ['Started (UTC)', 'Account', 'Workflow', 'Outcome', 'Who', 'Why']
      .map((label) => sortableHeader(label))
      .join('') +
    `</tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

function backupsSection(figures: ReportFigures): string {
  const heading = `<h2 id="backups-heading">Policy backups not yet restored</h2>`;
  if (figures.pendingBackups.length === 0) return `${heading}<p class="empty">None.</p>`;
  const rows = figures.pendingBackups
    .map(
      (backup) =>
        `<tr><td>${e(backup.createdAt.slice(0, 19).replace('T', ' '))}</td><td>${e(backup.accountId)}</td><td>${e(backup.resourceArn)}</td>` +
        `<td><code>rootkeeper restore-policy --backup ${e(backup.backupId)} --reason "…"</code></td></tr>`,
    )
    .join('');
  return (
    `${heading}<div class="scroll"><table id="backups" aria-labelledby="backups-heading"><thead><tr>` +
    `<th scope="col">Backed up (UTC)</th><th scope="col">Account</th><th scope="col">Resource</th><th scope="col">Put it back with</th>` +
    `</tr></thead><tbody>${rows}</tbody></table></div>`
  );
}

export function renderHtmlReport(figures: ReportFigures): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Rootkeeper: root credentials posture</title>',
    `<style>${PAGE_STYLE}</style></head><body>`,
    '<header><h1>Root credentials posture</h1>',
    `<p class="meta">Generated ${e(figures.generatedAt)} by Rootkeeper. Runs since ${e(figures.since)}.</p></header>`,
    '<main>',
    `<section aria-label="Headline figures">${headline(figures)}</section>`,
    `<section aria-labelledby="charts-heading"><h2 id="charts-heading">Charts</h2>${charts(figures)}</section>`,
    `<section>${accountsSection(figures)}</section>`,
    `<section>${runsSection(figures)}</section>`,
    `<section>${backupsSection(figures)}</section>`,
    '</main>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
