import './promise-with-resolvers';
import { StateMachine, type StateMachineDefinition } from './library';
import { resolveStateContext } from './context-references';
import { UnsupportedDefinitionError } from './errors';
import {
  checkMachineFields,
  checkStateFields,
  isRecord,
  type MachineJson,
  type StateJson,
} from './definition-rules';
import type { CallbackTiming } from './task-tokens';
import type { Json } from './types';

export type DynamoAction = 'putItem' | 'updateItem' | 'getItem' | 'deleteItem';

export interface DistributedMapSpec {
  readonly stateName: string;
  readonly itemsPath?: string;
  readonly itemSelector?: Json;
  readonly maxConcurrency?: number;
  readonly maxConcurrencyPath?: string;
  readonly label?: string;
  readonly executionType: 'STANDARD' | 'EXPRESS';
  readonly processor: CompiledMachine;
}

export type TaskBinding =
  | { readonly kind: 'lambda'; readonly resource: string; readonly functionName: string }
  | { readonly kind: 'dynamodb'; readonly resource: string; readonly action: DynamoAction }
  | { readonly kind: 'events'; readonly resource: string; readonly callback?: CallbackTiming }
  | { readonly kind: 'startExecution'; readonly resource: string }
  | { readonly kind: 'distributedMap'; readonly resource: string; readonly map: DistributedMapSpec };

/** A definition (or a Distributed Map's item processor) ready to run. */
export interface CompiledMachine {
  readonly machine: StateMachine;
  /** Each state's type in the original definition (Distributed Maps run as Tasks). */
  readonly stateTypes: ReadonlyMap<string, string>;
  readonly tasks: ReadonlyMap<string, TaskBinding>;
  readonly statesWithRetry: readonly string[];
  readonly waitStates: readonly string[];
}

// Without TimeoutSeconds, AWS lets a task run for 99,999,999 s, but the library
// would stop it after 60 s: give it the longest timer Node can hold instead.
const NO_TASK_TIMEOUT_SECONDS = 2_000_000;
const DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::local:distributedMap';

const LAMBDA_ARN = /^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:([A-Za-z0-9_-]+)(:\$LATEST)?$/;
const DYNAMODB = /^arn:[\w-]+:states:::dynamodb:(putItem|updateItem|getItem|deleteItem)$/;
const PUT_EVENTS = /^arn:[\w-]+:states:::events:putEvents$/;
/** The callback pattern, on the one integration the workflows use it with. */
const PUT_EVENTS_CALLBACK = /^arn:[\w-]+:states:::events:putEvents\.waitForTaskToken$/;
const START_EXECUTION = /^arn:[\w-]+:states:::states:startExecution$/;

