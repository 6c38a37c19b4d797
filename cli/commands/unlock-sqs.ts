import type { Command } from 'commander';
import { partitionOfRegion } from '../../lambdas/root-access/task-policies';
import { queueUrlOfArn, validateQueueUrl } from '../../lambdas/root-access/validation';
import { checkFlag } from '../flags';
import type { Runner } from '../program';
import { requireFlag } from '../request-flags';
import { registerUnlockCommand, type UnlockFlags } from './unlock-command';

interface UnlockSqsFlags extends UnlockFlags {
  readonly queueUrl?: string;
}

export function registerUnlockSqs(program: Command, run: Runner): void {
  registerUnlockCommand<UnlockSqsFlags>(program, run, {
    name: 'unlock-sqs',
    description: 'remove or replace an SQS queue policy that locks everyone out (backed up first)',
    resourceType: 'SQS_QUEUE',
    noun: 'queue',
    resourceOption: [
      '--queue-url <url>',
      'the queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>) or its ARN (arn:aws:sqs:<region>:<account>:<name>)',
    ],
    examples: [
      'rootkeeper unlock-sqs --account 111122223333 --queue-url https://sqs.eu-west-1.amazonaws.com/111122223333/orders --delete --reason "policy denies everyone"',
    ],
    resource: async (flags, accountId, ctx) => {
      const given = requireFlag(flags.queueUrl, '--queue-url').trim();
      // An ARN is taken where a URL is, as the AWS console shows both.
      const queueUrl = given.startsWith('arn:')
        ? checkFlag(() => queueUrlOfArn(given), '--queue-url')
        : given;
      // The local stack's queues live at http://127.0.0.1:<port>/...; AWS's never do.
      const region = await ctx.region();
      const partition = partitionOfRegion(region);
      const options = ctx.loopback ? { partition, loopbackRegion: region } : { partition };
      checkFlag(() => validateQueueUrl(queueUrl, accountId, options), '--queue-url');
      return { queueUrl: queueUrl.trim() };
    },
  });
}
