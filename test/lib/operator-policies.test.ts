import { PassThrough } from 'node:stream';
import { buildRootkeeperApp } from '../../lib/build-app';
import { COMMAND_PERMISSIONS, type OperatorRole } from '../../lib/command-permissions';
import { buildProgram } from '../../cli/program';
import { asArray, type Template } from './support/template';

const { app, stack } = buildRootkeeperApp({ env: { account: '111111111111', region: 'us-east-1' } });
const template = app.synth().getStackByName(stack.stackName).template as Template;

/** The Allow statements of the managed policy whose logical id starts with the construct id. */
function statementsOf(constructId: string): { Action: string[]; Effect: string }[] {
  const [, policy] =
    Object.entries(template.Resources).find(
      ([logicalId, resource]) =>
        resource.Type === 'AWS::IAM::ManagedPolicy' && logicalId.startsWith(constructId),
    ) ?? [];
  const document = policy?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] } | undefined;
  if (document === undefined) throw new Error(`no policy ${constructId}`);
  return document.Statement.map((statement) => ({
    Effect: String(statement.Effect),
    Action: asArray(statement.Action as string | string[]),
  }));
}

const POLICIES: Record<OperatorRole, string> = {
  requester: 'OperatorAccess',
  approver: 'ApproverAccess',
  setup: 'SetupAccess',
};
const allowed = (role: OperatorRole): Set<string> =>
  new Set(
    statementsOf(POLICIES[role])
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => statement.Action),
  );

describe('operator policies', () => {
  const quiet = new PassThrough();
  const program = buildProgram(() => Promise.resolve(), { stdout: quiet, stderr: quiet, env: {} });
  const commands = program.commands.map((command) => command.name());

  it('name the permissions of every command of the command line', () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter((name) => COMMAND_PERMISSIONS[name] === undefined)).toEqual([]);
  });

  it.each(Object.entries(COMMAND_PERMISSIONS))(
    '%s: its policy allows every action it calls',
    (_name, entry) => {
      const actions = allowed(entry.role);
      expect(entry.actions.filter((action) => !actions.has(action))).toEqual([]);
    },
  );

  it('keep asking and approving apart: approvals and the remediation go-ahead are answered only through the Decide approval function', () => {
    const requester = allowed('requester');
    const approver = allowed('approver');
    expect([...requester].filter((action) => action.startsWith('states:SendTask'))).toEqual([]);
    expect([...requester].filter((action) => action.startsWith('lambda:'))).toEqual([]);
    expect(approver.has('states:StartExecution')).toBe(false);
    expect([...approver].filter((action) => action.startsWith('states:SendTask'))).toEqual([]);
    expect(approver).toEqual(
      new Set([
        'states:ListExecutions',
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'lambda:InvokeFunctionUrl',
        'lambda:InvokeFunction',
        'cloudformation:DescribeStacks',
      ]),
    );
  });
});
