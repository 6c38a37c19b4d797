import type { Command } from 'commander';
import type { Runner } from '../program';
import { accountsFlag, addRequestFlags, reasonAndTicket, type RequestFlags } from '../request-flags';
import { runWorkflow, type WorkflowRequest } from '../run-workflow';
import { runForAccounts } from '../several-accounts';
import { OUTPUT } from '../stack-outputs';

interface EnableRecoveryFlags extends RequestFlags {
  readonly account?: string[];
}

export function registerEnableRecovery(program: Command, run: Runner): void {
  const command = program
    .command('enable-recovery')
    .description("let the root mailbox owner recover a member account's root user (password reset)")
    .option('--account <id...>', 'the member account(s): several are one run each, confirmed together');
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper enable-recovery --account 111122223333 --reason "account closure needs root" --ticket CHG-1234
  rootkeeper enable-recovery --account 111122223333 444455556666 --reason "closing both" --ticket CHG-1235`,
  );
  command.action((flags: EnableRecoveryFlags, self: Command) =>
    run(self, async (ctx) => {
      const accounts = accountsFlag(flags.account);
      const fields = reasonAndTicket(flags);
      const requestFor = (accountId: string): WorkflowRequest => ({
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
      });
      const [only] = accounts;
      if (accounts.length === 1 && only !== undefined) return runWorkflow(ctx, requestFor(only), flags);
      return runForAccounts(ctx, accounts, requestFor, flags, {
        command: 'enable-recovery',
        title: 'Enable account recovery',
      });
    }),
  );
}
