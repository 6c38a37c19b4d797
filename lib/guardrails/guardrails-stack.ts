import { Stack, type StackProps } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import type { Construct } from 'constructs';
import type { GuardrailTargets } from './guardrail-config';
import { guardrailPoliciesFor } from './guardrail-set';

export interface GuardrailsStackProps extends StackProps {
  /** Where each guardrail is attached (the `guardrails` configuration key). */
  readonly targets: GuardrailTargets;
  /** The service stack whose function roles alone may call sts:AssumeRoot. */
  readonly serviceStackName: string;
  readonly serviceAccount: string;
  readonly partition?: string;
}

/** Organizations' quota on a service control policy's document. */
const SCP_MAX_CHARACTERS = 5120;

/**
 * The guardrail SCPs, deployed into the management account (optional, off
 * by default: only with the `guardrails` key): one AWS::Organizations::Policy
 * per configured guardrail, of type SERVICE_CONTROL_POLICY, with its
 * TargetIds. The document is given as a JSON object, not a string, so that
 * CloudFormation can detect drift (AWS::Organizations::Policy, Content). The
 * SCP policy type must be enabled in the organization first.
 */
export class GuardrailsStack extends Stack {
  readonly policies: organizations.CfnPolicy[] = [];

  constructor(scope: Construct, id: string, props: GuardrailsStackProps) {
    super(scope, id, props);
    for (const { name, document } of guardrailPoliciesFor(
      props.serviceStackName,
      props.serviceAccount,
      props.partition,
    )) {
      const targetIds = props.targets[name];
      if (targetIds === undefined) continue;
      const size = JSON.stringify(document).length;
      if (size > SCP_MAX_CHARACTERS) {
        throw new Error(`${name} is ${size} characters, over the SCP limit of ${SCP_MAX_CHARACTERS}`);
      }
      this.policies.push(
        new organizations.CfnPolicy(this, name, {
          name,
          type: 'SERVICE_CONTROL_POLICY',
          description: 'Rootkeeper guardrail (rootkeeper guardrails --check reports where it is attached)',
          content: document,
          targetIds: [...targetIds],
        }),
      );
    }
  }
}
