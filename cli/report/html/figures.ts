import { accountOfKey, KEY_PREFIX, ORGANIZATION, POSTURE } from '../../../lib/results-table-keys';
import { decodeItem, type Item } from '../../run-record';

/**
 * The figures of the HTML posture report, computed from results-table items
 * as DynamoDB returns them (docs/architecture.md, "Results table"). Pure:
 * the same items always give the same figures, so every number the page
 * shows is unit-tested here and the browser test only checks the page
 * agrees with itself.
 */

export const CREDENTIAL_KINDS = ['password', 'accessKeys', 'signingCertificates', 'mfaDevices'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const KIND_LABELS: Readonly<Record<CredentialKind, string>> = {
  password: 'Password',
  accessKeys: 'Access keys',
  signingCertificates: 'Signing certificates',
  mfaDevices: 'MFA devices',
};

/** The OU label of accounts whose OU is not known (no Organizations access, or not found). */
export const UNKNOWN_OU = 'OU unknown';

export interface AccountPosture {
  readonly accountId: string;
  readonly ou: string;
  /** null: never audited. */
  readonly credentialsPresent: boolean | null;
  /** How many of each kind the root user has (password: 0 or 1). */
  readonly counts: Readonly<Record<CredentialKind, number>>;
  readonly checkedAt: string | null;
  readonly lastRun: RunSummary | null;
}

export interface RunSummary {
  readonly accountId: string;
  readonly workflow: string;
  readonly outcome: string;
  readonly outcomeReason: string;
  readonly startedAt: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly ticket: string;
}

export interface Headline {
  readonly accounts: number;
  readonly clean: number;
  readonly withCredentials: number;
  readonly byKind: Readonly<Record<CredentialKind, number>>;
  readonly notAudited: number;
  /** Accounts the last organization audit left out (protected, management, not active), or skipped runs. */
  readonly protectedOrSkipped: number;
}

export interface OuPosture {
  readonly ou: string;
  readonly accounts: number;
  readonly clean: number;
  readonly withCredentials: number;
  readonly notAudited: number;
}

export interface DayPosture {
  readonly day: string;
  readonly clean: number;
  readonly withCredentials: number;
}

export interface DayActions {
  readonly day: string;
  readonly remediated: number;
  readonly failed: number;
  readonly rejected: number;
}

export interface PendingBackup {
  readonly backupId: string;
  readonly accountId: string;
  readonly resourceArn: string;
  readonly createdAt: string;
}

export interface ReportFigures {
  readonly generatedAt: string;
  readonly since: string;
  readonly headline: Headline;
  readonly skippedByReason: Readonly<Record<string, number>>;
  readonly byOu: readonly OuPosture[];
  readonly overTime: readonly DayPosture[];
  readonly actionsOverTime: readonly DayActions[];
  /** Every account that has root credentials, by account id. */
  readonly withCredentials: readonly AccountPosture[];
  readonly recentRuns: readonly RunSummary[];
  readonly pendingBackups: readonly PendingBackup[];
}

export interface FigureOptions {
  readonly generatedAt: string;
  /** ISO instant: runs before it are left out of the charts over time and of recent runs. */
  readonly since: string;
  /** Account id to OU name; accounts it does not name are "OU unknown". */
  readonly ouOf?: ReadonlyMap<string, string>;
  /** How many recent runs the page lists. */
  readonly recentRuns?: number;
}

const DEFAULT_RECENT_RUNS = 50;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function accountOf(item: Item): string {
  const pk = str(item.PK);
  return accountOfKey(pk) ?? (pk === ORGANIZATION ? ORGANIZATION : str(item.accountId));
}

const isPosture = (item: Item): boolean => item.SK === POSTURE;
const isRun = (item: Item): boolean => str(item.SK).startsWith(KEY_PREFIX.run);
const isBackup = (item: Item): boolean => str(item.SK).startsWith(KEY_PREFIX.backup);

function runStartedAt(item: Item): string {
  return str(item.startedAt) || (str(item.SK).split('#')[1] ?? '');
}

/** The execution name closes the run key: RUN#<startedAt>#<execution name>. */
function runExecutionName(item: Item): string {
  return str(item.SK).split('#').slice(2).join('#');
}

function listLength(value: unknown, present: unknown): number {
  if (Array.isArray(value)) return value.length;
  return present === true ? 1 : 0;
}

/** Counts of each kind from a decoded posture; details when recorded, flags otherwise. */
function credentialCounts(posture: unknown): Record<CredentialKind, number> {
  const value = record(posture) ?? {};
  const details = record(value.details) ?? {};
  return {
    password: value.passwordPresent === true ? 1 : 0,
    accessKeys: listLength(details.accessKeys, value.accessKeysPresent),
    signingCertificates: listLength(details.signingCertificates, value.signingCertificatesPresent),
    mfaDevices: listLength(details.mfaDevices, value.mfaEnabled),
  };
}

function runSummary(item: Item): RunSummary {
  return {
    accountId: accountOf(item),
    workflow: str(item.workflow),
    outcome: str(item.outcome) || 'UNKNOWN',
    outcomeReason: str(item.outcomeReason),
    startedAt: runStartedAt(item),
    requestedBy: str(item.requestedBy),
    reason: str(item.reason),
    ticket: str(item.ticket),
  };
}

const newestFirst = (a: RunSummary, b: RunSummary): number =>
  b.startedAt.localeCompare(a.startedAt) || a.accountId.localeCompare(b.accountId);

/** The posture a run leaves the account in, when the run says. */
function postureAfterRun(item: Item): boolean | undefined {
  const outcome = str(item.outcome);
  if (outcome === 'CLEAN' || outcome === 'REMEDIATED') return false;
  if (outcome === 'CREDENTIALS_PRESENT') return true;
  const after = record(decodeItem({ after: item.after }).after);
  return typeof after?.credentialsPresent === 'boolean' ? after.credentialsPresent : undefined;
}

/**
 * Accounts with and without root credentials at the end of each UTC day that
 * has a recorded posture, replaying the runs in order. Accounts audited
 * before the window start from their posture if it was checked before the
 * window, so the first day is not an undercount.
 */
export function postureOverTime(items: readonly Item[], since: string): DayPosture[] {
  const state = new Map<string, boolean>();
  for (const item of items.filter(isPosture)) {
    const checkedAt = str(item.checkedAt);
    if (checkedAt !== '' && checkedAt < since && typeof item.credentialsPresent === 'boolean')
      state.set(accountOf(item), item.credentialsPresent);
  }
  const changes = items
    .filter((item) => isRun(item) && item.PK !== ORGANIZATION && runStartedAt(item) >= since)
    .map((item) => ({ at: runStartedAt(item), accountId: accountOf(item), present: postureAfterRun(item) }))
    .filter(
      (change): change is { at: string; accountId: string; present: boolean } => change.present !== undefined,
    )
    .sort((a, b) => a.at.localeCompare(b.at));
  const days: DayPosture[] = [];
  const close = (day: string) => {
    const values = [...state.values()];
    days.push({
      day,
      clean: values.filter((present) => !present).length,
      withCredentials: values.filter(Boolean).length,
    });
  };
  let day: string | undefined;
  for (const change of changes) {
    const changeDay = change.at.slice(0, 10);
    if (day !== undefined && changeDay !== day) close(day);
    day = changeDay;
    state.set(change.accountId, change.present);
  }
  if (day !== undefined) close(day);
  return days;
}

type ActionCounter = 'remediated' | 'failed' | 'rejected';
const ACTION_COUNTERS: Readonly<Record<string, ActionCounter | undefined>> = {
  REMEDIATED: 'remediated',
  FAILED: 'failed',
  REJECTED: 'rejected',
};

/** Remediations, failures and refusals per UTC day in the window (days without any are left out). */
export function actionsOverTime(items: readonly Item[], since: string): DayActions[] {
  const days = new Map<string, Record<ActionCounter, number>>();
  for (const item of items) {
    if (!isRun(item) || runStartedAt(item) < since) continue;
    const counter = ACTION_COUNTERS[str(item.outcome)];
    if (counter === undefined) continue;
    const day = runStartedAt(item).slice(0, 10);
    const counts = days.get(day) ?? { remediated: 0, failed: 0, rejected: 0 };
    counts[counter] += 1;
    days.set(day, counts);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, counts]) => ({ day, ...counts }));
}

