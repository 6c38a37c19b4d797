import type { App } from 'aws-cdk-lib';
import type { RootkeeperStack } from '../../../lib/rootkeeper-stack';

export type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  Outputs?: Record<string, { Value: unknown }>;
};

/** The synthesized template of the stack (synthesizing the app once). */
export function templateOf(app: App, stack: RootkeeperStack): Template {
  return app.synth().getStackByName(stack.stackName).template as Template;
}

/**
 * Resolves the intrinsic functions found in state machine definitions and
 * IAM documents into plain strings with placeholder values: Ref → a fake
 * ARN or name built from the logical id, Fn::GetAtt → a fake ARN, the
 * pseudo parameters → fixed test values.
 */
export function resolveIntrinsics(value: unknown, template: Template): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, template));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const argument = object[key];
    if (key === 'Ref') return placeholderRef(String(argument), template);
    if (key === 'Fn::GetAtt') {
      const [logicalId, attribute] = argument as [string, string];
      return placeholderAttribute(logicalId, attribute, template);
    }
    if (key === 'Fn::Join') {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => String(resolveIntrinsics(part, template))).join(separator);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, resolveIntrinsics(object[key], template)]));
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '111111111111',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Rootkeeper',
};

function placeholderRef(logicalId: string, template: Template): string {
  const pseudo = PSEUDO[logicalId];
  if (pseudo !== undefined) return pseudo;
  const type = template.Resources[logicalId]?.Type;
  if (type === 'AWS::StepFunctions::StateMachine') {
    return `arn:aws:states:eu-west-1:111111111111:stateMachine:${logicalId}`;
  }
  return logicalId;
}

function placeholderAttribute(logicalId: string, attribute: string, template: Template): string {
  const type = template.Resources[logicalId]?.Type;
  if (type === 'AWS::Lambda::Function' && attribute === 'Arn') {
    return `arn:aws:lambda:eu-west-1:111111111111:function:${logicalId}`;
  }
  if (type === 'AWS::DynamoDB::Table' && attribute === 'Arn') {
    return `arn:aws:dynamodb:eu-west-1:111111111111:table/${logicalId}`;
  }
  return `arn:aws:placeholder:eu-west-1:111111111111:${logicalId}/${attribute}`;
}

/** Every state machine's definition as JSON, by logical id. */
export function stateMachineDefinitions(template: Template): Record<string, Record<string, unknown>> {
  const definitions: Record<string, Record<string, unknown>> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const text = resolveIntrinsics(resource.Properties?.DefinitionString, template);
    definitions[logicalId] = JSON.parse(String(text)) as Record<string, unknown>;
  }
  return definitions;
}

export interface FoundStatement {
  /** The resource that holds the document. */
  readonly logicalId: string;
  readonly statement: Record<string, unknown>;
}

/** Where IAM documents live, by resource type. */
const DOCUMENTS: Record<string, (properties: Record<string, unknown>) => unknown[]> = {
  'AWS::IAM::Policy': (p) => [p.PolicyDocument],
  'AWS::IAM::ManagedPolicy': (p) => [p.PolicyDocument],
  'AWS::IAM::Role': (p) => [
    p.AssumeRolePolicyDocument,
    ...((p.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
      (policy) => policy.PolicyDocument,
    ),
  ],
  'AWS::KMS::Key': (p) => [p.KeyPolicy],
  'AWS::SQS::QueuePolicy': (p) => [p.PolicyDocument],
  'AWS::SNS::TopicPolicy': (p) => [p.PolicyDocument],
  'AWS::Events::EventBusPolicy': (p) => [
    p.Statement === undefined ? undefined : { Statement: [p.Statement] },
  ],
};

/** Every statement of every IAM document in the template (identity and resource policies). */
export function policyStatements(template: Template): FoundStatement[] {
  const found: FoundStatement[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const documents = DOCUMENTS[resource.Type]?.(resource.Properties ?? {}) ?? [];
    for (const document of documents) {
      const statements = (document as { Statement?: Record<string, unknown>[] } | undefined)?.Statement ?? [];
      for (const statement of statements) found.push({ logicalId, statement });
    }
  }
  return found;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The logical id in `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attribute] }`. */
export function logicalIdOfRef(value: unknown): string {
  const object = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = object?.Ref ?? object?.['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return id;
}
