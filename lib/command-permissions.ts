/**
 * The AWS actions each `rootkeeper` command calls, and which of the
 * operator policies grants them (tests check every registered command is
 * here, and that the named policy allows each action):
 *
 * - requester (OperatorPolicyArn): on-call engineers start and watch runs;
 * - approver (ApproverPolicyArn): a second person lists and decides approval
 *   requests, and needs nothing else;
 * - setup (SetupPolicyArn): `enable`, once, in the management account.
 *
 * sts:GetCallerIdentity needs no permission (AWS answers it for every caller).
 */
export type OperatorRole = 'requester' | 'approver' | 'setup';

const WATCH = [
  'cloudformation:DescribeStacks',
  'states:StartExecution',
  'states:ListExecutions',
  'states:DescribeExecution',
  'states:GetExecutionHistory',
  'dynamodb:GetItem',
  'dynamodb:Query',
];
const FEATURES = ['iam:ListOrganizationsFeatures', 'organizations:ListAWSServiceAccessForOrganization'];

export const COMMAND_PERMISSIONS: Readonly<
  Record<string, { role: OperatorRole; actions: readonly string[] }>
> = {
  status: { role: 'requester', actions: [...FEATURES, 'cloudformation:DescribeStacks', 'dynamodb:Query'] },
  enable: {
    role: 'setup',
    actions: [
      ...FEATURES,
      'organizations:EnableAWSServiceAccess',
      'iam:EnableOrganizationsRootCredentialsManagement',
      'iam:EnableOrganizationsRootSessions',
    ],
  },
  audit: { role: 'requester', actions: [...WATCH, 'states:ListMapRuns', 'states:DescribeMapRun'] },
  'delete-root-credentials': { role: 'requester', actions: WATCH },
  'unlock-s3': { role: 'requester', actions: WATCH },
  'unlock-sqs': { role: 'requester', actions: WATCH },
  'enable-recovery': { role: 'requester', actions: WATCH },
  'restore-policy': { role: 'requester', actions: WATCH },
  // watch and show read a run that exists: no StartExecution.
  watch: { role: 'requester', actions: WATCH.filter((action) => action !== 'states:StartExecution') },
  show: { role: 'requester', actions: WATCH.filter((action) => action !== 'states:StartExecution') },
  history: { role: 'requester', actions: ['cloudformation:DescribeStacks', 'dynamodb:Query'] },
  report: { role: 'requester', actions: ['cloudformation:DescribeStacks', 'dynamodb:Query'] },
  // --check reads the SCPs from Organizations.
  guardrails: {
    role: 'requester',
    actions: [
      'cloudformation:DescribeStacks',
      'organizations:ListPolicies',
      'organizations:DescribePolicy',
      'organizations:ListTargetsForPolicy',
    ],
  },
  // --execute saves the plan (only PLAN#<run> items) and starts the run; --status reads the progress.
  remediate: {
    role: 'requester',
    actions: [...WATCH, 'dynamodb:BatchWriteItem'],
  },
  // The go-ahead between waves answers the run's task token: a second person, like an approval.
  'remediate --continue': {
    role: 'approver',
    actions: [
      'cloudformation:DescribeStacks',
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:SendTaskSuccess',
    ],
  },
  pending: {
    role: 'approver',
    actions: ['cloudformation:DescribeStacks', 'states:ListExecutions', 'states:GetExecutionHistory'],
  },
  approve: {
    role: 'approver',
    actions: [
      'cloudformation:DescribeStacks',
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:SendTaskSuccess',
    ],
  },
  deny: {
    role: 'approver',
    actions: [
      'cloudformation:DescribeStacks',
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:SendTaskFailure',
    ],
  },
};
