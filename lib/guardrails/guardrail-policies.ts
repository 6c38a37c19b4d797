/**
 * The guardrail policies (service control policies) that keep root sessions
 * the only way to act as root in member accounts:
 *
 * - deny every action to a member account's root user unless the request
 *   comes from a root session (`aws:AssumedRoot`), as AWS's published example
 *   "Prevent root credentials management in member accounts"
 *   (aws-samples/service-control-policy-examples) does: ArnLike on
 *   `aws:PrincipalArn` `arn:aws:iam::*:root`, Null `aws:AssumedRoot`;
 * - let only Rootkeeper's roles call `sts:AssumeRoot`, each with its own
 *   task policy (`sts:TaskPolicyArn`). An SCP does not apply to the
 *   management account: there, attach the same statements to the callers'
 *   permissions boundary; under a delegated administrator (a member), the SCP
 *   applies.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function denyLongTermRootPolicy(partition = 'aws'): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyRootUserOutsideRootSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          ArnLike: { 'aws:PrincipalArn': [`arn:${partition}:iam::*:root`] },
          Null: { 'aws:AssumedRoot': 'true' },
        },
      },
    ],
  };
}

/** One caller of sts:AssumeRoot: a role (ARN, wildcards allowed) and the one task policy it may use. */
export interface AssumeRootCaller {
  readonly name: string;
  readonly roleArn: string;
  readonly taskPolicyArn: string;
}

export function onlyRootkeeperAssumesRootPolicy(callers: readonly AssumeRootCaller[]): PolicyDocument {
  if (callers.length === 0) throw new Error('at least one caller of sts:AssumeRoot is needed');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyRootkeeperAssumesRoot',
        Effect: 'Deny',
        Action: 'sts:AssumeRoot',
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': callers.map((caller) => caller.roleArn) } },
      },
      ...callers.map((caller): PolicyStatement => ({
        Sid: `${caller.name.replace(/[^A-Za-z0-9]/g, '')}OnlyItsTask`,
        Effect: 'Deny',
        Action: 'sts:AssumeRoot',
        Resource: '*',
        Condition: {
          ArnLike: { 'aws:PrincipalArn': caller.roleArn },
          ArnNotEquals: { 'sts:TaskPolicyArn': caller.taskPolicyArn },
        },
      })),
    ],
  };
}
