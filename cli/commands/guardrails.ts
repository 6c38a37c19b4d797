import type { Command } from 'commander';
import { guardrailPolicies } from '../../lib/guardrails/guardrail-set';
import { checkGuardrails, type GuardrailStatus } from '../../lib/guardrails/guardrail-check';
import { policyProblems } from '../../lib/guardrails/validate-policy';
import { CliError, EXIT } from '../errors';
import type { Printer } from '../output';
import type { Runner } from '../program';
import { OUTPUT } from '../stack-outputs';

const TARGET_KIND: Readonly<Record<string, string>> = {
  ROOT: 'root',
  ORGANIZATIONAL_UNIT: 'OU',
  ACCOUNT: 'account',
};

function printStatus(printer: Printer, status: GuardrailStatus): void {
  const mark = status.attached ? printer.colors.green('✔ attached') : printer.colors.red('✘ not attached');
  printer.line(`${mark}  ${printer.colors.bold(status.name)}`);
  if (status.policies.length === 0) printer.line('    no SCP carries its statements');
  for (const policy of status.policies) {
    const where =
      policy.targets.length === 0
        ? 'attached nowhere'
        : policy.targets
            .map((target) => `${TARGET_KIND[target.type] ?? target.type} ${target.id} (${target.name})`)
            .join(', ');
    printer.line(`    SCP ${policy.name} ${printer.colors.dim(policy.id)}: ${where}`);
  }
}

export function registerGuardrails(program: Command, run: Runner): void {
  program
    .command('guardrails')
    .description(
      'print the service control policies that keep root sessions the only way in (validated before printing)',
    )
    .addHelpText(
      'after',
      '\nAttach them in the management account (Organizations): the first to the organization root,\n' +
        'the second where the callers live (a delegated administrator account; in the management account,\n' +
        'SCPs do not apply: use the same statements as a permissions boundary).\n' +
        "\n--check reads, from Organizations (read-only), which SCPs carry each guardrail's statements and\n" +
        'where they are attached. Exit codes: 0 every guardrail attached somewhere, 1 one is not, 3 AWS error.\n' +
        'Examples:\n  rootkeeper guardrails --output json\n  rootkeeper guardrails --check',
    )
    .option('--check', 'report whether SCPs carrying the guardrails are attached, and where (read-only)')
    .action((flags: { check?: boolean }, self: Command) =>
      run(self, async (ctx) => {
        const outputs = await ctx.outputs();
        const policies = guardrailPolicies(ctx.options.stackName, outputs.require(OUTPUT.unlockS3));
        for (const policy of policies) {
          const problems = await policyProblems(policy.document);
          if (problems.length > 0) {
            throw new CliError(`${policy.name} is not valid: ${problems.join('; ')}`, EXIT.AWS, 'aws');
          }
        }
        if (flags.check === true) {
          const guardrails = await checkGuardrails(ctx.organizations, policies);
          const ok = guardrails.every((status) => status.attached);
          const exitCode = ok ? EXIT.DONE : EXIT.NOT_REACHED;
          const missing = guardrails.filter((status) => !status.attached).map((status) => status.name);
          const error = ok
            ? {}
            : {
                error: {
                  name: 'GuardrailNotAttached',
                  message: `not attached anywhere: ${missing.join(', ')}`,
                  advice:
                    'rootkeeper guardrails prints the policies; attach them in the management account (Organizations)',
                  kind: 'not-reached',
                },
              };
          const document = { ok, command: 'guardrails', check: true, exitCode, guardrails, ...error };
          ctx.out.result(document, (printer) => {
            for (const status of guardrails) printStatus(printer, status);
          });
          return exitCode;
        }
        ctx.out.result({ ok: true, command: 'guardrails', exitCode: EXIT.DONE, policies }, (printer) => {
          for (const policy of policies) {
            printer.line(printer.colors.bold(`# ${policy.name}`));
            printer.line(JSON.stringify(policy.document, null, 2));
            printer.line();
          }
        });
        return EXIT.DONE;
      }),
    );
}
