import { Option, type Command } from 'commander';
import type { ResourceType } from '../../lambdas/root-access/validation';
import type { CliContext } from '../context';
import type { Runner } from '../program';
import {
  accountFlag,
  addRequestFlags,
  readPolicyFile,
  reasonAndTicket,
  type RequestFlags,
} from '../request-flags';
import { runWorkflow } from '../run-workflow';
import { backupExtras, unlockChange, unlockRequest, type UnlockTarget } from '../unlock';

export interface UnlockFlags extends RequestFlags {
  readonly account?: string;
  readonly delete?: boolean;
  readonly replaceWith?: string;
}

type UnlockResource = Pick<UnlockTarget, 'bucketName' | 'queueUrl'>;

/** What unlock-s3 and unlock-sqs differ in: the command, and the flag naming the resource. */
export interface UnlockCommandSpec<F extends UnlockFlags> {
  readonly name: 'unlock-s3' | 'unlock-sqs';
  readonly description: string;
  readonly resourceType: ResourceType;
  /** "bucket" or "queue", in the flags' help. */
  readonly noun: string;
  /** The option naming the resource and its help, e.g. ['--bucket <name>', 'the bucket']. */
  readonly resourceOption: readonly [flags: string, description: string];
  readonly examples: readonly string[];
  /** Reads and checks the resource flag, after --account and before --delete / --replace-with. */
  readonly resource: (
    flags: F,
    accountId: string,
    ctx: CliContext,
  ) => UnlockResource | Promise<UnlockResource>;
}

/**
 * An unlock command: --account, the resource, --delete or --replace-with
 * FILE, the request flags; it runs the unlock workflow and reports the
 * backup it made.
 */
export function registerUnlockCommand<F extends UnlockFlags>(
  program: Command,
  run: Runner,
  spec: UnlockCommandSpec<F>,
): void {
  const command = program
    .command(spec.name)
    .description(spec.description)
    .option('--account <id>', `the member account that owns the ${spec.noun}`)
    .option(...spec.resourceOption)
    .addOption(new Option('--delete', `remove the ${spec.noun} policy`).conflicts('replaceWith'))
    .option('--replace-with <file>', `replace the ${spec.noun} policy with the JSON policy in FILE`);
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
${spec.examples.map((example) => `  ${example}`).join('\n')}`,
  );
  command.action((flags: F, self: Command) =>
    run(self, async (ctx) => {
      const accountId = accountFlag(flags.account);
      const resource = await spec.resource(flags, accountId, ctx);
      const change = unlockChange(flags, (file) => readPolicyFile(file, spec.resourceType));
      const fields = reasonAndTicket(flags);
      const request = unlockRequest(
        spec.name,
        { resourceType: spec.resourceType, accountId, ...resource },
        change,
        fields,
      );
      return runWorkflow(ctx, request, flags, backupExtras(ctx, change));
    }),
  );
}
