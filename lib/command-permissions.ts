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
/** Root actions read their plan first; DescribeStateMachine tells whether an approver shows it instead. */
const PLAN_FIRST = [...WATCH, 'states:DescribeStateMachine'];
const DECIDE = [
  'cloudformation:DescribeStacks',
  'states:DescribeExecution',
  'lambda:InvokeFunctionUrl',
  'lambda:InvokeFunction',
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
  audit: { role: 'requester', actions: WATCH },
  'delete-root-credentials': { role: 'requester', actions: PLAN_FIRST },
  'unlock-s3': { role: 'requester', actions: PLAN_FIRST },
  'unlock-sqs': { role: 'requester', actions: PLAN_FIRST },
  'enable-recovery': { role: 'requester', actions: WATCH },
  'restore-policy': { role: 'requester', actions: PLAN_FIRST },
  // watch and show read a run that exists: no StartExecution.
  watch: { role: 'requester', actions: WATCH.filter((action) => action !== 'states:StartExecution') },
  show: { role: 'requester', actions: WATCH.filter((action) => action !== 'states:StartExecution') },
  history: { role: 'requester', actions: ['cloudformation:DescribeStacks', 'dynamodb:Query'] },
  report: { role: 'requester', actions: ['cloudformation:DescribeStacks', 'dynamodb:Query'] },
  // --plan: the accounts in scope from Organizations, the postures, and an audit of the stale ones;
  // --execute saves the plan (only PLAN#<run> items) and starts the run; --status reads the progress.
  remediate: {
    role: 'requester',
    actions: [
      ...WATCH,
      'dynamodb:BatchWriteItem',
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListChildren',
    ],
  },
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
  // The go-ahead between waves goes through the Decide approval function, like an approval
  // (with approvals on, a second person): it reads the waiting run, then invokes the function's URL.
  'remediate --continue': {
    role: 'approver',
    actions: [...DECIDE, 'states:GetExecutionHistory'],
  },
  pending: {
    role: 'approver',
    actions: ['cloudformation:DescribeStacks', 'states:ListExecutions', 'states:GetExecutionHistory'],
  },
  // approve and deny answer through the Decide approval function's URL,
  // which alone holds states:SendTaskSuccess / SendTaskFailure.
  approve: { role: 'approver', actions: DECIDE },
  deny: { role: 'approver', actions: DECIDE },
};
