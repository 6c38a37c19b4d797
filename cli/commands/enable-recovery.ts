import type { Command } from 'commander';
import type { Runner } from '../program';
import { accountFlag, addRequestFlags, reasonAndTicket, type RequestFlags } from '../request-flags';
import { runWorkflow } from '../run-workflow';
import { OUTPUT } from '../stack-outputs';

interface EnableRecoveryFlags extends RequestFlags {
  readonly account?: string;
}

export function registerEnableRecovery(program: Command, run: Runner): void {
  const command = program
    .command('enable-recovery')
    .description("let the root mailbox owner recover a member account's root user (password reset)")
    .option('--account <id>', 'the member account');
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper enable-recovery --account 111122223333 --reason "account closure needs root" --ticket CHG-1234`,
  );
  command.action((flags: EnableRecoveryFlags, self: Command) =>
    run(self, async (ctx) => {
      const accountId = accountFlag(flags.account);
      const fields = reasonAndTicket(flags);
      return runWorkflow(
        ctx,
        {
          command: 'enable-recovery',
          workflow: OUTPUT.enableAccountRecovery,
          title: 'Enable account recovery',
          accountId,
          input: { accountId, ...fields },
          nameArgs: {},
          plan: [
            ['account', accountId],
            ['action', 'create a root login profile without password, so "Forgot password" works'],
            ['reason', fields.reason],
            ['ticket', fields.ticket],
          ],
          mutating: true,
        },
        flags,
      );
    }),
  );
}
