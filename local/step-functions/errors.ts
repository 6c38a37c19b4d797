/**
 * An error as a state machine sees it: `name` is what Retry and Catch match,
 * `message` is the Cause. aws-local-stepfunctions reads `isRetryable` and
 * `isCatchable` to model the terminal errors that States.ALL cannot catch.
 */
export class StatesError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(name: string, cause: string, options: { terminal?: boolean } = {}) {
    super(cause);
    this.name = name;
    this.isRetryable = options.terminal !== true;
    this.isCatchable = options.terminal !== true;
  }
}

/** Step Functions' payload quota: state input, output and task results. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

export function assertPayloadSize(json: string, what: string): void {
  const size = Buffer.byteLength(json, 'utf8');
  if (size > PAYLOAD_LIMIT_BYTES) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The ${what} of ${size} bytes exceeds the maximum number of bytes service limit.`,
      { terminal: true },
    );
  }
}

/** API error types of the Step Functions service (the `__type` of a JSON 1.0 error). */
export type SfnErrorType =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidToken'
  | 'InvalidOutput'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ResourceNotFound'
  | 'ValidationException'
  | 'UnknownOperationException';

export class SfnApiError extends Error {
  constructor(
    readonly type: SfnErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** A definition uses something the local runner cannot execute faithfully: refused at load time. */
export class UnsupportedDefinitionError extends Error {
  constructor(stateMachine: string, problem: string) {
    super(`state machine ${stateMachine}: ${problem}`);
    this.name = new.target.name;
  }
}
