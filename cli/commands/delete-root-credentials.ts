import type { Command } from 'commander';
import type { Runner } from '../program';
import { accountFlag, addRequestFlags, reasonAndTicket, type RequestFlags } from '../request-flags';
import { deletionPlan } from '../deletion-plan';
import { runWorkflow } from '../run-workflow';
import { OUTPUT } from '../stack-outputs';

/** A dry run changes nothing: it needs no reason, but every run records one (the workflow requires it). */
export const DRY_RUN_REASON = 'dry run: read only, no reason given';

interface DeleteFlags extends RequestFlags {
  readonly account?: string;
  readonly dryRun?: boolean;
}

export function registerDeleteRootCredentials(program: Command, run: Runner): void {
  const command = program
    .command('delete-root-credentials')
    .description("delete a member account's root password, access keys, signing certificates and MFA devices")
    .option('--account <id>', 'the member account')
    .option('--dry-run', 'list what would be deleted; change nothing (no confirmation, --reason optional)');
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper delete-root-credentials --account 111122223333 --dry-run
  rootkeeper delete-root-credentials --account 111122223333 --reason "invited account still has a root password" --ticket SEC-7`,
  );
  command.action((flags: DeleteFlags, self: Command) =>
    run(self, async (ctx) => {
      const accountId = accountFlag(flags.account);
      const dryRun = flags.dryRun === true;
      const fields = reasonAndTicket(
        dryRun && flags.reason === undefined ? { ...flags, reason: DRY_RUN_REASON } : flags,
      );
      return runWorkflow(
        ctx,
        {
          command: 'delete-root-credentials',
          workflow: OUTPUT.deleteRootCredentials,
          title: dryRun ? 'Delete root credentials (dry run)' : 'Delete root credentials',
          accountId,
          input: { accountId, dryRun, ...fields },
          nameArgs: { dryRun },
          plan: [
            ['account', accountId],
            [
              'action',
              dryRun
                ? 'list the root credentials that would be deleted'
                : 'delete every root credential, then verify',
            ],
            ['reason', fields.reason],
            ['ticket', fields.ticket],
          ],
          mutating: !dryRun,
          preview: {
            input: { accountId, dryRun: true, ...fields },
            describe: (planned) => deletionPlan(planned, accountId),
          },
        },
        flags,
      );
    }),
  );
}