interface Scope {
  readonly machineName: string;
  readonly lambdaNames: ReadonlySet<string>;
  readonly stateTypes: Map<string, string>;
  readonly tasks: Map<string, TaskBinding>;
  readonly statesWithRetry: string[];
  readonly waitStates: string[];
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/**
 * A callback task's timing, enforced by the runner's token registry rather
 * than by the library (which would time the task out without closing its
 * token). AWS refuses HeartbeatSeconds not below TimeoutSeconds.
 */
function callbackTiming(scope: Scope, stateName: string, state: StateJson): CallbackTiming {
  const fail = (problem: string) =>
    new UnsupportedDefinitionError(scope.machineName, `state "${stateName}": ${problem}`);
  for (const key of ['TimeoutSecondsPath', 'HeartbeatSecondsPath']) {
    if (key in state) throw fail(`${key} on a callback task is not supported locally`);
  }
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
  if (timeout !== undefined && !positiveInteger(timeout))
    throw fail('TimeoutSeconds must be a positive integer');
  if (heartbeat !== undefined && !positiveInteger(heartbeat))
    throw fail('HeartbeatSeconds must be a positive integer');
  if (positiveInteger(timeout) && positiveInteger(heartbeat) && heartbeat >= timeout) {
    throw fail('HeartbeatSeconds must be smaller than TimeoutSeconds');
  }
  if (!JSON.stringify(state.Parameters ?? null).includes('"$$.Task.Token"')) {
    throw fail('a .waitForTaskToken task must pass $$.Task.Token in its Parameters');
  }
  return {
    timeoutSeconds: positiveInteger(timeout) ? timeout : undefined,
    heartbeatSeconds: positiveInteger(heartbeat) ? heartbeat : undefined,
  };
}

function bindResource(scope: Scope, stateName: string, resource: unknown): TaskBinding {
  const fail = (problem: string) =>
    new UnsupportedDefinitionError(scope.machineName, `state "${stateName}": ${problem}`);
  if (typeof resource !== 'string') throw fail('Resource is missing');
  const lambda = LAMBDA_ARN.exec(resource);
  if (lambda?.[1] !== undefined) {
    if (!scope.lambdaNames.has(lambda[1])) throw fail(`Lambda function ${lambda[1]} has no local handler`);
    return { kind: 'lambda', resource, functionName: lambda[1] };
  }
  const dynamo = DYNAMODB.exec(resource);
  if (dynamo?.[1] !== undefined) return { kind: 'dynamodb', resource, action: dynamo[1] as DynamoAction };
  if (PUT_EVENTS.test(resource)) return { kind: 'events', resource };
  if (PUT_EVENTS_CALLBACK.test(resource)) return { kind: 'events', resource, callback: {} };
  if (START_EXECUTION.test(resource)) return { kind: 'startExecution', resource };
  throw fail(`the integration ${resource} is not supported locally`);
}

function refuseExecutionInputReference(scope: Scope, stateName: string, value: unknown): void {
  // The library evaluates these paths in a context whose Execution.Input is
  // the Map's input, which would give a different answer than AWS.
  if (JSON.stringify(value ?? null).includes('$$.Execution.Input')) {
    throw new UnsupportedDefinitionError(
      scope.machineName,
      `state "${stateName}": $$.Execution.Input in a Distributed Map's item selection is not supported locally`,
    );
  }
}

/**
 * The library lets States.TaskFailed match any error of a Task, and the map
 * now runs as one; in AWS it never matches a Map state's error, so it is
 * taken out of the map's retriers and catchers (dropping any left empty).
 */
function withoutTaskFailed(rules: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rules
    .map((rule) => ({
      ...rule,
      ErrorEquals: (rule.ErrorEquals as string[]).filter((name) => name !== 'States.TaskFailed'),
    }))
    .filter((rule) => rule.ErrorEquals.length > 0);
}

function compileDistributedMap(
  scope: Scope,
  name: string,
  state: StateJson,
  processor: MachineJson,
): StateJson {
  const selector = state.ItemSelector ?? state.Parameters;
  refuseExecutionInputReference(scope, name, [selector, state.ItemsPath, state.MaxConcurrencyPath]);
  const executionType = processor.ProcessorConfig?.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  const map: DistributedMapSpec = {
    stateName: name,
    itemsPath: typeof state.ItemsPath === 'string' ? state.ItemsPath : undefined,
    itemSelector: selector as Json | undefined,
    maxConcurrency: typeof state.MaxConcurrency === 'number' ? state.MaxConcurrency : undefined,
    maxConcurrencyPath: typeof state.MaxConcurrencyPath === 'string' ? state.MaxConcurrencyPath : undefined,
    label: typeof state.Label === 'string' ? state.Label : undefined,
    executionType,
    processor: compileMachine(`${scope.machineName}/${name}`, processor, scope.lambdaNames, false),
  };
  scope.tasks.set(name, { kind: 'distributedMap', resource: DISTRIBUTED_MAP_RESOURCE, map });
  // The library runs it as a Task: InputPath, ResultSelector, ResultPath,
  // OutputPath, Retry and Catch keep their meaning; the runner does the rest.
  const task: StateJson = {
    Type: 'Task',
    Resource: DISTRIBUTED_MAP_RESOURCE,
    TimeoutSeconds: NO_TASK_TIMEOUT_SECONDS,
  };
  for (const key of ['Comment', 'Next', 'End', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector']) {
    if (key in state) task[key] = state[key];
  }
  for (const key of ['Retry', 'Catch']) {
    if (Array.isArray(state[key])) task[key] = withoutTaskFailed(state[key] as Record<string, unknown>[]);
  }
  return task;
}

function compileState(scope: Scope, name: string, original: StateJson): StateJson {
  checkStateFields(scope.machineName, name, original);
  const state = resolveStateContext(scope.machineName, name, original);
  if (scope.stateTypes.has(name)) {
    throw new UnsupportedDefinitionError(scope.machineName, `state name "${name}" is used twice`);
  }
  const type = String(state.Type);
  scope.stateTypes.set(name, type);
  if ('Retry' in state) scope.statesWithRetry.push(name);
  if (type === 'Wait') scope.waitStates.push(name);
  if (type === 'Task') {
    const binding = bindResource(scope, name, state.Resource);
    if (binding.kind === 'events' && binding.callback !== undefined) {
      scope.tasks.set(name, { ...binding, callback: callbackTiming(scope, name, original) });
      const untimed: StateJson = { ...state, TimeoutSeconds: NO_TASK_TIMEOUT_SECONDS };
      delete untimed.HeartbeatSeconds;
      return untimed;
    }
    scope.tasks.set(name, binding);
    const timed = 'TimeoutSeconds' in state || 'TimeoutSecondsPath' in state;
    return timed ? { ...state } : { ...state, TimeoutSeconds: NO_TASK_TIMEOUT_SECONDS };
  }
  if (type === 'Map') {
    const processor = (state.ItemProcessor ?? state.Iterator) as MachineJson | undefined;
    if (!isRecord(processor))
      throw new UnsupportedDefinitionError(scope.machineName, `map "${name}" has no ItemProcessor`);
    if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED')
      return compileDistributedMap(scope, name, state, processor);
    const key = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
    return { ...state, [key]: compileScope(scope, processor, `map "${name}"`) };
  }
  if (type === 'Parallel' && Array.isArray(state.Branches)) {
    const branches = state.Branches as MachineJson[];
    return {
      ...state,
      Branches: branches.map((branch, i) => compileScope(scope, branch, `branch ${i} of "${name}"`)),
    };
  }
  return { ...state };
}

function compileScope(scope: Scope, json: MachineJson, where: string): MachineJson {
  checkMachineFields(scope.machineName, json as unknown as Record<string, unknown>, where);
  const states: Record<string, StateJson> = {};
  for (const [name, state] of Object.entries(json.States)) {
    if (!isRecord(state))
      throw new UnsupportedDefinitionError(scope.machineName, `state "${name}" is not an object`);
    states[name] = compileState(scope, name, state);
  }
  // JSONPath is the only language here and the library's default.
  const rest: MachineJson = { ...json, States: states };
  delete rest.QueryLanguage;
  return rest;
}

/**
 * Checks a definition against what the runner supports, binds every Task
 * state to its local implementation, and rewrites each Distributed Map into
 * a Task the runner implements (child executions, concurrency, map runs).
 */
export function compileMachine(
  machineName: string,
  definition: unknown,
  lambdaNames: ReadonlySet<string>,
  validate = true,
): CompiledMachine {
  if (!isRecord(definition))
    throw new UnsupportedDefinitionError(machineName, 'the definition is not an object');
  if (validate) {
    try {
      // On a copy: the validator fills in defaults (QueryLanguage) in place.
      new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: true, checkPaths: true },
      });
    } catch (error) {
      throw new UnsupportedDefinitionError(
        machineName,
        error instanceof Error ? error.message : String(error),
      );
    }
  }
  const scope: Scope = {
    machineName,
    lambdaNames,
    stateTypes: new Map(),
    tasks: new Map(),
    statesWithRetry: [],
    waitStates: [],
  };
  const compiled = compileScope(scope, definition as unknown as MachineJson, 'top level');
  const runnable: MachineJson = { ...compiled };
  delete runnable.ProcessorConfig;
  return {
    machine: new StateMachine(runnable as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    }),
    stateTypes: scope.stateTypes,
    tasks: scope.tasks,
    statesWithRetry: scope.statesWithRetry,
    waitStates: scope.waitStates,
  };
}
