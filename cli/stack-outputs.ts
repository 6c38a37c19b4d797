import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CliError, EXIT } from './errors';
import { awsCall } from './aws-call';
import { DECIDE_APPROVAL_URL_OUTPUT } from '../lib/approvals/approval-event';
import { ROOTKEEPER_STACK_NAME } from '../lib/stack-name';

/** The stack the command line reads when neither --stack-name nor ROOTKEEPER_STACK_NAME names one. */
export const DEFAULT_STACK_NAME = ROOTKEEPER_STACK_NAME;

/**
 * The deployed stack's outputs are how the command line finds the state
 * machines and the table: nothing is configured by hand, and the same code
 * reads the local stack's outputs from its file.
 */
export const OUTPUT = {
  secureNewAccount: 'SecureNewAccountStateMachineArn',
  auditOrganization: 'AuditOrganizationStateMachineArn',
  deleteRootCredentials: 'DeleteRootCredentialsStateMachineArn',
  unlockS3: 'UnlockS3BucketPolicyStateMachineArn',
  unlockSqs: 'UnlockSqsQueuePolicyStateMachineArn',
  enableAccountRecovery: 'EnableAccountRecoveryStateMachineArn',
  remediateOrganization: 'RemediateOrganizationStateMachineArn',
  resultsTable: 'ResultsTableName',
  eventBus: 'EventBusName',
  decideApprovalUrl: DECIDE_APPROVAL_URL_OUTPUT,
} as const;

export type OutputName = (typeof OUTPUT)[keyof typeof OUTPUT];

/** The workflows by the name a person reads, keyed by their output name. */
export const WORKFLOW_OUTPUTS: readonly { readonly output: OutputName; readonly title: string }[] = [
  { output: OUTPUT.secureNewAccount, title: 'Secure new account' },
  { output: OUTPUT.auditOrganization, title: 'Audit organization' },
  { output: OUTPUT.deleteRootCredentials, title: 'Delete root credentials' },
  { output: OUTPUT.unlockS3, title: 'Unlock S3 bucket policy' },
  { output: OUTPUT.unlockSqs, title: 'Unlock SQS queue policy' },
  { output: OUTPUT.enableAccountRecovery, title: 'Enable account recovery' },
  { output: OUTPUT.remediateOrganization, title: 'Remediate organization' },
];

function squash(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

export class StackOutputs {
  constructor(
    readonly values: Readonly<Record<string, string>>,
    /** Where they came from, for messages: "stack Rootkeeper in eu-west-1" or the local file. */
    readonly source: string,
  ) {}

  /**
   * An output by name. CDK prefixes outputs declared inside a construct with
   * the construct path and suffixes a hash, so an exact key wins and a single
   * key containing the name is accepted too.
   */
  find(name: OutputName): string | undefined {
    const exact = this.values[name];
    if (exact !== undefined) return exact;
    const wanted = squash(name);
    const matches = Object.entries(this.values).filter(([key]) => squash(key).includes(wanted));
    return matches.length === 1 ? matches[0]?.[1] : undefined;
  }

  require(name: OutputName): string {
    const value = this.find(name);
    if (value === undefined) {
      throw new CliError(
        `${this.source} has no output ${name}: is the stack deployed and up to date?`,
        EXIT.AWS,
        'aws',
        {
          missingOutput: name,
        },
      );
    }
    return value;
  }
}

function isMissingStack(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /does not exist/i.test(message);
}

/** The stack's outputs, or undefined when no such stack is deployed in this account and region. */
export async function describeStackOutputs(
  cfn: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<StackOutputs | undefined> {
  try {
    const answer = await awsCall('cloudformation:DescribeStacks', () =>
      cfn.send(new DescribeStacksCommand({ StackName: stackName })),
    );
    const stack = answer.Stacks?.[0];
    if (stack === undefined) return undefined;
    const values: Record<string, string> = {};
    for (const output of stack.Outputs ?? []) {
      if (output.OutputKey !== undefined && output.OutputValue !== undefined)
        values[output.OutputKey] = output.OutputValue;
    }
    return new StackOutputs(values, `stack ${stackName} in ${region}`);
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

export function missingStackError(stackName: string, region: string): CliError {
  return new CliError(
    `stack ${stackName} is not deployed in ${region}: deploy it (npx cdk deploy), pass --stack-name or --region, or use --local`,
    EXIT.AWS,
    'aws',
    { stackName, region },
  );
}
