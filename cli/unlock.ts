import { NO_POLICY, type ResourceType } from '../lambdas/root-access/validation';
import { backupSummary, findBackup } from './backups';
import { UsageError } from './errors';
import type { CliContext } from './context';
import { sha256Hex } from './execution-name';
import type { Colors } from './output';
import { policyDiff } from './policy-diff';
import type { ShownPlan } from './preview';
import type { Item } from './run-record';
import type { Extras, WorkflowRequest } from './run-workflow';
import { OUTPUT } from './stack-outputs';

/**
 * The unlock workflows (S3 and SQS) behind unlock-s3, unlock-sqs and
 * restore-policy: one request shape, and after the run the backup it made,
 * whose id is the execution name.
 */

export interface UnlockTarget {
  readonly resourceType: ResourceType;
  readonly accountId: string;
  readonly bucketName?: string;
  readonly queueUrl?: string;
}

export interface UnlockChange {
  readonly action: 'DELETE' | 'REPLACE';
  readonly replacementPolicy?: string;
  /** Where the replacement came from, for the plan: a file, a backup. */
  readonly source?: string;
}

/** --delete or --replace-with FILE: exactly one (commander rejects both, we reject neither). */
export function unlockChange(
  flags: { readonly delete?: boolean; readonly replaceWith?: string },
  readPolicy: (file: string) => string,
): UnlockChange {
  if (flags.replaceWith !== undefined) {
    return { action: 'REPLACE', replacementPolicy: readPolicy(flags.replaceWith), source: flags.replaceWith };
  }
  if (flags.delete === true) return { action: 'DELETE' };
  throw new UsageError(
    '--delete | --replace-with',
    'say what to do with the policy: --delete, or --replace-with FILE',
  );
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function diffLine(colors: Colors, line: string): string {
  if (line.startsWith('- ')) return colors.red(line);
  if (line.startsWith('+ ')) return colors.green(line);
  return colors.dim(line);
}

/**
 * The plan of an unlock, from its dry run's record: the policy as read now
 * and what it becomes, as a diff; the real request is pinned to that policy
 * (expectedPolicySha256), so a policy changed in between is refused.
 */
function unlockPlan(planned: Item, change: UnlockChange, noun: string): ShownPlan {
  const before = (
    typeof planned.before === 'object' && planned.before !== null ? planned.before : {}
  ) as Item;
  const current = text(before.policy);
  const digest = text(before.policySha256);
  const replacement = change.action === 'REPLACE' ? (change.replacementPolicy ?? null) : null;
  const diff = policyDiff(current, replacement);
  const what =
    current === null
      ? change.action === 'DELETE'
        ? `The ${noun} has no policy now: there is nothing to unlock.`
        : `The ${noun} has no policy now; it gets this one:`
      : change.action === 'DELETE'
        ? `The ${noun} policy now (sha256 ${digest ?? '?'}); all of it is deleted (backed up first):`
        : `The ${noun} policy now (sha256 ${digest ?? '?'}) and its replacement (- removed, + added):`;
  return {
    document: {
      resourceArn: text(before.resourceArn),
      currentPolicy: current,
      currentPolicySha256: digest,
      replacementPolicy: replacement,
      diff,
    },
    lines: (colors) => ['', colors.bold(what), ...diff.map((line) => `  ${diffLine(colors, line)}`), ''],
    pin: { expectedPolicySha256: digest ?? NO_POLICY },
  };
}

export function unlockRequest(
  command: string,
  target: UnlockTarget,
  change: UnlockChange,
  fields: { readonly reason: string; readonly ticket?: string },
  options: { readonly restoresBackup?: string } = {},
): WorkflowRequest {
  const nameArgs = options.restoresBackup === undefined ? {} : { backupId: options.restoresBackup };
  const s3 = target.resourceType === 'S3_BUCKET';
  const resource = s3 ? { bucketName: target.bucketName } : { queueUrl: target.queueUrl };
  const policyDigest =
    change.replacementPolicy === undefined ? undefined : sha256Hex(change.replacementPolicy);
  const what =
    change.action === 'DELETE'
      ? `delete the ${s3 ? 'bucket' : 'queue'} policy (backed up first)`
      : `replace the ${s3 ? 'bucket' : 'queue'} policy with ${change.source ?? 'the given policy'} (current one backed up first)`;
  const input = {
    accountId: target.accountId,
    ...resource,
    action: change.action,
    ...(change.replacementPolicy !== undefined ? { replacementPolicy: change.replacementPolicy } : {}),
    ...fields,
  };
  const noun = s3 ? 'bucket' : 'queue';
  return {
    command,
    workflow: s3 ? OUTPUT.unlockS3 : OUTPUT.unlockSqs,
    title: s3 ? 'Unlock S3 bucket policy' : 'Unlock SQS queue policy',
    accountId: target.accountId,
    target: { accountId: target.accountId, ...resource },
    input: {
      ...input,
      ...(options.restoresBackup !== undefined ? { restoresBackup: options.restoresBackup } : {}),
    },
    // The policy's digest, not its path: the same file edited is a new request.
    nameArgs: { ...resource, action: change.action, policySha256: policyDigest, ...nameArgs },
    plan: [
      ['account', target.accountId],
      [s3 ? 'bucket' : 'queue', s3 ? target.bucketName : target.queueUrl],
      ['action', what],
      ['policy sha256', policyDigest],
      ['reason', fields.reason],
      ['ticket', fields.ticket],
    ],
    mutating: true,
    preview: {
      input: { ...input, dryRun: true },
      describe: (planned) => unlockPlan(planned, change, noun),
    },
  };
}

/** After an unlock: the backup it recorded (id = execution name), and how to put it back. */
export function backupExtras(ctx: CliContext, change: UnlockChange): Extras {
  return {
    enrich: async ({ document }) => {
      const execution = document.execution as { name: string };
      const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
      const item = await findBackup(ctx.ddb, table, execution.name);
      return { backup: item === undefined ? null : backupSummary(item) };
    },
    // The workflow answers NOTHING_TO_UNLOCK when the resource has no policy
    // at all, and then does not apply a replacement: what was asked did not happen.
    shortfall: (run) =>
      change.action === 'REPLACE' && run?.outcome === 'NOTHING_TO_UNLOCK'
        ? 'the resource has no policy now, and the unlock workflow only replaces an existing policy: nothing was applied'
        : undefined,
    render: (printer, document) => {
      const backup = document.backup as { backupId?: unknown } | null;
      if (backup === null || typeof backup.backupId !== 'string') return;
      printer.line();
      printer.fields([
        ['backup', backup.backupId],
        ['undo with', ctx.commandLine(`restore-policy --backup ${backup.backupId} --reason "<why>"`)],
      ]);
    },
  };
}
