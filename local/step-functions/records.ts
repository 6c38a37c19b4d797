import { randomUUID } from 'node:crypto';
import type { CompiledMachine } from './compile';
import { PAYLOAD_LIMIT_BYTES, SfnApiError } from './errors';
import type { ExecutionStore } from './store';
import type { ExecutionMetrics, ExecutionRecord, Json } from './types';

// No whitespace, brackets, wildcards or the listed punctuation (StartExecution's rules)…
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

// …and no control characters (U+0000–U+001F, U+007F–U+009F).
function hasControlCharacter(name: string): boolean {
  return [...name].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
}

/** StartExecution's name: given (and valid), or generated as AWS does. */
export function executionName(name: string | undefined): string {
  if (name === undefined) return randomUUID();
  if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name) || hasControlCharacter(name)) {
    throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
  }
  return name;
}

/** StartExecution's input as the JSON text AWS stores: "{}" when omitted. */
export function executionInput(input: string | Json | undefined): string {
  const text = input === undefined ? '{}' : typeof input === 'string' ? input : JSON.stringify(input);
  try {
    JSON.parse(text);
  } catch {
    throw new SfnApiError(
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input: the input is not JSON',
    );
  }
  if (Buffer.byteLength(text, 'utf8') > PAYLOAD_LIMIT_BYTES) {
    throw new SfnApiError('InvalidExecutionInput', `the input exceeds ${PAYLOAD_LIMIT_BYTES} bytes`);
  }
  return text;
}

export function newRecord(
  executionArn: string,
  name: string,
  stateMachineArn: string,
  input: string,
  mapRunArn?: string,
): ExecutionRecord {
  return {
    executionArn,
    name,
    stateMachineArn,
    input,
    startDate: new Date(),
    status: 'RUNNING',
    history: [],
    stateTransitions: 0,
    lambdaInvocations: 0,
    lambdaInvocationsByFunction: {},
    mapRunArn,
    mapRunArns: [],
  };
}

export function usesDynamoDb(compiled: CompiledMachine): boolean {
  return [...compiled.tasks.values()].some(
    (task) =>
      task.kind === 'dynamodb' || (task.kind === 'distributedMap' && usesDynamoDb(task.map.processor)),
  );
}

/** An execution with the child executions of its Distributed Map runs, recursively. */
export function withMapChildren(store: ExecutionStore, record: ExecutionRecord): ExecutionRecord[] {
  const children = record.mapRunArns
    .flatMap((arn) => store.getMapRun(arn).childExecutionArns)
    .flatMap((arn) => withMapChildren(store, store.get(arn)));
  return [record, ...children];
}

export function sumMetrics(records: readonly ExecutionRecord[]): ExecutionMetrics {
  const totals: ExecutionMetrics = {
    executions: 0,
    stateTransitions: 0,
    lambdaInvocations: 0,
    lambdaInvocationsByFunction: {},
  };
  for (const record of records) {
    totals.executions += 1;
    totals.stateTransitions += record.stateTransitions;
    totals.lambdaInvocations += record.lambdaInvocations;
    for (const [fn, count] of Object.entries(record.lambdaInvocationsByFunction)) {
      totals.lambdaInvocationsByFunction[fn] = (totals.lambdaInvocationsByFunction[fn] ?? 0) + count;
    }
  }
  return totals;
}
