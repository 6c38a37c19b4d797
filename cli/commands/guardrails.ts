import type { Command } from 'commander';
import { FUNCTION_CATALOG, type FunctionSpec } from '../../lib/function-catalog';
import { taskPolicyArn, type Partition } from '../../lambdas/root-access/task-policies';
import {
  denyLongTermRootPolicy,
  onlyRootkeeperAssumesRootPolicy,
  type AssumeRootCaller,
} from '../../lib/guardrails/guardrail-policies';
import { policyProblems } from '../../lib/guardrails/validate-policy';
import type { CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import type { Runner } from '../program';
import { OUTPUT } from '../stack-outputs';

/**
 * The callers of sts:AssumeRoot: each function of the catalog that has a
 * root task, by its role's name as CloudFormation generates it
 * (<stack>-<logical id, truncated>-<suffix>, the logical id starting with
 * Functions<id>), in the account and partition of the deployed stack. The
 * prefix survives CloudFormation's 64-character truncation for stack names
 * up to about 20 characters.
 */
async function assumeRootCallers(ctx: CliContext): Promise<AssumeRootCaller[]> {
  const outputs = await ctx.outputs();
  const [, partition = 'aws', , , account = ''] = outputs.require(OUTPUT.unlockS3).split(':');
  return (Object.values(FUNCTION_CATALOG) as FunctionSpec[]).flatMap((spec) =>
    spec.rootTask === undefined
      ? []
      : [
          {
            name: spec.id,
            roleArn: `arn:${partition}:iam::${account}:role/${ctx.options.stackName}-Functions${spec.id}*`,
            taskPolicyArn: taskPolicyArn(spec.rootTask, partition as Partition),
          },
        ],
  );
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
        'Examples:\n  rootkeeper guardrails --output json',
    )
    .action((_flags: unknown, self: Command) =>
      run(self, async (ctx) => {
        const callers = await assumeRootCallers(ctx);
        const partition = callers[0]?.roleArn.split(':')[1] ?? 'aws';
        const policies = [
          { name: 'rootkeeper-deny-long-term-root', document: denyLongTermRootPolicy(partition) },
          {
            name: 'rootkeeper-only-rootkeeper-assumes-root',
            document: onlyRootkeeperAssumesRootPolicy(callers),
          },
        ];
        for (const policy of policies) {
          const problems = await policyProblems(policy.document);
          if (problems.length > 0) {
            throw new CliError(`${policy.name} is not valid: ${problems.join('; ')}`, EXIT.AWS, 'aws');
          }
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
