import type { Command } from 'commander';
import { awsCall } from '../aws-call';
import { confirmAction } from '../confirm';
import type { CliContext } from '../context';
import { delegatedAdministrators, registerDelegatedAdministrator } from '../delegation';
import { EXIT, UsageError } from '../errors';
import { ENABLE_STEPS, readFeatureState } from '../features';
import type { Runner } from '../program';
import { isAccountId } from '../../lambdas/root-access/id-patterns';

interface EnableFlags {
  readonly yes?: boolean;
  readonly delegate?: string;
}

type StepStatus = 'ALREADY_ENABLED' | 'ENABLED' | 'PENDING';

export function registerEnable(program: Command, run: Runner): void {
  program
    .command('enable')
    .description('turn on trusted access for IAM, RootCredentialsManagement and RootSessions, in that order')
    .option('-y, --yes', 'do not ask for confirmation (for scripts)')
    .option(
      '--delegate <account-id>',
      'also register this account as delegated administrator for IAM (where Rootkeeper is deployed)',
    )
    .addHelpText(
      'after',
      '\nRun it in the management account (a delegated administrator cannot enable).\n\nExamples:\n  rootkeeper enable\n  rootkeeper enable --delegate 333333333333\n  rootkeeper enable --yes --output json',
    )
    .action((flags: EnableFlags, self: Command) =>
      run(self, async (ctx) => {
        const delegate = flags.delegate;
        if (delegate !== undefined && !isAccountId(delegate)) {
          throw new UsageError('--delegate', `must be a 12-digit account id, got "${delegate}"`);
        }
        const state = await readFeatureState(ctx);
        const steps: {
          step: string;
          action: string;
          done: boolean;
          run: (c: CliContext) => Promise<unknown>;
        }[] = ENABLE_STEPS.map((step) => ({
          step: step.step,
          action: step.action,
          done: step.done(state),
          run: step.run,
        }));
        if (delegate !== undefined) {
          const registered = await awsCall('organizations:ListDelegatedAdministrators', () =>
            delegatedAdministrators(ctx),
          );
          steps.push({
            step: `delegated administrator for IAM: ${delegate}`,
            action: 'organizations:RegisterDelegatedAdministrator',
            done: registered.includes(delegate),
            run: (c) =>
              awsCall('organizations:RegisterDelegatedAdministrator', () =>
                registerDelegatedAdministrator(c, delegate),
              ),
          });
        }
        const statuses: { step: string; action: string; status: StepStatus }[] = steps.map((step) => ({
          step: step.step,
          action: step.action,
          status: step.done ? 'ALREADY_ENABLED' : 'PENDING',
        }));
        const pending = statuses.filter((step) => step.status === 'PENDING');
        if (pending.length > 0) {
          ctx.out.note(ctx.out.colors.bold('Enable centralized root access:'));
          for (const step of statuses)
            ctx.out.note(
              `  ${step.status === 'PENDING' ? 'enable' : 'already on'}  ${step.step} (${step.action})`,
            );
          const answer = await confirmAction('Enable these features for the whole organization?', {
            yes: flags.yes === true,
            interactive: ctx.environment.stdinIsTTY,
            prompt: ctx.environment.prompt,
          });
          if (answer === 'declined') {
            ctx.out.result(
              { ok: false, command: 'enable', exitCode: EXIT.NOT_REACHED, declined: true, steps: statuses },
              (printer) => printer.line('Nothing done: not confirmed.'),
            );
            return EXIT.NOT_REACHED;
          }
          for (const [index, step] of steps.entries()) {
            const status = statuses[index];
            if (status === undefined || status.status !== 'PENDING') continue;
            ctx.out.note(`  enabling ${step.step} ...`);
            await step.run(ctx);
            status.status = 'ENABLED';
          }
        }
        ctx.out.result({ ok: true, command: 'enable', exitCode: EXIT.DONE, steps: statuses }, (printer) => {
          for (const step of statuses) {
            const mark =
              step.status === 'ENABLED' ? printer.colors.green('enabled') : printer.colors.dim('already on');
            printer.line(`${printer.colors.green('✔')} ${step.step}: ${mark}`);
          }
        });
        return EXIT.DONE;
      }),
    );
}
