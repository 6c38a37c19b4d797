import { Option, type Command } from 'commander';
import { validateQueueUrl } from '../../lambdas/root-access/validation';
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

interface UnlockSqsFlags extends RequestFlags {
  readonly account?: string;
  readonly queueUrl?: string;
  readonly delete?: boolean;
  readonly replaceWith?: string;
}

export function registerUnlockSqs(program: Command, run: Runner): void {
  const command = program
    .command('unlock-sqs')
    .description('remove or replace an SQS queue policy that locks everyone out (backed up first)')
    .option('--account <id>', 'the member account that owns the queue')
    .option('--queue-url <url>', 'the queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)')
    .addOption(new Option('--delete', 'remove the queue policy').conflicts('replaceWith'))
    .option('--replace-with <file>', 'replace the queue policy with the JSON policy in FILE');
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper unlock-sqs --account 111122223333 --queue-url https://sqs.eu-west-1.amazonaws.com/111122223333/orders --delete --reason "policy denies everyone"`,
  );
  command.action((flags: UnlockSqsFlags, self: Command) =>
    run(self, async (ctx) => {
      const accountId = accountFlag(flags.account);
      const queueUrl = requireFlag(flags.queueUrl, '--queue-url');
      // The local stack's queues live at http://127.0.0.1:<port>/...; AWS's never do.
      const options = ctx.loopback ? { loopbackRegion: await ctx.region() } : {};
      checkFlag(() => validateQueueUrl(queueUrl, accountId, options), '--queue-url');
      const change = unlockChange(flags, (file) => readPolicyFile(file, 'SQS_QUEUE'));
      const fields = reasonAndTicket(flags);
      const request = unlockRequest(
        'unlock-sqs',
        { resourceType: 'SQS_QUEUE', accountId, queueUrl: queueUrl.trim() },
        change,
        fields,
      );
      return runWorkflow(ctx, request, flags, backupExtras(ctx, change));
    }),
  );
}
