import { randomBytes } from 'node:crypto';
import { PAYLOAD_LIMIT_BYTES, SfnApiError, StatesError } from './errors';
import type { Json } from './types';

/**
 * Task tokens of callback tasks (`.waitForTaskToken`), as Step Functions
 * handles them (API reference of SendTaskSuccess, SendTaskFailure,
 * SendTaskHeartbeat; "Wait for a callback with the task token"):
 *
 * - the task waits until SendTaskSuccess (its result is the given output),
 *   SendTaskFailure (the task fails with the given error and cause) or a
 *   timeout: TimeoutSeconds → `States.Timeout`, HeartbeatSeconds without a
 *   SendTaskHeartbeat → `States.HeartbeatTimeout`; both write TaskTimedOut;
 * - a heartbeat resets the heartbeat clock, never the task's own timeout,
 *   and writes nothing in the history;
 * - a token that was never issued in this form is InvalidToken; one of the
 *   right form that no task holds is TaskDoesNotExist; one whose task is
 *   closed (answered, timed out, execution stopped) is TaskTimedOut ("the
 *   task token has either expired or the task associated with the token has
 *   already been closed").
 */

const TOKEN_PREFIX = 'AQCEAAAAKgAAAA';
const TOKEN_FORM = /^AQCEAAAAKgAAAA[A-Za-z0-9_-]{86}$/;
/** API length limits: taskToken 1..1024, error 256, cause 32768, output 256 KB. */
const TOKEN_MAX = 1024;
const ERROR_MAX = 256;
const CAUSE_MAX = 32_768;

export interface CallbackTiming {
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

export interface IssuedToken {
  readonly token: string;
  /** Settles with the callback's output, or rejects with the task's error. */
  readonly outcome: Promise<Json>;
}

interface OpenTask {
  readonly executionArn: string;
  readonly resolve: (output: Json) => void;
  readonly reject: (error: StatesError) => void;
  readonly onTimeout: (error: StatesError) => void;
  readonly heartbeatSeconds?: number;
  timeout?: NodeJS.Timeout;
  heartbeat?: NodeJS.Timeout;
}

/** Thrown by the outcome of a task that timed out: the runner writes TaskTimedOut for it. */
export class CallbackTimedOut extends StatesError {}

export class TaskTokenRegistry {
  private readonly open = new Map<string, OpenTask>();
  private readonly closed = new Set<string>();

  /** A new token for a callback task that starts now. */
  issue(executionArn: string, timing: CallbackTiming): IssuedToken {
    const token = `${TOKEN_PREFIX}${randomBytes(64).toString('base64url')}`;
    let settle!: { resolve: (output: Json) => void; reject: (error: StatesError) => void };
    const outcome = new Promise<Json>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Marked handled: a task whose call failed before it waited never awaits it.
    outcome.catch(() => undefined);
    const task: OpenTask = {
      executionArn,
      resolve: (output) => this.close(token, () => settle.resolve(output)),
      reject: (error) => this.close(token, () => settle.reject(error)),
      onTimeout: (error) => this.close(token, () => settle.reject(error)),
      heartbeatSeconds: timing.heartbeatSeconds,
    };
    if (timing.timeoutSeconds !== undefined) {
      task.timeout = setTimeout(
        () =>
          task.onTimeout(
            new CallbackTimedOut('States.Timeout', 'The task did not complete within its TimeoutSeconds.'),
          ),
        timing.timeoutSeconds * 1000,
      );
    }
    this.open.set(token, task);
    this.armHeartbeat(task);
    return { token, outcome };
  }

  private armHeartbeat(task: OpenTask): void {
    clearTimeout(task.heartbeat);
    if (task.heartbeatSeconds === undefined) return;
    task.heartbeat = setTimeout(
      () =>
        task.onTimeout(
          new CallbackTimedOut(
            'States.HeartbeatTimeout',
            'No SendTaskHeartbeat was received within the HeartbeatSeconds.',
          ),
        ),
      task.heartbeatSeconds * 1000,
    );
  }

  private close(token: string, settle: () => void): void {
    const task = this.open.get(token);
    if (task === undefined) return;
    clearTimeout(task.timeout);
    clearTimeout(task.heartbeat);
    this.open.delete(token);
    this.closed.add(token);
    settle();
  }

  private task(token: unknown): OpenTask {
    if (typeof token !== 'string' || token.length < 1 || token.length > TOKEN_MAX) {
      throw new SfnApiError(
        'ValidationException',
        "1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and 1024",
      );
    }
    if (!TOKEN_FORM.test(token)) throw new SfnApiError('InvalidToken', 'Invalid Token');
    const task = this.open.get(token);
    if (task !== undefined) return task;
    if (this.closed.has(token)) {
      throw new SfnApiError(
        'TaskTimedOut',
        'Task Timed Out: the task token has either expired or the task associated with the token has already been closed',
      );
    }
    throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  sendSuccess(token: unknown, output: unknown): void {
    const task = this.task(token);
    if (typeof output !== 'string' || Buffer.byteLength(output, 'utf8') > PAYLOAD_LIMIT_BYTES) {
      throw new SfnApiError(
        'ValidationException',
        "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144",
      );
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    task.resolve(parsed);
  }

  sendFailure(token: unknown, error: unknown, cause: unknown): void {
    const task = this.task(token);
    const field = (name: string, value: unknown, max: number): string => {
      if (value === undefined) return '';
      if (typeof value !== 'string' || value.length > max) {
        throw new SfnApiError(
          'ValidationException',
          `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
        );
      }
      return value;
    };
    const errorName = field('error', error, ERROR_MAX);
    const causeText = field('cause', cause, CAUSE_MAX);
    task.reject(new StatesError(errorName, causeText));
  }

  sendHeartbeat(token: unknown): void {
    this.armHeartbeat(this.task(token));
  }

  /** The execution stopped: its open tasks close, their tokens answer TaskTimedOut from now on. */
  closeExecution(executionArn: string): void {
    for (const task of [...this.open.values()]) {
      if (task.executionArn === executionArn) {
        task.reject(new StatesError('States.Runtime', 'the execution was stopped'));
      }
    }
  }

  /** The task failed before it waited (its call failed): the token closes. */
  abandon(token: string): void {
    this.close(token, () => undefined);
  }

  /** Open tokens of an execution (tests and diagnostics). */
  openTokens(executionArn: string): string[] {
    return [...this.open].filter(([, task]) => task.executionArn === executionArn).map(([token]) => token);
  }
}
