import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { accountOfKey, KEY_PREFIX, ORGANIZATION, POSTURE } from '../../lib/results-table-keys';
import { SWEEP_WORKFLOWS, WORKFLOWS } from '../../lib/workflows/names';

/** One item of the results table, unmarshalled. Shapes: docs/architecture.md, "Results table". */
export type ResultItem = Readonly<Record<string, unknown>>;

/** Every item of the table: the local table is small, one scan reads it all. */
export async function readResultItems(client: DynamoDBClient, tableName: string): Promise<ResultItem[]> {
  const documents = DynamoDBDocumentClient.from(client);
  const items: ResultItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

interface PostureLike {
  credentialsPresent?: boolean;
  passwordPresent?: boolean;
  accessKeysPresent?: boolean;
  signingCertificatesPresent?: boolean;
  mfaEnabled?: boolean;
  details?: { accessKeys?: unknown[]; signingCertificates?: unknown[]; mfaDevices?: unknown[] };
}

/** "clean", or what the root user still has: "password, 2 access keys, MFA". */
export function describePosture(value: unknown): string {
  const posture = (typeof value === 'string' ? parseJson(value) : value) as PostureLike | undefined;
  if (typeof posture !== 'object' || posture === null || !('credentialsPresent' in posture)) return '-';
  const count = (list: unknown[] | undefined, fallback: boolean, noun: string): string | undefined => {
    const n = list?.length ?? (fallback ? 1 : 0);
    if (n === 0 && !fallback) return undefined;
    return list === undefined ? `${noun}s` : `${n} ${noun}${n === 1 ? '' : 's'}`;
  };
  const parts = [
    posture.passwordPresent === true ? 'password' : undefined,
    count(posture.details?.accessKeys, posture.accessKeysPresent === true, 'access key'),
    count(
      posture.details?.signingCertificates,
      posture.signingCertificatesPresent === true,
      'signing certificate',
    ),
    posture.mfaEnabled === true ? 'MFA' : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? 'clean' : parts.join(', ');
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const isRun = (item: ResultItem): boolean => text(item.SK).startsWith(KEY_PREFIX.run);
const accountOf = (item: ResultItem): string => accountOfKey(item.PK) ?? '';

export interface ReportOptions {
  /** Account names to show beside the ids. */
  readonly accountNames?: ReadonlyMap<string, string>;
  /** Named in the backups section, so a reader knows where to look them up. */
  readonly tableName?: string;
}

function outcomeText(run: ResultItem): string {
  return [text(run.outcome), text(run.outcomeReason)].filter((part) => part !== '').join(' ');
}

function numberText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return text(value) === '' ? '0' : text(value);
}

/** One line per account: the first posture recorded, the latest, and every outcome in order. */
function accountRows(
  runs: readonly ResultItem[],
  postures: ReadonlyMap<string, ResultItem>,
  name: (id: string) => string,
): string[][] {
  const byAccount = new Map<string, ResultItem[]>();
  for (const run of runs) byAccount.set(accountOf(run), [...(byAccount.get(accountOf(run)) ?? []), run]);
  for (const id of postures.keys()) if (!byAccount.has(id)) byAccount.set(id, []);
  return [...byAccount].map(([id, accountRuns]) => {
    const befores = accountRuns
      .map((run) => describePosture(run.before))
      .filter((posture) => posture !== '-');
    const afters = accountRuns.map((run) => describePosture(run.after)).filter((posture) => posture !== '-');
    const posture = postures.get(id);
    const recorded = describePosture(posture?.posture);
    // A run after the last audit that recorded no posture of its own (account
    // recovery adds a login profile) leaves the audited posture out of date.
    const changedSince = accountRuns.some(
      (run) => describePosture(run.after) === '-' && text(run.startedAt) > text(posture?.checkedAt),
    );
    return [
      name(id),
      befores[0] ?? recorded,
      afters.at(-1) ?? (changedSince ? `${recorded} (at the audit)` : recorded),
      accountRuns.map((run) => `${text(run.workflow)} ${outcomeText(run)}`).join(', ') || '-',
    ];
  });
}

/** The readable end of the main job: runs, accounts before and after, backups and totals, from the table alone. */
export function renderResultsReport(items: readonly ResultItem[], options: ReportOptions = {}): string {
  const name = (id: string): string => {
    const known = options.accountNames?.get(id);
    return known === undefined ? id : `${id} ${known}`;
  };
  const runs = items
    .filter((item) => isRun(item) && text(item.PK).startsWith(KEY_PREFIX.account))
    .sort((a, b) => text(a.startedAt).localeCompare(text(b.startedAt)));
  // ORGANIZATION holds every organization-wide run's summary (audits and
  // remediations): only the audit's counters read as an audit.
  const summaries = items.filter(
    (item) => isRun(item) && item.PK === ORGANIZATION && item.workflow === WORKFLOWS.auditOrganization.name,
  );
  const postures = new Map(
    items.filter((item) => item.SK === POSTURE).map((item) => [accountOf(item), item] as const),
  );
  const backups = items.filter((item) => text(item.PK).startsWith(KEY_PREFIX.resource));
  const requested = runs.filter((run) => !SWEEP_WORKFLOWS.has(text(run.workflow)));
  const sections: string[] = [];

  sections.push(
    `Workflow runs (${requested.length}, besides the organization audit)\n` +
      table(
        ['workflow', 'account', 'outcome', 'before', 'after', 'actions'],
        requested.map((run) => {
          const actions = parseJson(run.actions);
          return [
            text(run.workflow),
            name(accountOf(run)),
            outcomeText(run),
            describePosture(run.before),
            describePosture(run.after),
            Array.isArray(actions) ? String(actions.length) : '-',
          ];
        }),
      ),
  );

  for (const summary of summaries) {
    const counts = ['audited', 'clean', 'withCredentials', 'failed', 'firstSeen', 'secureStarted']
      .map((key) => `${key} ${numberText(summary[key])}`)
      .join(', ');
    sections.push(`Organization audit ${text(summary.outcome)}: ${counts}`);
  }

  const withCredentials = [...postures.values()].filter((item) => item.credentialsPresent === true);
  sections.push(
    `Accounts (${postures.size} postures recorded, ${withCredentials.length} with root credentials)\n` +
      table(['account', 'before', 'after', 'outcomes'], accountRows(runs, postures, name)),
  );

  sections.push(
    `Policy backups (${backups.length}${options.tableName === undefined ? '' : ` in table ${options.tableName}`})\n` +
      table(
        ['resource', 'backup id', 'bytes', 'sha256', 'table key'],
        backups.map((backup) => [
          text(backup.PK).slice(KEY_PREFIX.resource.length),
          text(backup.backupId),
          String(Buffer.byteLength(text(backup.policy), 'utf8')),
          text(backup.policySha256).slice(0, 12),
          `PK=${text(backup.PK)} SK=${text(backup.SK)}`,
        ]),
      ),
  );

  const byOutcome = new Map<string, number>();
  for (const run of runs) byOutcome.set(text(run.outcome), (byOutcome.get(text(run.outcome)) ?? 0) + 1);
  sections.push(
    `Totals: ${runs.length} runs (${[...byOutcome].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}), ` +
      `${postures.size} postures, ${withCredentials.length} accounts with root credentials, ${backups.length} backups`,
  );
  return sections.join('\n\n');
}
