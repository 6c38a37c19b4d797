import { taskPolicyArn, type Partition } from '../../lambdas/root-access/task-policies';
import { FUNCTION_CATALOG, type FunctionSpec } from '../function-catalog';
import {
  denyLongTermRootPolicy,
  onlyRootkeeperAssumesRootPolicy,
  type AssumeRootCaller,
  type PolicyDocument,
} from './guardrail-policies';

/**
 * The callers of sts:AssumeRoot: each function of the catalog that has a
 * root task, by its role's name as CloudFormation generates it
 * (<stack>-<logical id, truncated>-<suffix>, the logical id starting with
 * Functions<id>), in the account and partition of the deployed stack. The
 * prefix survives CloudFormation's 64-character truncation for stack names
 * up to about 20 characters.
 */
function assumeRootCallers(stackName: string, account: string, partition: string): AssumeRootCaller[] {
  return (Object.values(FUNCTION_CATALOG) as FunctionSpec[]).flatMap((spec) =>
    spec.rootTask === undefined
      ? []
      : [
          {
            name: spec.id,
            roleArn: `arn:${partition}:iam::${account}:role/${stackName}-Functions${spec.id}*`,
            taskPolicyArn: taskPolicyArn(spec.rootTask, partition as Partition),
          },
        ],
  );
}

/** The guardrails' names, as printed, checked and deployed. */
export const GUARDRAIL_NAMES = [
  'rootkeeper-deny-long-term-root',
  'rootkeeper-only-rootkeeper-assumes-root',
] as const;
export type GuardrailName = (typeof GUARDRAIL_NAMES)[number];

export interface NamedPolicy {
  readonly name: GuardrailName;
  readonly document: PolicyDocument;
}

/** The two guardrails for the service stack `stackName` deployed in `account`. */
export function guardrailPoliciesFor(stackName: string, account: string, partition = 'aws'): NamedPolicy[] {
  return [
    { name: GUARDRAIL_NAMES[0], document: denyLongTermRootPolicy(partition) },
    {
      name: GUARDRAIL_NAMES[1],
      document: onlyRootkeeperAssumesRootPolicy(assumeRootCallers(stackName, account, partition)),
    },
  ];
}

/** The two guardrails for a deployed stack, named by its name and one of its state machines' ARN. */
export function guardrailPolicies(stackName: string, stateMachineArn: string): NamedPolicy[] {
  const [, partition = 'aws', , , account = ''] = stateMachineArn.split(':');
  return guardrailPoliciesFor(stackName, account, partition);
}
