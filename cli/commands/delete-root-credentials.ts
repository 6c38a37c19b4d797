import type { Command } from 'commander';
import type { Runner } from '../program';
import { accountsFlag, addRequestFlags, reasonAndTicket, type RequestFlags } from '../request-flags';
import { deletionPlan } from '../deletion-plan';
import { runWorkflow, type WorkflowRequest } from '../run-workflow';
import { runForAccounts } from '../several-accounts';
import { OUTPUT } from '../stack-outputs';
import { UsageError } from '../errors';

/** A dry run changes nothing: it needs no reason, but every run records one (the workflow requires it). */
export const DRY_RUN_REASON = 'dry run: read only, no reason given';

interface DeleteFlags extends RequestFlags {
  readonly account?: string[];
  readonly dryRun?: boolean;
  readonly includeKeysInUse?: boolean;
  readonly confirmKeysInUse?: string;
}

export const CONFIRM_KEYS_IN_USE_FLAG = '--confirm-keys-in-use';

/**
 * Deleting root keys in use is confirmed apart from the delete: `--yes`
 * alone never does it. A script repeats the account id after
 * --confirm-keys-in-use; a person answers a second prompt.
 */
function keysInUseConfirmation(flags: DeleteFlags, accountId: string) {
  if (flags.confirmKeysInUse !== undefined && flags.includeKeysInUse !== true) {
    throw new UsageError(CONFIRM_KEYS_IN_USE_FLAG, 'only goes with --include-keys-in-use');
  }
  if (flags.confirmKeysInUse !== undefined && flags.confirmKeysInUse !== accountId) {
    throw new UsageError(
      CONFIRM_KEYS_IN_USE_FLAG,
      `must repeat the account id ${accountId}, got "${flags.confirmKeysInUse}"`,
    );
  }
  return {
    question: `Also delete root access keys used recently (in use) in ${accountId}? Whatever uses them stops working, and a deleted key cannot be restored.`,
    flag: `${CONFIRM_KEYS_IN_USE_FLAG} ${accountId}`,
    givenByFlag: flags.confirmKeysInUse === accountId,
  };
}

export function registerDeleteRootCredentials(program: Command, run: Runner): void {
  const command = program
    .command('delete-root-credentials')
    .description("delete a member account's root password, access keys, signing certificates and MFA devices")
    .option('--account <id...>', 'the member account(s): several are one run each, confirmed together')
    .option('--dry-run', 'list what would be deleted; change nothing (no confirmation, --reason optional)')
    .option(
      '--include-keys-in-use',
      'also delete root access keys used within keyInUseDays (kept by default); asks its own confirmation',
    )
    .option(
      `${CONFIRM_KEYS_IN_USE_FLAG} <account-id>`,
      'confirm --include-keys-in-use in a script by repeating the account id (--yes does not)',
    );
  addRequestFlags(command).addHelpText(
    'after',
    `
Examples:
  rootkeeper delete-root-credentials --account 111122223333 --dry-run
  rootkeeper delete-root-credentials --account 111122223333 --reason "invited account still has a root password" --ticket SEC-7
  rootkeeper delete-root-credentials --account 111122223333 444455556666 --reason "invited accounts" --ticket SEC-9
  rootkeeper delete-root-credentials --account 111122223333 --include-keys-in-use --confirm-keys-in-use 111122223333 --yes --reason "job moved to a role" --ticket SEC-8

Root access keys used within keyInUseDays (default 90 days) are kept and the
run is recorded as KEY_IN_USE. --include-keys-in-use deletes them too, after a
second confirmation that --yes does not give (one account at a time).

Several accounts: each account's plan is read and shown, one question covers
them all, then each runs in turn; the exit code is 0 only if every account's
run is done (docs/cli.md, "Several accounts").`,
  );
  command.action((flags: DeleteFlags, self: Command) =>
    run(self, async (ctx) => {
      const accounts = accountsFlag(flags.account);
      const dryRun = flags.dryRun === true;
      const includeKeysInUse = flags.includeKeysInUse === true;
      if (includeKeysInUse && accounts.length > 1)
        throw new UsageError('--include-keys-in-use', 'one account at a time (it asks its own confirmation)');
      const fields = reasonAndTicket(
        dryRun && flags.reason === undefined ? { ...flags, reason: DRY_RUN_REASON } : flags,
      );
      const requestFor = (accountId: string): WorkflowRequest => {
        const secondConfirmation = includeKeysInUse ? keysInUseConfirmation(flags, accountId) : undefined;
        return {
          command: 'delete-root-credentials',
          workflow: OUTPUT.deleteRootCredentials,
          title: dryRun ? 'Delete root credentials (dry run)' : 'Delete root credentials',
          accountId,
          // The approval gate (issue 14), when on, carries the whole input to the approver.
          input: { accountId, dryRun, ...(includeKeysInUse && { includeKeysInUse }), ...fields },
          nameArgs: { dryRun, ...(includeKeysInUse && { includeKeysInUse }) },
          plan: [
            ['account', accountId],
            ['action', actionText(dryRun, includeKeysInUse)],
            ['reason', fields.reason],
            ['ticket', fields.ticket],
          ],
          mutating: !dryRun,
          ...(secondConfirmation !== undefined && !dryRun && { secondConfirmation }),
          preview: {
            input: { accountId, dryRun: true, includeKeysInUse, ...fields },
            describe: (planned) => deletionPlan(planned, accountId),
          },
        };
      };
      const [only] = accounts;
      if (accounts.length === 1 && only !== undefined) return runWorkflow(ctx, requestFor(only), flags);
      return runForAccounts(ctx, accounts, requestFor, flags, {
        command: 'delete-root-credentials',
        title: dryRun ? 'Delete root credentials (dry run)' : 'Delete root credentials',
      });
    }),
  );
}

function actionText(dryRun: boolean, includeKeysInUse: boolean): string {
  if (dryRun) return 'list the root credentials that would be deleted';
  return includeKeysInUse
    ? 'delete every root credential, root access keys in use included, then verify'
    : 'delete every root credential except access keys in use, then verify';
}
