import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { awsCall } from '../aws-call';
import { INDEX_NAME } from '../backups';
import type { CliContext } from '../context';
import { readDelegation } from '../delegation';
import { EXIT } from '../errors';
import { FEATURES, readFeatureState } from '../features';
import type { Runner } from '../program';
import { OUTPUT, WORKFLOW_OUTPUTS, type StackOutputs } from '../stack-outputs';
import { queryRuns } from '../runs-query';
import { POSTURE } from '../../lib/results-table-keys';
import { KEY_IN_USE_OUTCOME } from '../../lambdas/root-access/delete-credentials';

/** How far back status looks for KEY_IN_USE runs. */
const KEY_IN_USE_WINDOW_DAYS = 30;

/** Accounts with a KEY_IN_USE run (root keys in use kept) in the last 30 days. */
async function accountsWithKeysInUse(ctx: CliContext, table: string): Promise<string[]> {
  const since = new Date(ctx.environment.now().getTime() - KEY_IN_USE_WINDOW_DAYS * 86_400_000);
  const runs = await queryRuns(ctx.ddb, table, {
    outcome: KEY_IN_USE_OUTCOME,
    since: since.toISOString(),
    limit: 10_000,
  });
  return [...new Set(runs.map((run) => String(run.accountId)))].sort();
}

/** Accounts whose latest posture has root credentials, counted on the server (Select COUNT). */
async function countPostures(
  ctx: CliContext,
  table: string,
): Promise<{ recorded: number; withCredentials: number }> {
  let recorded = 0;
  let withCredentials = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      ctx.ddb.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEX_NAME,
          KeyConditionExpression: 'GSI1PK = :posture',
          FilterExpression: 'credentialsPresent = :true',
          ExpressionAttributeValues: { ':posture': POSTURE, ':true': true },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    recorded += page.ScannedCount ?? 0;
    withCredentials += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { recorded, withCredentials };
}

function workflowsOf(outputs: StackOutputs | undefined) {
  return WORKFLOW_OUTPUTS.map(({ output, title }) => ({
    workflow: title,
    stateMachineArn: outputs?.find(output) ?? null,
  }));
}

export function registerStatus(program: Command, run: Runner): void {
  program
    .command('status')
    .description(
      'is centralized root access on, is the stack deployed, how many accounts still have root credentials',
    )
    .addHelpText('after', '\nExamples:\n  rootkeeper status\n  rootkeeper --local status --output json')
    .action((_flags: unknown, self: Command) =>
      run(self, async (ctx) => {
        const [features, outputs, delegation] = await Promise.all([
          readFeatureState(ctx),
          ctx.findOutputs(),
          readDelegation(ctx),
        ]);
        const table = outputs?.find(OUTPUT.resultsTable);
        const postures = table === undefined ? null : await countPostures(ctx, table);
        const keysInUse = table === undefined ? null : await accountsWithKeysInUse(ctx, table);
        const enabled = Object.fromEntries(
          FEATURES.map((feature) => [feature, features.enabledFeatures?.includes(feature) ?? null]),
        );
        const ready = features.trustedAccess && FEATURES.every((feature) => enabled[feature] === true);
        const document = {
          ok: true,
          command: 'status',
          exitCode: EXIT.DONE,
          organization: { trustedAccess: features.trustedAccess, features: enabled, ready },
          deployment: delegation,
          stack: {
            name: ctx.options.stackName,
            source: outputs?.source ?? null,
            deployed: outputs !== undefined,
            resultsTable: table ?? null,
            workflows: workflowsOf(outputs),
          },
          postures,
          keysInUse,
        };
        ctx.out.result(document, (printer) => {
          const { colors } = printer;
          const yes = (value: boolean | null) =>
            value === true
              ? colors.green('on')
              : value === false
                ? colors.red('off')
                : colors.yellow('unknown');
          printer.line(colors.bold('Organization'));
          printer.fields([
            ['trusted access (IAM)', yes(features.trustedAccess)],
            ...FEATURES.map((feature) => [feature, yes(enabled[feature] ?? null)] as const),
          ]);
          if (!ready)
            printer.line(colors.yellow('  run "rootkeeper enable" to turn centralized root access on'));
          printer.line();
          printer.line(colors.bold(`Account ${delegation.account}`));
          const role =
            delegation.account === delegation.managementAccount
              ? 'management account'
              : delegation.iamDelegatedAdministrator === true
                ? 'delegated administrator for IAM'
                : colors.red('neither the management account nor the delegated administrator for IAM');
          printer.fields([
            ['role', role],
            ['can list the organization', yes(delegation.canListOrganization)],
          ]);
          if (
            delegation.account !== delegation.managementAccount &&
            delegation.iamDelegatedAdministrator !== true
          )
            printer.line(
              colors.yellow(
                `  from the management account: rootkeeper enable --delegate ${delegation.account}`,
              ),
            );
          printer.line();
          printer.line(colors.bold(`Stack ${ctx.options.stackName}`));
          printer.fields([
            ['deployed', outputs === undefined ? colors.red('no') : `yes (${outputs.source})`],
            ['results table', table],
          ]);
          if (outputs !== undefined) {
            printer.table(
              ['workflow', 'state machine'],
              workflowsOf(outputs).map((row) => [row.workflow, row.stateMachineArn ?? colors.red('missing')]),
            );
          }
          if (postures !== null) {
            printer.line();
            printer.line(
              `${postures.recorded} account(s) recorded, ${postures.withCredentials > 0 ? colors.red(String(postures.withCredentials)) : '0'} with root credentials present`,
            );
          }
          if (keysInUse !== null && keysInUse.length > 0) {
            printer.line(
              colors.yellow(
                `${keysInUse.length} account(s) KEY_IN_USE in the last ${KEY_IN_USE_WINDOW_DAYS} days (root access keys used recently, kept): ${keysInUse.slice(0, 3).join(', ')}${keysInUse.length > 3 ? ', ...' : ''}`,
              ),
            );
          }
        });
        return EXIT.DONE;
      }),
    );
}
