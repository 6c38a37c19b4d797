import type { Context } from 'aws-lambda';
import type { LocalFunction } from './template';

/**
 * The Lambda context an in-process handler gets, as Lambda would give it:
 * the function's own name, ARN and memory, a request id, the time left.
 * Each invocation gets its own, so the Powertools logger's context
 * (function_name, function_request_id) is the invoked function's, not the
 * last one that ran in this process.
 */
export function lambdaContext(
  fn: Pick<LocalFunction, 'name' | 'arn' | 'memorySizeMb'>,
  requestId: string,
  deadline: number,
): Context {
  const unsupported = () => {
    throw new Error('callback-style completion is not supported by the local runner');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySizeMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
