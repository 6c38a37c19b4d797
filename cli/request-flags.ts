import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  validateAccountId,
  validateReason,
  validateReplacementPolicy,
  validateTicket,
  type ResourceType,
} from '../lambdas/root-access/validation';
import { UsageError } from './errors';
import { checkFlag } from './flags';
import type { WaitFlags } from './run-workflow';

/**
 * Flags shared by the commands that start a workflow, and their checks. The
 * checks are the workflow's own validators, so a bad value fails here with
 * the flag named, before anything starts (the workflow checks again).
 */

export interface RequestFlags extends WaitFlags {
  readonly reason?: string;
  readonly ticket?: string;
}

const DEFAULT_TIMEOUT = '15m';

export function addWaitFlags(command: Command, timeout = DEFAULT_TIMEOUT): Command {
  return command
    .option('-y, --yes', 'do not ask for confirmation (for scripts)')
    .option('--no-wait', 'return at once with the execution ARN')
    .option('--timeout <duration>', 'how long to wait for the outcome (30s, 15m, 1h)', timeout);
}

export function addRequestFlags(command: Command): Command {
  command
    .option('--reason <text>', 'why this root action is needed (required, 3..500 characters)')
    .option('--ticket <id>', 'change or incident ticket (optional)')
    .option(
      '--again',
      'run again even if this same request finished in the last 10 minutes (otherwise its result is shown and nothing is done)',
    );
  return addWaitFlags(command);
}

export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(flag, 'is required');
  return value;
}

export function accountFlag(value: string | undefined, flag = '--account'): string {
  return checkFlag(() => validateAccountId(requireFlag(value, flag)), flag);
}

/** One or several accounts (`--account A B`, or repeated), each validated, duplicates dropped, in order. */
export function accountsFlag(values: readonly string[] | undefined, flag = '--account'): string[] {
  if (values === undefined || values.length === 0) return [accountFlag(undefined, flag)];
  return [...new Set(values.map((value) => accountFlag(value, flag)))];
}

/** reason and ticket, validated; both go into the workflow input and the execution name. */
export function reasonAndTicket(flags: RequestFlags): { reason: string; ticket?: string } {
  const reason = checkFlag(() => validateReason(flags.reason, { required: true }), '--reason') ?? '';
  const ticket = checkFlag(() => validateTicket(flags.ticket), '--ticket');
  return ticket === undefined ? { reason } : { reason, ticket };
}

/** A replacement policy from a file, checked against the policy grammar and the service's size limit. */
export function readPolicyFile(file: string, resourceType: ResourceType): string {
  let policy: string;
  try {
    policy = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError('--replace-with', `cannot read ${file} (${code})`);
  }
  return checkFlag(() => validateReplacementPolicy(policy, resourceType), '--replace-with');
}
