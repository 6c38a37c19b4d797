import { UnsupportedDefinitionError } from './errors';
import { isRecord, type StateJson } from './definition-rules';

/** Fields evaluated as a state is entered: there, "now" is the state's entered time. */
const ON_ENTRY = ['Parameters', 'ItemSelector'];
const TEMPLATE_FIELDS = [...ON_ENTRY, 'ResultSelector'];
const PER_STATE = /\$\$\.(State|Task)(\.\w+)?/g;

/**
 * Stands for `$$.Task.Token` in a callback task's Parameters: the runner
 * puts the token it issues in its place when the task starts.
 */
export const TASK_TOKEN_PLACEHOLDER = 'rootkeeper-local:$$.Task.Token';

function isCallbackTask(state: StateJson): boolean {
  return typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken');
}

function rewrite(machine: string, state: StateJson, name: string, field: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(machine, state, name, field, item));
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!key.endsWith('.$') || typeof item !== 'string') {
      result[key] = rewrite(machine, state, name, field, item);
      continue;
    }
    if (item === '$$.State.Name') {
      // Static: written as a literal.
      result[key.slice(0, -2)] = name;
      continue;
    }
    if (item === '$$.Task.Token' && field === 'Parameters' && isCallbackTask(state)) {
      result[key.slice(0, -2)] = TASK_TOKEN_PLACEHOLDER;
      continue;
    }
    const unsupported = (item.match(PER_STATE) ?? []).filter(
      (reference) => !(reference === '$$.State.EnteredTime' && ON_ENTRY.includes(field)),
    );
    if (unsupported.length > 0) {
      throw new UnsupportedDefinitionError(
        machine,
        `state "${name}": ${unsupported.join(', ')} in ${field} is not supported locally`,
      );
    }
    result[key] = item;
  }
  return result;
}

/**
 * aws-local-stepfunctions gives every state of an execution the same
 * Context Object, without `$$.State` or `$$.Task`. The runner's Context
 * Object answers `$$.State.EnteredTime` with the time of evaluation, which
 * is the entered time in Parameters and ItemSelector (evaluated on entry);
 * `$$.State.Name` becomes a literal. Any other use is refused at load time
 * rather than failing, or answering wrongly, mid-run.
 */
export function resolveStateContext(machine: string, name: string, state: StateJson): StateJson {
  const copy: StateJson = { ...state };
  for (const field of TEMPLATE_FIELDS) {
    if (field in copy) copy[field] = rewrite(machine, state, name, field, copy[field]);
  }
  for (const field of ['InputPath', 'OutputPath', 'ItemsPath', 'ResultPath']) {
    const path = copy[field];
    if (typeof path === 'string' && path.match(PER_STATE) !== null) {
      throw new UnsupportedDefinitionError(
        machine,
        `state "${name}": ${field} ${path} is not supported locally`,
      );
    }
  }
  return copy;
}

/** The `$$.State` the runner puts in every execution's Context Object. */
export function contextState(): Record<string, unknown> {
  return {
    get EnteredTime(): string {
      return new Date().toISOString();
    },
  };
}
