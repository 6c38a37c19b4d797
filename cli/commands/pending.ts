import type { Command } from 'commander';
import { gatedStateMachines, printRequest } from '../approval-commands';
import { listPendingApprovals } from '../approval-requests';
import { EXIT } from '../errors';
import type { Runner } from '../program';

export function registerPending(program: Command, run: Runner): void {
  program
    .command('pending')
    .description('root actions waiting for approval, with the plan each one asks to approve')
    .addHelpText('after', '\nExamples:\n  rootkeeper pending\n  rootkeeper pending --output json')
    .action((_flags: unknown, self: Command) =>
      run(self, async (ctx) => {
        const outputs = await ctx.outputs();
        const requests = await listPendingApprovals(ctx.sfn, gatedStateMachines(outputs));
        ctx.out.result(
          { ok: true, command: 'pending', exitCode: EXIT.DONE, pending: requests },
          (printer) => {
            if (requests.length === 0) {
              printer.line('Nothing is waiting for approval.');
              return;
            }
            for (const request of requests) {
              printer.line(printer.colors.bold(`${request.workflow} ${request.run}`));
              printRequest(printer, request);
              printer.line(
                printer.colors.dim(`  rootkeeper approve ${request.run} --reason "..."   (or deny)`),
              );
              printer.line();
            }
          },
        );
        return EXIT.DONE;
      }),
    );
}
