import { runSimulation } from '@cloud-copilot/iam-simulate';
import { taskPolicyArn } from '../../lambdas/root-access/task-policies';
import {
  denyLongTermRootPolicy,
  onlyRootkeeperAssumesRootPolicy,
  type PolicyDocument,
} from '../../lib/guardrails/guardrail-policies';
import { policyProblems } from '../../lib/guardrails/validate-policy';

// The policy evaluator (AGPL) is a devDependency: used here, never on the command line's path.
const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const MEMBER = '222233334444';
const ADMIN = '111111111111';
const AUDIT_ROLE = `arn:aws:iam::${ADMIN}:role/Rootkeeper-FunctionsAuditRootCredentials-AbC123`;
const DELETE_ROLE = `arn:aws:iam::${ADMIN}:role/Rootkeeper-FunctionsDeleteRootCredentials-XyZ789`;
const callers = [
  {
    name: 'AuditRootCredentials',
    roleArn: `arn:aws:iam::${ADMIN}:role/Rootkeeper-FunctionsAuditRootCredentials*`,
    taskPolicyArn: taskPolicyArn('IAMAuditRootUserCredentials'),
  },
  {
    name: 'DeleteRootCredentials',
    roleArn: `arn:aws:iam::${ADMIN}:role/Rootkeeper-FunctionsDeleteRootCredentials*`,
    taskPolicyArn: taskPolicyArn('IAMDeleteRootUserCredentials'),
  },
];

async function decision(
  scp: PolicyDocument,
  principal: string,
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Promise<string> {
  const account = /::(\d{12}):/.exec(principal)?.[1] ?? MEMBER;
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: account },
        contextVariables: { 'aws:PrincipalArn': principal, ...context },
      },
      identityPolicies: [{ name: 'full', policy: FULL_ACCESS }],
      serviceControlPolicies: [
        {
          orgIdentifier: 'r-ab12',
          policies: [
            { name: 'FullAWSAccess', policy: FULL_ACCESS },
            { name: 'guardrail', policy: scp },
          ],
        },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return (result as { overallResult: string }).overallResult;
}

describe('guardrail policies', () => {
  it('are clean for the validator; a misspelt action or condition key is caught', async () => {
    expect(await policyProblems(denyLongTermRootPolicy())).toEqual([]);
    expect(await policyProblems(onlyRootkeeperAssumesRootPolicy(callers))).toEqual([]);
    const misspelt: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Typo',
          Effect: 'Deny',
          Action: 'sts:AssumeRoots',
          Resource: '*',
          Condition: { Null: { 'aws:AssumedRoots': 'true' }, StringEquals: { 'sts:TaskPolicy': 'x' } },
        },
      ],
    };
    expect(await policyProblems(misspelt)).toEqual([
      'Typo: unknown action sts:AssumeRoots',
      'Typo: unknown condition key aws:AssumedRoots',
      'Typo: unknown condition key sts:TaskPolicy',
    ]);
  });

  it('deny the long-term root user of a member account, not its root sessions nor its roles', async () => {
    const scp = denyLongTermRootPolicy();
    const root = `arn:aws:iam::${MEMBER}:root`;
    const bucket = 'arn:aws:s3:::locked-bucket';
    expect(await decision(scp, root, 's3:PutBucketPolicy', bucket)).toBe('ExplicitlyDenied');
    expect(await decision(scp, root, 's3:PutBucketPolicy', bucket, { 'aws:AssumedRoot': 'true' })).toBe(
      'Allowed',
    );
    expect(await decision(scp, `arn:aws:iam::${MEMBER}:role/App`, 's3:PutBucketPolicy', bucket)).toBe(
      'Allowed',
    );
  });

  it("let only Rootkeeper's roles call sts:AssumeRoot, each with its own task policy", async () => {
    const scp = onlyRootkeeperAssumesRootPolicy(callers);
    const target = `arn:aws:iam::${MEMBER}:root`;
    const audit = { 'sts:TaskPolicyArn': callers[0]?.taskPolicyArn ?? '' };
    const remove = { 'sts:TaskPolicyArn': callers[1]?.taskPolicyArn ?? '' };
    expect(await decision(scp, AUDIT_ROLE, 'sts:AssumeRoot', target, audit)).toBe('Allowed');
    expect(await decision(scp, DELETE_ROLE, 'sts:AssumeRoot', target, remove)).toBe('Allowed');
    // The audit role may not delete; another role may not assume root at all.
    expect(await decision(scp, AUDIT_ROLE, 'sts:AssumeRoot', target, remove)).toBe('ExplicitlyDenied');
    expect(await decision(scp, `arn:aws:iam::${ADMIN}:role/Admin`, 'sts:AssumeRoot', target, audit)).toBe(
      'ExplicitlyDenied',
    );
  });
});
