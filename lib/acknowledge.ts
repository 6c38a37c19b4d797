import { CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledges one finding at a time, by its granular id: these
 * helpers spell the ids of wildcard findings (`AwsSolutions-IAM5[Resource::…]`)
 * from the constructs they are about, so each acknowledgment sits next to the
 * resource it concerns and names exactly one finding.
 */
export function logicalIdOf(construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(element instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(element).getLogicalId(element);
}

export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/**
 * The start of an ARN as cdk-nag spells it in findings: the stack's region
 * and account when they are literals, else the pseudo parameters.
 */
export function nagArnPrefix(scope: IConstruct, service: string): string {
  const { region, account } = Stack.of(scope);
  const spell = (value: string, pseudo: string): string =>
    Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
  return `arn:<AWS::Partition>:${service}:${spell(region, 'Region')}:${spell(account, 'AccountId')}`;
}
