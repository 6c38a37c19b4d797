import { ALL_FUNCTION_SPECS, type FunctionSpec } from '../../lib/function-catalog';
import { ROOTKEEPER_STACK_NAME } from '../../lib/stack-name';
import { resolveString, resolveValue, UnsupportedTemplateError } from './intrinsics';
import { LocalNames, type LocalNameOptions, type TemplateJson, type TemplateResource } from './local-names';

export interface LocalFunction {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The catalog entry the function was built from; undefined for CDK-internal functions. */
  readonly spec?: FunctionSpec;
  /** Environment variables, tokens resolved to local values. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
}

export interface LocalStateMachine {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly roleArn: string;
  /** The resolved definition, as the JSON text AWS would store. */
  readonly definitionString: string;
  /** LoggingConfiguration.Level: which history events go to CloudWatch Logs (OFF when absent). */
  readonly logLevel: StateMachineLogLevel;
}

export type StateMachineLogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface LocalResourceName {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface LocalTemplate {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly functions: readonly LocalFunction[];
  readonly stateMachines: readonly LocalStateMachine[];
  readonly tables: readonly LocalResourceName[];
  readonly eventBuses: readonly LocalResourceName[];
  /** Stack outputs with local values (e.g. SecureNewAccountStateMachineArn). */
  readonly outputs: Readonly<Record<string, string>>;
}

export interface ReadTemplateOptions extends Partial<LocalNameOptions> {
  /** Defaults to the catalog of lib/function-catalog.ts. */
  readonly catalog?: Readonly<Record<string, FunctionSpec>>;
}

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ACCOUNT = '111111111111';
// Lambda's default when the template sets none.
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

/**
 * The catalog entry of a function: by the construct path CDK records in
 * `aws:cdk:path` (…/<catalog id>/…/Resource), else by its description (the
 * catalog's, set by the construct), else by the catalog id inside the
 * logical id (templates synthesized without path metadata).
 */
function catalogEntry(
  logicalId: string,
  resource: TemplateResource,
  catalog: readonly FunctionSpec[],
): FunctionSpec | undefined {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path === 'string') {
    const segments = path.split('/');
    for (let i = segments.length - 1; i >= 0; i -= 1) {
      const found = catalog.find((spec) => spec.id === segments[i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const description = resource.Properties?.Description;
  const byDescription = catalog.filter((spec) => spec.description === description);
  if (byDescription.length === 1) return byDescription[0];
  const byId = catalog.filter((spec) => logicalId.includes(spec.id));
  if (byId.length > 1) {
    throw new UnsupportedTemplateError(
      `function ${logicalId} matches several catalog ids (${byId.map((s) => s.id).join(', ')}); synthesize with path metadata`,
    );
  }
  return byId[0];
}

function readFunction(
  logicalId: string,
  resource: TemplateResource,
  names: LocalNames,
  catalog: readonly FunctionSpec[],
): LocalFunction {
  const properties = resource.Properties ?? {};
  const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables;
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables ?? {})) {
    environment[key] = resolveString(value, names, `${logicalId} environment variable ${key}`);
  }
  const timeout = properties.Timeout;
  const memory = properties.MemorySize;
  return {
    logicalId,
    name: names.nameOf(logicalId),
    arn: names.arnOf(logicalId),
    spec: catalogEntry(logicalId, resource, catalog),
    environment,
    timeoutSeconds: typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT_SECONDS,
    memorySizeMb: typeof memory === 'number' ? memory : DEFAULT_MEMORY_MB,
  };
}

function readStateMachine(
  logicalId: string,
  resource: TemplateResource,
  names: LocalNames,
): LocalStateMachine {
  const properties = resource.Properties ?? {};
  if (properties.DefinitionS3Location !== undefined) {
    throw new UnsupportedTemplateError(
      `state machine ${logicalId}: DefinitionS3Location is not supported locally`,
    );
  }
  let text =
    properties.Definition !== undefined
      ? JSON.stringify(resolveValue(properties.Definition, names))
      : resolveString(properties.DefinitionString, names, `state machine ${logicalId} DefinitionString`);
  const substitutions = properties.DefinitionSubstitutions;
  if (typeof substitutions === 'object' && substitutions !== null) {
    for (const [key, value] of Object.entries(substitutions)) {
      const resolved = resolveString(value, names, `state machine ${logicalId} substitution ${key}`);
      text = text.split(`\${${key}}`).join(resolved);
    }
  }
  const type = properties.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  const roleArn =
    properties.RoleArn === undefined ? '' : resolveString(properties.RoleArn, names, `${logicalId} RoleArn`);
  const level = (properties.LoggingConfiguration as { Level?: unknown } | undefined)?.Level;
  return {
    logicalId,
    name: names.nameOf(logicalId),
    arn: names.arnOf(logicalId),
    type,
    roleArn,
    definitionString: text,
    logLevel: level === 'ALL' || level === 'ERROR' || level === 'FATAL' ? level : 'OFF',
  };
}

/** Reads a synthesized CloudFormation template into local values. */
export function readTemplate(template: TemplateJson, options: ReadTemplateOptions = {}): LocalTemplate {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT;
  const names = new LocalNames(template, {
    region,
    accountId,
    stackName: options.stackName ?? ROOTKEEPER_STACK_NAME,
    physicalNames: options.physicalNames,
    parameters: options.parameters,
  });
  const catalog = options.catalog === undefined ? ALL_FUNCTION_SPECS : Object.values(options.catalog);
  const resources = Object.entries(template.Resources ?? {});
  const named = (types: readonly string[]): LocalResourceName[] =>
    resources
      .filter(([, resource]) => types.includes(resource.Type))
      .map(([logicalId]) => ({ logicalId, name: names.nameOf(logicalId), arn: names.arnOf(logicalId) }));
  const outputs: Record<string, string> = {};
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    outputs[key] = resolveString(output.Value, names, `output ${key}`);
  }
  return {
    region,
    accountId,
    partition: names.partition,
    functions: resources
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([logicalId, resource]) => readFunction(logicalId, resource, names, catalog)),
    stateMachines: resources
      .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
      .map(([logicalId, resource]) => readStateMachine(logicalId, resource, names)),
    tables: named(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']),
    eventBuses: named(['AWS::Events::EventBus']),
    outputs,
  };
}
