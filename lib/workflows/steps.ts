import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { RunRecorder, type RunRecorderProps } from './record-run';
import { retryLambda } from './retry';
import type { WorkflowName } from './names';
import type { WorkflowProps } from './secure-new-account';
import { KEY_TEMPLATE } from '../results-table-keys';

/**
 * Shared steps. The state of every run is one JSON document:
 *
 *   $.input      the execution input, untouched (recorded on failure)
 *   $.defaults   values for the optional fields
 *   $.run        workflow, startedAt, executionArn, executionName, sk
 *   $.pk         the run's partition key (ACCOUNT#<id> or ORGANIZATION)
 *   $.request    defaults, then the validated request
 *   $.<step>     each step's result, by name (eligibility, audit, ...)
 *   $.result     the run record, the result event and the output
 *
 * Root-session credentials never appear: handlers return only the session's
 * access key id.
 */

/** The validation task names of ValidateRequest (docs/architecture.md). */
export type ValidationTask =
  | 'SECURE_ACCOUNT'
  | 'DELETE_ROOT_CREDENTIALS'
  | 'ENABLE_ACCOUNT_RECOVERY'
  | 'UNLOCK_S3_BUCKET_POLICY'
  | 'UNLOCK_SQS_QUEUE_POLICY';

/** Optional fields every request may carry, and what a run records when they are absent. */
const COMMON_DEFAULTS = {
  accountId: 'UNKNOWN',
  requestedBy: 'unknown',
  reason: '',
  ticket: '',
} as const;

/** "Start the run": keeps the input and notes what the run record needs from the execution. */
export function startTheRun(
  scope: Construct,
  workflow: WorkflowName,
  defaults: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): sfn.Pass {
  return new sfn.Pass(scope, 'Start the run', {
    parameters: {
      input: sfn.JsonPath.entirePayload,
      defaults: { ...COMMON_DEFAULTS, ...defaults },
      run: {
        workflow,
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        executionArn: sfn.JsonPath.stringAt('$$.Execution.Id'),
        executionName: sfn.JsonPath.stringAt('$$.Execution.Name'),
        sk: sfn.JsonPath.format(
          KEY_TEMPLATE.run,
          sfn.JsonPath.stringAt('$$.Execution.StartTime'),
          sfn.JsonPath.executionName,
        ),
      },
      ...extra,
    },
  });
}

/** A Lambda step: payload in, handler's JSON out at resultPath, retried on transient errors. */
export function invoke(
  scope: Construct,
  name: string,
  fn: lambda.IFunction,
  payload: Record<string, unknown>,
  resultPath: string,
  resultSelector?: Record<string, unknown>,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, name, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    // Our own Retry rules below replace the generic one CDK would add.
    retryOnServiceExceptions: false,
    payload: sfn.TaskInput.fromObject(payload),
    resultPath,
    ...(resultSelector === undefined ? {} : { resultSelector }),
  });
  retryLambda(task);
  return task;
}

/** "Check the request": ValidateRequest on the untouched input; InvalidInputError names the field. */
export function checkTheRequest(
  scope: Construct,
  fn: lambda.IFunction,
  task: ValidationTask,
): tasks.LambdaInvoke {
  return invoke(
    scope,
    'Check the request',
    fn,
    { task, request: sfn.JsonPath.objectAt('$.input') },
    '$.validated',
  );
}

/**
 * "Note the request": defaults, then the validated values, so that every
 * field the later steps and the run record read is present (a missing path
 * would stop the run with a runtime error). The raw input is not merged:
 * validation returns every field it accepted, and a field it dropped (a
 * null ticket) would otherwise come back of the wrong type.
 */
export function noteTheRequest(scope: Construct): sfn.Pass {
  return new sfn.Pass(scope, 'Note the request', {
    parameters: {
      input: sfn.JsonPath.objectAt('$.input'),
      defaults: sfn.JsonPath.objectAt('$.defaults'),
      run: sfn.JsonPath.objectAt('$.run'),
      pk: sfn.JsonPath.format(KEY_TEMPLATE.account, sfn.JsonPath.stringAt('$.validated.accountId')),
      request: sfn.JsonPath.jsonMerge(
        sfn.JsonPath.objectAt('$.defaults'),
        sfn.JsonPath.objectAt('$.validated'),
      ),
    },
  });
}

/** "Check the account is eligible", then a Choice: eligible → next, otherwise → skipped. */
export function checkEligibility(
  scope: Construct,
  fn: lambda.IFunction,
): { check: tasks.LambdaInvoke; isEligible: sfn.Choice; eligible: sfn.Condition } {
  const check = invoke(
    scope,
    'Check the account is eligible',
    fn,
    { accountId: sfn.JsonPath.stringAt('$.request.accountId') },
    '$.eligibility',
  );
  const isEligible = new sfn.Choice(scope, 'Is the account eligible?');
  return { check, isEligible, eligible: sfn.Condition.booleanEquals('$.eligibility.eligible', true) };
}

/** What an on-request workflow builds its own steps around (see accountRequestSteps). */
export interface AccountRequestSteps {
  readonly recorder: RunRecorder;
  /** "Check the request" and "Check the account is eligible", for recorder.catchProblems. */
  readonly check: tasks.LambdaInvoke;
  readonly eligibilityCheck: tasks.LambdaInvoke;
  /**
   * start the run → check the request → note the request → `beforeEligibility`
   * (in order) → check the account is eligible → `whenEligible`, or
   * "Note an ineligible account" (SKIPPED with the eligibility reason) → record.
   */
  definition(whenEligible: sfn.IChainable, beforeEligibility?: readonly sfn.IChainable[]): sfn.Chain;
}

/** The skeleton the workflows on one account's request share. */
export function accountRequestSteps(
  scope: Construct,
  props: WorkflowProps,
  workflow: WorkflowName,
  validationTask: ValidationTask,
  defaults: Record<string, unknown> = {},
  /** The request field naming the resource, recorded as the run's target (failures included). */
  target?: RunRecorderProps['target'],
): AccountRequestSteps {
  const { functions, table } = props;
  const recorder = new RunRecorder(scope, { workflow, table, ...(target === undefined ? {} : { target }) });
  const start = startTheRun(
    scope,
    workflow,
    target === undefined ? defaults : { [target.field]: '', ...defaults },
  );
  const check = checkTheRequest(scope, functions.validateRequest, validationTask);
  const eligibility = checkEligibility(scope, functions.checkAccountEligibility);
  const skipped = recorder
    .note('Note an ineligible account', {
      outcome: 'SKIPPED',
      outcomeReason: { path: '$.eligibility.reason' },
    })
    .next(recorder.record);
  return {
    recorder,
    check,
    eligibilityCheck: eligibility.check,
    definition: (whenEligible, beforeEligibility = []) => {
      let chain = start.next(check).next(noteTheRequest(scope));
      for (const step of beforeEligibility) chain = chain.next(step);
      return chain
        .next(eligibility.check)
        .next(eligibility.isEligible.when(eligibility.eligible, whenEligible).otherwise(skipped));
    },
  };
}
