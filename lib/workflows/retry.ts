import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Duration } from 'aws-cdk-lib';
import { RETRYABLE_ERROR_NAMES } from '../../lambdas/root-access/errors';

/** Errors of the Lambda service itself (not of our code) that are worth another try. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/**
 * Throttling and transient errors of the DynamoDB integration. Step Functions
 * names them `DynamoDB.<AWS SDK for Java exception class>`: DynamoDB's
 * RequestLimitExceeded error is the class RequestLimitExceededException (as
 * InternalServerError is InternalServerErrorException). The AWS documentation
 * does not list the names, so the bare error code is kept as well.
 */
export const DYNAMODB_TRANSIENT_ERRORS = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.RequestLimitExceededException',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.InternalServerErrorException',
] as const;

const EVENTBRIDGE_TRANSIENT_ERRORS = [
  'EventBridge.InternalException',
  'EventBridge.ThrottlingException',
] as const;

const STEP_FUNCTIONS_TRANSIENT_ERRORS = [
  'StepFunctions.ExecutionLimitExceededException',
  'StepFunctions.ThrottlingException',
] as const;

/** Backoff with full jitter, so that many executions retrying together spread out. */
function backoff(errors: readonly string[], maxAttempts: number): sfn.RetryProps {
  return {
    errors: [...errors],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  };
}

/** Lambda steps: our retryable named errors (throttled, transient, session expired) and Lambda's own. */
export function retryLambda(task: sfn.TaskStateBase): void {
  task.addRetry(backoff(RETRYABLE_ERROR_NAMES, 4));
  task.addRetry(backoff(LAMBDA_TRANSIENT_ERRORS, 4));
}

export function retryDynamoDb(task: sfn.TaskStateBase): void {
  task.addRetry(backoff(DYNAMODB_TRANSIENT_ERRORS, 5));
}

export function retryEventBridge(task: sfn.TaskStateBase): void {
  task.addRetry(backoff(EVENTBRIDGE_TRANSIENT_ERRORS, 5));
}

export function retryStepFunctions(task: sfn.TaskStateBase): void {
  task.addRetry(backoff(STEP_FUNCTIONS_TRANSIENT_ERRORS, 5));
}
