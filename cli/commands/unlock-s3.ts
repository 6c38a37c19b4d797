import { Option, type Command } from 'commander';
import { validateBucketName } from '../../lambdas/root-access/validation';
import { checkFlag } from '../flags';
import type { Runner } from '../program';
import {
  accountFlag,
  addRequestFlags,
  readPolicyFile,
  reasonAndTicket,
  requireFlag,
  type RequestFlags,
} from '../request-flags';
import { runWorkflow } from '../run-workflow';
import { backupExtras, unlockChange, unlockRequest } from '../unlock';

interface UnlockS3Flags extends RequestFlags {
  readonly account?: string;
  readonly bucket?: string;
  readonly delete?: boolean;
  readonly replaceWith?: string;
}

export function registerUnlockS3(program: Command, run: Runner): void {
  const command = program
    .command('unlock-s3')
    .description('delete or replace an S3 bucket policy that locks everyone out (backed up first)')
    .option('--account <id>', 'the member account that owns the bucket')
    .option('--bucket <name>', 'the bucket')
    .addOption(new Option('--delete', 'remove the bucket policy').conflicts('replaceWith'))
    .option('--replace-with <file>', 'replace the bucket policy with the JSON policy in FILE');
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper unlock-s3 --account 111122223333 --bucket app-logs --delete --reason "policy denies everyone" --ticket INC-42
  rootkeeper unlock-s3 --account 111122223333 --bucket app-logs --replace-with fixed-policy.json --reason "restore access" --yes --output json`,
  );
  command.action((flags: UnlockS3Flags, self: Command) =>
    run(self, async (ctx) => {
      const accountId = accountFlag(flags.account);
      const bucketName = checkFlag(
        () => validateBucketName(requireFlag(flags.bucket, '--bucket')),
        '--bucket',
      );
      const change = unlockChange(flags, (file) => readPolicyFile(file, 'S3_BUCKET'));
      const fields = reasonAndTicket(flags);
      const request = unlockRequest(
        'unlock-s3',
        { resourceType: 'S3_BUCKET', accountId, bucketName },
        change,
        fields,
      );
      return runWorkflow(ctx, request, flags, backupExtras(ctx, change));
    }),
  );
}
