import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalFunction } from '../template';
import type { TaskBinding } from './compile';
import { runDynamoTask } from './dynamodb-task';
import { SfnApiError, StatesError } from './errors';
import { runPutEventsTask, type PutEventsEntry, type PutEventsFunction } from './events-task';
import type { RunningExecution, TaskHandlers } from './execution';
import type { InProcessLambda } from './lambda-task';
import { sdkMetadata, serviceCause } from './service-metadata';
import type { DistributedMapSpec } from './compile';
import { TASK_TOKEN_PLACEHOLDER } from './context-references';
import { CallbackTimedOut, type TaskTokenRegistry } from './task-tokens';
import type { Json } from './types';

export interface TaskServices {
  readonly region: string;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly lambda: InProcessLambda;
  readonly dynamodb?: DynamoDBClient;
  readonly putEvents: PutEventsFunction;
  readonly publishedEvents: PutEventsEntry[];
  readonly taskTokens: TaskTokenRegistry;
  startExecution(
    stateMachineArn: string,
    name: string | undefined,
    input: string,
  ): { executionArn: string; startDate: Date };
  runDistributedMap(execution: RunningExecution, spec: DistributedMapSpec, input: Json): Promise<Json>;
}

function asText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

async function invokeLambda(
  services: TaskServices,
  execution: RunningExecution,
  state: string,
  name: string,
  input: Json,
) {
  const fn = services.functions.get(name);
  if (fn === undefined)
    throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${name}`);
  const { recorder, record } = execution;
  recorder.taskEvent(state, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
    resource: fn.arn,
    input: asText(input),
    inputDetails: { truncated: false },
  });
  recorder.taskEvent(state, 'LambdaFunctionStarted');
  record.lambdaInvocations += 1;
  record.lambdaInvocationsByFunction[name] = (record.lambdaInvocationsByFunction[name] ?? 0) + 1;
  try {
    const output = await services.lambda.invoke(fn, input);
    recorder.taskEvent(state, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
      output: asText(output),
      outputDetails: { truncated: false },
    });
    return output;
  } catch (error) {
    const failure = error as StatesError;
    recorder.taskEvent(state, 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', {
      error: failure.name,
      cause: failure.message,
    });
    throw error;
  }
}

function startExecutionTask(services: TaskServices, input: Json): Json {
  const parameters = (input ?? {}) as Record<string, Json>;
  const target = parameters.StateMachineArn;
  if (typeof target !== 'string')
    throw new StatesError('States.Runtime', 'StartExecution needs StateMachineArn');
  const raw = parameters.Input;
  // Step Functions serializes an object Input for the API call.
  const text = raw === undefined ? '{}' : typeof raw === 'string' ? raw : JSON.stringify(raw);
  const name = typeof parameters.Name === 'string' ? parameters.Name : undefined;
  try {
    const started = services.startExecution(target, name, text);
    const result = { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() };
    return JSON.parse(JSON.stringify({ ...result, ...sdkMetadata('application/x-amz-json-1.0') })) as Json;
  } catch (error) {
    if (!(error instanceof SfnApiError)) throw error;
    const cause = serviceCause(error.message, 'AWSStepFunctions', 400, error.type);
    throw new StatesError(`StepFunctions.${error.type.replace(/Exception$/, '')}Exception`, cause);
  }
}

/** The Parameters with the issued token where the definition wrote `$$.Task.Token`. */
function withTaskToken(value: Json, token: string): Json {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withTaskToken(item, token)]));
  }
  return value;
}

async function serviceTask(
  services: TaskServices,
  execution: RunningExecution,
  state: string,
  binding: TaskBinding & { kind: 'dynamodb' | 'events' | 'startExecution' },
  input: Json,
): Promise<Json> {
  const [resourceType, resource] = binding.resource.split(':::')[1]?.split(':') ?? ['', ''];
  const { recorder } = execution;
  const callback =
    binding.kind === 'events' && binding.callback !== undefined
      ? services.taskTokens.issue(execution.record.executionArn, binding.callback)
      : undefined;
  if (callback !== undefined) input = withTaskToken(input, callback.token);
  recorder.taskEvent(state, 'TaskScheduled', 'taskScheduledEventDetails', {
    resourceType,
    resource,
    region: services.region,
    parameters: asText(input),
  });
  recorder.taskEvent(state, 'TaskStarted', 'taskStartedEventDetails', { resourceType, resource });
  try {
    let output: Json;
    if (binding.kind === 'dynamodb') {
      if (services.dynamodb === undefined)
        throw new StatesError('States.Runtime', 'no local DynamoDB configured');
      output = await runDynamoTask(services.dynamodb, binding.action, input);
    } else if (binding.kind === 'events') {
      output = await runPutEventsTask(services.putEvents, input, services.publishedEvents);
    } else {
      output = startExecutionTask(services, input);
    }
    if (callback !== undefined) {
      // The call was made; the task now waits for its token (SendTask*, or a timeout).
      recorder.taskEvent(state, 'TaskSubmitted', 'taskSubmittedEventDetails', {
        resourceType,
        resource,
        output: asText(output),
        outputDetails: { truncated: false },
      });
      output = await callback.outcome;
    }
    recorder.taskEvent(state, 'TaskSucceeded', 'taskSucceededEventDetails', {
      resourceType,
      resource,
      output: asText(output),
      outputDetails: { truncated: false },
    });
    return output;
  } catch (error) {
    const failure =
      error instanceof StatesError ? error : new StatesError('States.TaskFailed', String(error));
    if (callback !== undefined) services.taskTokens.abandon(callback.token);
    if (failure instanceof CallbackTimedOut) {
      recorder.taskEvent(state, 'TaskTimedOut', 'taskTimedOutEventDetails', {
        resourceType,
        resource,
        error: failure.name,
        cause: failure.message,
      });
      throw failure;
    }
    recorder.taskEvent(state, 'TaskFailed', 'taskFailedEventDetails', {
      resourceType,
      resource,
      error: failure.name,
      cause: failure.message,
    });
    throw failure;
  }
}

/** The library's per-state overrides for one execution: every Task state runs locally. */
export function taskHandlersFor(services: TaskServices, execution: RunningExecution): TaskHandlers {
  const handlers: TaskHandlers = {};
  for (const [state, binding] of execution.compiled.tasks) {
    handlers[state] = async (input) => {
      const payload = input;
      switch (binding.kind) {
        case 'lambda':
          return invokeLambda(services, execution, state, binding.functionName, payload);
        case 'distributedMap':
          return services.runDistributedMap(execution, binding.map, payload);
        default:
          return serviceTask(services, execution, state, binding, payload);
      }
    };
  }
  return handlers;
}
