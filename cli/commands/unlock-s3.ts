import type { Command } from 'commander';
import { validateBucketName } from '../../lambdas/root-access/validation';
import { checkFlag } from '../flags';
import type { Runner } from '../program';
import { requireFlag } from '../request-flags';
import { registerUnlockCommand, type UnlockFlags } from './unlock-command';

interface UnlockS3Flags extends UnlockFlags {
  readonly bucket?: string;
}

export function registerUnlockS3(program: Command, run: Runner): void {
  registerUnlockCommand<UnlockS3Flags>(program, run, {
    name: 'unlock-s3',
    description: 'delete or replace an S3 bucket policy that locks everyone out (backed up first)',
    resourceType: 'S3_BUCKET',
    noun: 'bucket',
    resourceOption: ['--bucket <name>', 'the bucket'],
    examples: [
      'rootkeeper unlock-s3 --account 111122223333 --bucket app-logs --delete --reason "policy denies everyone" --ticket INC-42',
      'rootkeeper unlock-s3 --account 111122223333 --bucket app-logs --replace-with fixed-policy.json --reason "restore access" --yes --output json',
    ],
    resource: (flags) => ({
      bucketName: checkFlag(() => validateBucketName(requireFlag(flags.bucket, '--bucket')), '--bucket'),
    }),
  });
}
