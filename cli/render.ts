import { NOT_REACHED_OUTCOMES } from './exit-codes';
import type { Colors, Printer } from './output';
import { normalizeActions, normalizeRun, type Item } from './run-record';

/** Human renderings shared by several commands: postures, outcomes, runs. */

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** "clean", or what is present: "password, access keys, MFA". */
export function postureSummary(value: unknown): string {
  const posture = asRecord(value);
  if (posture === undefined) return '—';
  const present = [
    posture.passwordPresent === true ? 'password' : undefined,
    posture.accessKeysPresent === true ? 'access keys' : undefined,
    posture.signingCertificatesPresent === true ? 'signing certificates' : undefined,
    posture.mfaEnabled === true ? 'MFA' : undefined,
  ].filter((part): part is string => part !== undefined);
  if (posture.credentialsPresent === false && present.length === 0) return 'clean';
  return present.length === 0
    ? posture.credentialsPresent === true
      ? 'credentials present'
      : 'clean'
    : present.join(', ');
}

export function colorOutcome(colors: Colors, outcome: string | undefined): string {
  if (outcome === undefined) return colors.yellow('UNKNOWN');
  if (NOT_REACHED_OUTCOMES.has(outcome)) return colors.red(outcome);
  if (outcome === 'CREDENTIALS_PRESENT' || outcome === 'PLANNED' || outcome === 'RUNNING')
    return colors.yellow(outcome);
  return colors.green(outcome);
}

/** The recorded problem of a run that did not reach its outcome, in AWS's or the workflow's words. */
export function problemOfRun(
  run: Item | undefined,
  executionError?: string,
  executionCause?: string,
): string | undefined {
  const parts = [
    text(run?.outcomeReason),
    text(run?.error),
    text(run?.errorCause),
    executionError === '' ? undefined : executionError,
    executionCause === '' ? undefined : executionCause,
  ].filter((part): part is string => part !== undefined);
  // The same words often come back from the record and the execution: say them once.
  return parts.length > 0 ? [...new Set(parts)].join(': ') : undefined;
}

/** The actions as rows, whatever shape the workflow recorded them in (objects, names, one change). */
function actionRows(value: unknown): string[][] {
  return normalizeActions(value).map((action) => [action.action, action.target ?? '', action.result ?? '']);
}

/**
 * A run's "before" or "after" in words: a root posture for the credential
 * workflows, the policy (by digest) for the unlocks, an outcome otherwise.
 */
function describeState(value: unknown): string | undefined {
  const state = asRecord(value);
  if (state === undefined) return undefined;
  if (typeof state.credentialsPresent === 'boolean') return postureSummary(state);
  if ('policySha256' in state || 'policy' in state) {
    if (typeof state.policy !== 'string') return 'no policy';
    const digest =
      typeof state.policySha256 === 'string' ? `sha256 ${state.policySha256.slice(0, 12)}…, ` : '';
    return `policy (${digest}${Buffer.byteLength(state.policy, 'utf8')} bytes)`;
  }
  if (typeof state.outcome === 'string') return state.outcome;
  return undefined;
}

function list(value: unknown): string | undefined {
  return Array.isArray(value) ? value.map((item) => text(item) ?? '').join(', ') || undefined : text(value);
}

/** An approval decision recorded in the run: "APPROVED by <arn> at <time>: <why>". */
function describeApproval(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { decision, by, at, reason } = value as Record<string, unknown>;
  const who = typeof by === 'string' && by !== '' ? ` by ${by}` : '';
  return `${String(decision)}${who} at ${String(at)}: ${String(reason)}`;
}

/** A kept root key in words: "AKIA... (last used 2026-11-27 by s3)". */
export function describeKeptKey(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const { accessKeyId, lastUsedDate, lastUsedService } = value as Record<string, unknown>;
  const day = typeof lastUsedDate === 'string' ? lastUsedDate.slice(0, 10) : 'unknown';
  const service = typeof lastUsedService === 'string' ? ` by ${lastUsedService}` : '';
  return `${String(accessKeyId)} (last used ${day}${service})`;
}

function keptKeys(value: unknown): string | undefined {
  return Array.isArray(value) && value.length > 0 ? value.map(describeKeptKey).join(', ') : undefined;
}

/** The recorded run: who, why, before, what was done, after. */
export function printRun(
  printer: Printer,
  run: Item,
  first: readonly (readonly [string, string | undefined])[] = [],
): void {
  printer.fields([
    ...first,
    ['account', text(run.accountId)],
    // The bucket or queue, as the workflow recorded it (failed runs included).
    ['target', normalizeRun(run).target ?? undefined],
    ['workflow', text(run.workflow)],
    ['requested by', text(run.requestedBy)],
    ['reason', text(run.reason)],
    ['ticket', text(run.ticket)],
    ['started', text(run.startedAt)],
    ['finished', text(run.finishedAt)],
    ['note', text(run.outcomeReason)],
    ['approval', describeApproval(run.approval)],
    ['before', describeState(run.before)],
    ['after', describeState(run.after)],
    ['root sessions', list(run.sessionAccessKeyIds)],
    ['kept (in use)', keptKeys(run.keptKeys)],
  ]);
  const rows = actionRows(run.actions);
  if (rows.length > 0) {
    printer.line();
    printer.table(['action', 'target', 'result'], rows);
  }
}
