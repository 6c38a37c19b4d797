import type { Command } from 'commander';
import { findBackup } from '../backups';
import { UsageError } from '../errors';
import type { Runner } from '../program';
import { addRequestFlags, reasonAndTicket, requireFlag, type RequestFlags } from '../request-flags';
import { runWorkflow } from '../run-workflow';
import { OUTPUT } from '../stack-outputs';
import { backupExtras, unlockRequest, type UnlockChange, type UnlockTarget } from '../unlock';

interface RestoreFlags extends RequestFlags {
  readonly backup?: string;
}

function stringField(item: Record<string, unknown>, field: string): string | undefined {
  const value = item[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Where the backup came from, checked: a backup we cannot read back is not restored. */
function targetOf(item: Record<string, unknown>, backupId: string): UnlockTarget {
  const accountId = stringField(item, 'accountId');
  const resourceType = stringField(item, 'resourceType');
  const bucketName = stringField(item, 'bucketName');
  const queueUrl = stringField(item, 'queueUrl');
  if (accountId !== undefined && resourceType === 'S3_BUCKET' && bucketName !== undefined) {
    return { resourceType, accountId, bucketName };
  }
  if (accountId !== undefined && resourceType === 'SQS_QUEUE' && queueUrl !== undefined) {
    return { resourceType, accountId, queueUrl };
  }
  throw new UsageError(
    '--backup',
    `backup ${backupId} does not name its account and resource; it cannot be restored`,
  );
}

export function registerRestorePolicy(program: Command, run: Runner): void {
  const command = program
    .command('restore-policy')
    .description(
      'put a backed-up bucket or queue policy back (through the unlock workflow, so it is recorded)',
    )
    .option('--backup <id>', 'the backup id that unlock-s3 / unlock-sqs printed (its execution name)');
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper restore-policy --backup unlock-s3-111122223333-3f2a9c0d1e2b3a4c5d6e --reason "fixed policy is ready upstream"`,
  );
  command.action((flags: RestoreFlags, self: Command) =>
    run(self, async (ctx) => {
      const backupId = requireFlag(flags.backup, '--backup').trim();
      const fields = reasonAndTicket(flags);
      const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
      const item = await findBackup(ctx.ddb, table, backupId);
      if (item === undefined) throw new UsageError('--backup', `no backup with id ${backupId}`);
      const target = targetOf(item, backupId);
      const policy = stringField(item, 'policy');
      // A resource that had no policy when it was backed up is restored by removing the policy.
      const change: UnlockChange =
        policy === undefined
          ? { action: 'DELETE', source: `backup ${backupId} (no policy)` }
          : { action: 'REPLACE', replacementPolicy: policy, source: `the policy of backup ${backupId}` };
      const request = unlockRequest('restore-policy', target, change, fields, { restoresBackup: backupId });
      return runWorkflow(
        ctx,
        { ...request, plan: [['backup', backupId], ...request.plan] },
        flags,
        backupExtras(ctx, change),
      );
    }),
  );
}
