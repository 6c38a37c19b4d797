import { resolveValue } from '../template/intrinsics';
import { LocalNames, type LocalNameOptions, type TemplateJson } from '../template/local-names';

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export interface TemplatePolicies {
  /** Bus name → its resource policy (all the bus's AWS::Events::EventBusPolicy statements). */
  readonly buses: ReadonlyMap<string, PolicyDocument>;
  /** Topic ARN → its topic policy. */
  readonly topics: ReadonlyMap<string, PolicyDocument>;
  /** Role name → the identity policies attached to it in the template. */
  readonly roles: ReadonlyMap<string, readonly PolicyDocument[]>;
  /** Alarm ARN → the topic ARNs of its actions. */
  readonly alarms: ReadonlyMap<string, readonly string[]>;
}

/**
 * The resource and identity policies of a synthesized stack, resolved as
 * deployed in the given account and region, ready for the policy evaluator.
 */
export function templatePolicies(template: TemplateJson, options: LocalNameOptions): TemplatePolicies {
  const names = new LocalNames(template, options);
  const resolve = (value: unknown): unknown => resolveValue(value, names);
  const buses = new Map<string, Record<string, unknown>[]>();
  const topics = new Map<string, PolicyDocument>();
  const roles = new Map<string, PolicyDocument[]>();
  const alarms = new Map<string, string[]>();
  const partition = names.ref('AWS::Partition');
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::Events::EventBusPolicy': {
        const busName = String(resolve(properties.EventBusName ?? 'default'));
        buses.set(busName, [
          ...(buses.get(busName) ?? []),
          resolve(properties.Statement) as Record<string, unknown>,
        ]);
        break;
      }
      case 'AWS::SNS::TopicPolicy':
        for (const topic of properties.Topics as unknown[]) {
          topics.set(String(resolve(topic)), resolve(properties.PolicyDocument) as PolicyDocument);
        }
        break;
      case 'AWS::IAM::Policy':
        for (const role of (properties.Roles as unknown[] | undefined) ?? []) {
          const name = String(resolve(role));
          roles.set(name, [...(roles.get(name) ?? []), resolve(properties.PolicyDocument) as PolicyDocument]);
        }
        break;
      case 'AWS::CloudWatch::Alarm': {
        const name = typeof properties.AlarmName === 'string' ? properties.AlarmName : logicalId;
        const arn = `arn:${partition}:cloudwatch:${options.region}:${options.accountId}:alarm:${name}`;
        alarms.set(
          arn,
          ((properties.AlarmActions as unknown[] | undefined) ?? []).map((a) => String(resolve(a))),
        );
        break;
      }
      default:
        break;
    }
  }
  return {
    buses: new Map(
      [...buses].map(([name, statements]) => [name, { Version: '2012-10-17', Statement: statements }]),
    ),
    topics,
    roles,
    alarms,
  };
}
