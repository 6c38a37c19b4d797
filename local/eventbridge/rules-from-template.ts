import type { EventPattern } from '../event-pattern';
import { validateEventPattern } from '../event-pattern';
import type { TargetInputSettings } from './input-transformer';

export interface LocalRuleTarget extends TargetInputSettings {
  readonly id: string;
  /** Resolved target ARN (a state machine for every target this service has). */
  readonly arn: string;
  /** The role EventBridge assumes to deliver (a bus target in another account or region). */
  readonly roleArn?: string;
  /** RetryPolicy.MaximumRetryAttempts; AWS default 185. */
  readonly maximumRetryAttempts?: number;
}

export interface LocalRule {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  readonly enabled: boolean;
  readonly eventPattern?: EventPattern;
  readonly scheduleExpression?: string;
  readonly targets: readonly LocalRuleTarget[];
}

interface CfnResource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
}

export interface TemplateLike {
  readonly Resources?: Record<string, CfnResource>;
}

export interface RuleResolution {
  readonly region: string;
  readonly account: string;
  /**
   * Resolves an intrinsic (Ref, Fn::GetAtt, Fn::Join ...) the way the local
   * stack knows it: state machine logical ids to their local ARNs. Undefined
   * when it cannot.
   */
  readonly resolve: (value: unknown) => unknown;
}

/** The AWS::Events::Rule resources of a synthesized template, resolved for the local bus. */
export function rulesFromTemplate(template: TemplateLike, resolution: RuleResolution): LocalRule[] {
  const resources = template.Resources ?? {};
  const busNames = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::Events::EventBus') {
      const name = resource.Properties?.Name;
      busNames.set(logicalId, typeof name === 'string' ? name : logicalId);
    }
  }
  const rules: LocalRule[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const properties = resource.Properties ?? {};
    const name = typeof properties.Name === 'string' ? properties.Name : logicalId;
    const eventPattern = properties.EventPattern as EventPattern | undefined;
    if (eventPattern !== undefined) validateEventPattern(eventPattern);
    const eventBusName = busName(properties.EventBusName, busNames, resolution);
    const busPath = eventBusName === 'default' ? '' : `${eventBusName}/`;
    rules.push({
      logicalId,
      name,
      arn: `arn:aws:events:${resolution.region}:${resolution.account}:rule/${busPath}${name}`,
      eventBusName,
      enabled: properties.State === undefined || properties.State === 'ENABLED',
      ...(eventPattern === undefined ? {} : { eventPattern }),
      ...(typeof properties.ScheduleExpression === 'string'
        ? { scheduleExpression: properties.ScheduleExpression }
        : {}),
      targets: ((properties.Targets as Record<string, unknown>[] | undefined) ?? []).map((target) =>
        toTarget(target, resolution),
      ),
    });
  }
  return rules;
}

function busName(value: unknown, busNames: ReadonlyMap<string, string>, resolution: RuleResolution): string {
  if (value === undefined) return 'default';
  if (typeof value === 'string') return nameFromBusArn(value);
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string' && busNames.has(ref)) return busNames.get(ref) ?? ref;
  const resolved = resolution.resolve(value);
  if (typeof resolved === 'string') return nameFromBusArn(resolved);
  throw new Error(`cannot resolve EventBusName ${JSON.stringify(value)}`);
}

/** EventBusName accepts a name or an ARN (`...:event-bus/<name>`). */
export function nameFromBusArn(nameOrArn: string): string {
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return at === -1 ? nameOrArn : nameOrArn.slice(at + marker.length);
}

function text(value: unknown, resolution: RuleResolution, what: string): string | undefined {
  if (value === undefined) return undefined;
  const resolved = typeof value === 'string' ? value : resolution.resolve(value);
  if (typeof resolved !== 'string') throw new Error(`cannot resolve ${what} ${JSON.stringify(value)}`);
  return resolved;
}

function toTarget(target: Record<string, unknown>, resolution: RuleResolution): LocalRuleTarget {
  const id = String(target.Id);
  const arn = text(target.Arn, resolution, `the ARN of target ${id}`) ?? '';
  const transformer = target.InputTransformer as Record<string, unknown> | undefined;
  const retry = target.RetryPolicy as { MaximumRetryAttempts?: unknown } | undefined;
  const input = text(target.Input, resolution, 'Input');
  const inputPath = text(target.InputPath, resolution, 'InputPath');
  // Only a bus target uses its role here; one that cannot be resolved is refused at delivery.
  const role = typeof target.RoleArn === 'string' ? target.RoleArn : resolution.resolve(target.RoleArn);
  const roleArn = target.RoleArn !== undefined && typeof role === 'string' ? role : undefined;
  const inputTemplate = text(transformer?.InputTemplate, resolution, 'InputTemplate');
  return {
    id,
    arn,
    ...(input === undefined ? {} : { input }),
    ...(inputPath === undefined ? {} : { inputPath }),
    ...(roleArn === undefined ? {} : { roleArn }),
    ...(inputTemplate === undefined
      ? {}
      : {
          inputTransformer: {
            inputTemplate,
            inputPathsMap: (transformer?.InputPathsMap ?? {}) as Record<string, string>,
          },
        }),
    ...(typeof retry?.MaximumRetryAttempts === 'number'
      ? { maximumRetryAttempts: retry.MaximumRetryAttempts }
      : {}),
  };
}