interface BackupSeen {
  readonly backupId: string;
  readonly accountId: string;
  readonly resourceArn: string;
  readonly createdAt: string;
  readonly hadPolicy: boolean;
}

/**
 * Policy backups not yet put back. A backup is settled once a later run
 * replaced the policy of the same resource (restore-policy, or an unlock
 * with --replace-with); a backup of a resource that had no policy has
 * nothing to restore. Backups are read from their items and, when the items
 * were not read (the CLI queries by index), from the unlock runs that made
 * them: the backup id is the run's execution name.
 */
export function pendingBackups(items: readonly Item[]): PendingBackup[] {
  const backups = new Map<string, BackupSeen>();
  const replacedAt = new Map<string, string[]>();
  for (const item of items) {
    if (isBackup(item)) {
      const backupId = str(item.backupId);
      backups.set(backupId, {
        backupId,
        accountId: str(item.accountId),
        resourceArn: str(item.resourceArn),
        createdAt: str(item.createdAt),
        hadPolicy: str(item.policySha256) !== '' && str(item.policy) !== '',
      });
    } else if (isRun(item) && item.outcome === 'UNLOCKED') {
      const before = record(decodeItem({ before: item.before }).before) ?? {};
      const resourceArn = str(before.resourceArn);
      if (item.outcomeReason === 'REPLACED')
        replacedAt.set(resourceArn, [...(replacedAt.get(resourceArn) ?? []), runStartedAt(item)]);
      const backupId = runExecutionName(item);
      if (!backups.has(backupId))
        backups.set(backupId, {
          backupId,
          accountId: accountOf(item),
          resourceArn,
          createdAt: runStartedAt(item),
          hadPolicy: str(before.policy) !== '' || str(before.policySha256) !== '',
        });
    }
  }
  return [...backups.values()]
    .filter(
      (backup) =>
        backup.hadPolicy && !(replacedAt.get(backup.resourceArn) ?? []).some((at) => at > backup.createdAt),
    )
    .map(({ backupId, accountId, resourceArn, createdAt }) => ({
      backupId,
      accountId,
      resourceArn,
      createdAt,
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The newest organization audit's skipped accounts by reason (its `after` is the inventory). */
function skippedByLatestAudit(items: readonly Item[]): Record<string, number> | undefined {
  const audits = items
    .filter((item) => isRun(item) && item.PK === ORGANIZATION && item.outcome === 'AUDITED')
    .sort((a, b) => runStartedAt(b).localeCompare(runStartedAt(a)));
  const latest = audits[0];
  if (latest === undefined) return undefined;
  const skipped = record(record(decodeItem({ after: latest.after }).after)?.skipped);
  if (skipped === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(skipped).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}

function accountPostures(items: readonly Item[], options: FigureOptions): AccountPosture[] {
  const lastRuns = new Map<string, RunSummary>();
  for (const item of items) {
    if (!isRun(item) || item.PK === ORGANIZATION) continue;
    const run = runSummary(item);
    const known = lastRuns.get(run.accountId);
    if (known === undefined || known.startedAt < run.startedAt) lastRuns.set(run.accountId, run);
  }
  const accounts = new Map<string, AccountPosture>();
  const ou = (accountId: string) => options.ouOf?.get(accountId) ?? UNKNOWN_OU;
  for (const item of items.filter(isPosture)) {
    const accountId = accountOf(item);
    const posture = decodeItem({ posture: item.posture }).posture;
    accounts.set(accountId, {
      accountId,
      ou: ou(accountId),
      credentialsPresent: typeof item.credentialsPresent === 'boolean' ? item.credentialsPresent : null,
      counts: credentialCounts(posture),
      checkedAt: str(item.checkedAt) || null,
      lastRun: lastRuns.get(accountId) ?? null,
    });
  }
  const none = { password: 0, accessKeys: 0, signingCertificates: 0, mfaDevices: 0 };
  const unaudited = [...(options.ouOf?.keys() ?? []), ...lastRuns.keys()];
  for (const accountId of unaudited) {
    if (accounts.has(accountId)) continue;
    accounts.set(accountId, {
      accountId,
      ou: ou(accountId),
      credentialsPresent: null,
      counts: none,
      checkedAt: null,
      lastRun: lastRuns.get(accountId) ?? null,
    });
  }
  return [...accounts.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
}

function headlineOf(
  accounts: readonly AccountPosture[],
  skippedByReason: Readonly<Record<string, number>> | undefined,
): Headline {
  const withCredentials = accounts.filter((account) => account.credentialsPresent === true);
  const byKind = Object.fromEntries(
    CREDENTIAL_KINDS.map((kind) => [
      kind,
      withCredentials.filter((account) => account.counts[kind] > 0).length,
    ]),
  ) as Record<CredentialKind, number>;
  const skippedRuns = accounts.filter(
    (account) => account.credentialsPresent === null && account.lastRun?.outcome === 'SKIPPED',
  ).length;
  return {
    accounts: accounts.length,
    clean: accounts.filter((account) => account.credentialsPresent === false).length,
    withCredentials: withCredentials.length,
    byKind,
    notAudited: accounts.filter((account) => account.credentialsPresent === null).length,
    protectedOrSkipped:
      skippedByReason === undefined
        ? skippedRuns
        : Object.values(skippedByReason).reduce((sum, count) => sum + count, 0),
  };
}

function postureByOu(accounts: readonly AccountPosture[]): OuPosture[] {
  const groups = new Map<
    string,
    { accounts: number; clean: number; withCredentials: number; notAudited: number }
  >();
  for (const account of accounts) {
    const group = groups.get(account.ou) ?? { accounts: 0, clean: 0, withCredentials: 0, notAudited: 0 };
    group.accounts += 1;
    if (account.credentialsPresent === true) group.withCredentials += 1;
    else if (account.credentialsPresent === false) group.clean += 1;
    else group.notAudited += 1;
    groups.set(account.ou, group);
  }
  return [...groups.entries()]
    .map(([ou, group]) => ({ ou, ...group }))
    .sort((a, b) => b.withCredentials - a.withCredentials || a.ou.localeCompare(b.ou));
}

export function reportFigures(items: readonly Item[], options: FigureOptions): ReportFigures {
  const accounts = accountPostures(items, options);
  const skipped = skippedByLatestAudit(items);
  return {
    generatedAt: options.generatedAt,
    since: options.since,
    headline: headlineOf(accounts, skipped),
    skippedByReason: skipped ?? {},
    byOu: postureByOu(accounts),
    overTime: postureOverTime(items, options.since),
    actionsOverTime: actionsOverTime(items, options.since),
    withCredentials: accounts.filter((account) => account.credentialsPresent === true),
    recentRuns: items
      .filter((item) => isRun(item) && runStartedAt(item) >= options.since)
      .map(runSummary)
      .sort(newestFirst)
      .slice(0, options.recentRuns ?? DEFAULT_RECENT_RUNS),
    pendingBackups: pendingBackups(items),
  };
}
