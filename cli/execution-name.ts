import { createHash } from 'node:crypto';

/**
 * Execution names derived from the request. The request's name (command,
 * account, digest of everything else) is followed by the second the attempt
 * started: Step Functions refuses a second execution with the same name on
 * the same state machine for 90 days, so a name without the time would make
 * every later identical request replay the first one's result (see
 * cli/rerun.ts for when a retry attaches to an earlier attempt instead).
 */

/** Step Functions: 1..80 characters; we keep to letters, digits, '-' and '_', which every rule allows. */
export const MAX_EXECUTION_NAME_LENGTH = 80;
const HASH_LENGTH = 20;

export interface RequestIdentity {
  /** The command, e.g. "unlock-s3". */
  readonly command: string;
  /** The target account, shown in the name so the console list is readable. */
  readonly accountId?: string;
  /** Everything else that makes two requests different (bucket, action, policy digest, ...). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly reason?: string;
  readonly ticket?: string;
  readonly requestedBy: string;
}

/** JSON with sorted keys and no undefined members: equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sanitize(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

/** `20261129T194942Z`: the attempt's second, in a form every execution-name rule allows. */
function compactStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
const STAMP_LENGTH = '-20261129T194942Z'.length;

/**
 * `<command>-<account>-<sha256 prefix>`, e.g. `unlock-s3-123456789012-3f2a...`:
 * the name of the request, shared by all its attempts; at most 80 characters
 * with an attempt's stamp added.
 */
export function executionNameFor(request: RequestIdentity): string {
  const digest = sha256Hex(
    canonicalJson({
      command: request.command,
      accountId: request.accountId,
      args: request.args,
      reason: request.reason,
      ticket: request.ticket,
      requestedBy: request.requestedBy,
    }),
  ).slice(0, HASH_LENGTH);
  const prefix = sanitize(
    [request.command, request.accountId].filter((part) => part !== undefined).join('-'),
  );
  const room = MAX_EXECUTION_NAME_LENGTH - STAMP_LENGTH - HASH_LENGTH - 1;
  return `${prefix.slice(0, room).replace(/-$/, '')}-${digest}`;
}

/**
 * Audits are observations, not actions: running the same audit again later
 * must start a new execution, so their names carry the time (to the second)
 * as well as the request digest.
 */
export function timestampedExecutionName(request: RequestIdentity, now: Date): string {
  return executionNameFor({ ...request, command: `${request.command}-${compactStamp(now)}` });
}

/** One attempt of a request: its name and the second it started, e.g. `unlock-s3-1111...-3f2a...-20261129T194942Z`. */
export function attemptName(requestName: string, now: Date): string {
  return `${requestName}-${compactStamp(now)}`;
}

/** Whether an execution is an attempt of the request (or its first, unstamped form from before attempts). */
export function isAttemptOf(executionName: string, requestName: string): boolean {
  if (executionName === requestName) return true;
  return (
    executionName.startsWith(requestName) && /^-\d{8}T\d{6}Z$/.test(executionName.slice(requestName.length))
  );
}

/** The execution ARN Step Functions gives a name on a state machine (same partition, region, account). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') return `${stateMachineArn}:${name}`;
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}
