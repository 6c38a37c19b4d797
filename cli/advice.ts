/**
 * What to do about a failure, by error name: the one table behind the
 * command line's "what to do" line, the JSON `error.advice` and the README's
 * on-call runbook (test/cli/advice.test.ts checks the README against it).
 * Names are the domain's error classes (lambdas/root-access/errors.ts), the
 * Step Functions runtime's States.* errors and the command line's own.
 */

export interface AdviceEntry {
  readonly name: string;
  /** What the name means, in a few words. */
  readonly meaning: string;
  readonly advice: string;
}

export const ADVICE: readonly AdviceEntry[] = [
  {
    name: 'InvalidInputError',
    meaning: 'the request was refused before any AWS call',
    advice: 'fix the flag the message names and run the command again; nothing was changed',
  },
  {
    name: 'TargetNotEligibleError',
    meaning: 'the account may not be targeted (management, protected, not an active member)',
    advice: 'check --account; protected accounts are listed in cdk.json (protectedAccountIds)',
  },
  {
    name: 'NOT_A_MEMBER',
    meaning: 'the account is not in the organization (skipped)',
    advice: 'check --account for a typo; `rootkeeper status` lists the organization',
  },
  {
    name: 'MANAGEMENT_ACCOUNT',
    meaning: 'the management account has no centralized root access (skipped)',
    advice: 'sign in to the management account as its root user for this; nothing was changed',
  },
  {
    name: 'PROTECTED_ACCOUNT',
    meaning: 'the account is protected by configuration (skipped)',
    advice:
      'protected accounts are never targeted; remove it from protectedAccountIds first if this is intended',
  },
  {
    name: 'PROTECTED_OU',
    meaning: 'the account is in a protected organizational unit (skipped)',
    advice: 'protected OUs are never targeted; change protectedOuIds first if this is intended',
  },
  {
    name: 'NOT_ACTIVE',
    meaning: 'the account is suspended or closing (skipped)',
    advice: 'nothing to do while the account is not ACTIVE',
  },
  {
    name: 'FeatureNotEnabledError',
    meaning: 'centralized root access is not enabled for the organization',
    advice: 'run `rootkeeper enable`, then run the command again',
  },
  {
    name: 'WrongAccountError',
    meaning: 'the bucket is not in the account given (its own root user was refused)',
    advice: 'check --account: give the account that owns the bucket; nothing was changed',
  },
  {
    name: 'RootAccessDeniedError',
    meaning: 'AWS refused the root session (an SCP, a region that is not enabled, a wrong account)',
    advice:
      "check --account first; then the organization's SCPs and enabled regions for the action AWS names",
  },
  {
    name: 'ResourceNotFoundError',
    meaning: 'the bucket or queue does not exist',
    advice: 'check the bucket name or queue URL (and its region); nothing was changed',
  },
  {
    name: 'PolicyChangedSinceBackupError',
    meaning: 'someone changed the policy between its backup and the change',
    advice: 'nothing was applied; look at the policy now, then run the command again with --again',
  },
  {
    name: 'PolicyChangedSincePlanError',
    meaning: 'the policy changed after it was shown for confirmation',
    advice: 'nothing was changed; look at the plan again: run the command again, it reads the policy anew',
  },
  {
    name: 'CredentialsChangedSincePlanError',
    meaning: 'the root credentials changed between the approved plan and the delete',
    advice: 'nothing was deleted; run the command again for a new plan and have it approved',
  },
  {
    name: 'ThrottledError',
    meaning: 'AWS kept throttling beyond every retry',
    advice: 'wait a few minutes, then run the command again with --again',
  },
  {
    name: 'TransientAwsError',
    meaning: 'AWS kept failing (5xx) beyond every retry',
    advice: 'wait a few minutes, then run the command again with --again',
  },
  {
    name: 'EntityTemporarilyUnmodifiableError',
    meaning: 'IAM could not change the root user at that moment',
    advice: 'wait a few minutes, then run the command again with --again',
  },
  {
    name: 'RootSessionExpiredError',
    meaning: 'the root session expired before the task finished',
    advice: 'run the command again with --again; the audit shows what is left',
  },
  {
    name: 'CredentialsStillPresentError',
    meaning: 'credentials were still there after the delete was verified',
    advice: 'run `rootkeeper audit --account ID` to see what is left, then delete again with --again',
  },
  {
    name: 'States.Timeout',
    meaning: 'a step ran longer than its time limit',
    advice: 'run the command again with --again; if it repeats, check the function logs',
  },
  {
    name: 'States.TaskFailed',
    meaning: 'a step failed in an unexpected way',
    advice: 'run with --debug for the raw error, and check the function logs',
  },
  {
    name: 'UsageError',
    meaning: 'a flag is missing or wrong',
    advice: 'fix the flag the message names; nothing was started',
  },
  {
    name: 'AwsCallError',
    meaning: 'the command line itself could not call AWS',
    advice: 'check the profile, region and the permission the message names (the operator policy)',
  },
];

const FALLBACK = 'run with --debug for the raw error, and check the function logs';

export function adviceFor(name: string): string {
  return ADVICE.find((entry) => entry.name === name)?.advice ?? FALLBACK;
}
