import { UnsupportedDefinitionError } from './errors';

/**
 * The fields the runner executes faithfully, by state type. aws-local-stepfunctions
 * silently ignores fields it does not know (JSONata, variables, ItemReader…),
 * so a state with any other field is refused at load time instead.
 */
const IO = ['InputPath', 'OutputPath'];
const COMMON = ['Type', 'Comment', 'Next', 'End', 'QueryLanguage'];
const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Task: [
    ...COMMON,
    ...IO,
    'Resource',
    'Parameters',
    'ResultPath',
    'ResultSelector',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    // Heartbeats only concern callback tasks: the runner's token registry enforces them.
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
  ],
  Pass: [...COMMON, ...IO, 'Result', 'ResultPath', 'Parameters'],
  Choice: ['Type', 'Comment', 'QueryLanguage', ...IO, 'Choices', 'Default'],
  Wait: [...COMMON, ...IO, 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'],
  Succeed: ['Type', 'Comment', 'QueryLanguage', ...IO],
  Fail: ['Type', 'Comment', 'QueryLanguage', 'Error', 'Cause', 'ErrorPath', 'CausePath'],
  Parallel: [...COMMON, ...IO, 'Branches', 'Parameters', 'ResultPath', 'ResultSelector', 'Retry', 'Catch'],
  Map: [
    ...COMMON,
    ...IO,
    'ItemProcessor',
    'Iterator',
    'ItemsPath',
    'ItemSelector',
    'Parameters',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ResultPath',
    'ResultSelector',
    'Retry',
    'Catch',
    'Label',
  ],
};

/** Distributed Map fields whose absence here would change results silently. */
const REFUSED_MAP_FIELDS = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
];

export type StateJson = Record<string, unknown>;

export interface MachineJson {
  StartAt: string;
  States: Record<string, StateJson>;
  Comment?: string;
  TimeoutSeconds?: number;
  Version?: string;
  QueryLanguage?: string;
  ProcessorConfig?: { Mode?: string; ExecutionType?: string };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkMachineFields(machine: string, json: Record<string, unknown>, scope: string): void {
  const allowed = [
    'StartAt',
    'States',
    'Comment',
    'TimeoutSeconds',
    'Version',
    'QueryLanguage',
    'ProcessorConfig',
  ];
  for (const key of Object.keys(json)) {
    if (!allowed.includes(key))
      throw new UnsupportedDefinitionError(machine, `${scope}: field ${key} is not supported`);
  }
  if (json.QueryLanguage !== undefined && json.QueryLanguage !== 'JSONPath') {
    throw new UnsupportedDefinitionError(
      machine,
      `${scope}: only JSONPath is supported, not ${JSON.stringify(json.QueryLanguage)}`,
    );
  }
  if (!isRecord(json.States) || typeof json.StartAt !== 'string') {
    throw new UnsupportedDefinitionError(machine, `${scope}: StartAt and States are required`);
  }
}

export function checkStateFields(machine: string, name: string, state: StateJson): void {
  const type = state.Type;
  if (typeof type !== 'string') throw new UnsupportedDefinitionError(machine, `state "${name}" has no Type`);
  const allowed = ALLOWED_FIELDS[type];
  if (allowed === undefined)
    throw new UnsupportedDefinitionError(machine, `state "${name}": type ${type} is unknown`);
  if (state.QueryLanguage !== undefined && state.QueryLanguage !== 'JSONPath') {
    throw new UnsupportedDefinitionError(machine, `state "${name}": only JSONPath is supported`);
  }
  for (const key of Object.keys(state)) {
    if (REFUSED_MAP_FIELDS.includes(key)) {
      throw new UnsupportedDefinitionError(
        machine,
        `state "${name}": ${key} is not supported locally (aws-local-stepfunctions would ignore it)`,
      );
    }
    if (!allowed.includes(key)) {
      throw new UnsupportedDefinitionError(
        machine,
        `state "${name}": field ${key} is not supported on a ${type} state`,
      );
    }
  }
  if (type === 'Choice') checkChoiceRules(machine, name, state.Choices);
}

function checkChoiceRules(machine: string, name: string, rules: unknown): void {
  if (!Array.isArray(rules)) return;
  for (const rule of rules) {
    if (isRecord(rule) && ('Condition' in rule || 'Assign' in rule)) {
      throw new UnsupportedDefinitionError(
        machine,
        `state "${name}": JSONata conditions and Assign are not supported`,
      );
    }
  }
}
