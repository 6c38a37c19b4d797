import { isPartition, type Partition } from '../root-access/task-policies';

/** A variable the function needs is missing or malformed: a deployment error, named. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function requireVariable(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is not set`);
  }
  return value.trim();
}

export function optionalVariable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function listVariable(env: Env, name: string): string[] {
  return (optionalVariable(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function integerVariable(
  env: Env,
  name: string,
  bounds: { min: number; max: number },
): number | undefined {
  const raw = optionalVariable(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new ConfigurationError(
      `environment variable ${name} must be an integer from ${bounds.min} to ${bounds.max}, got "${raw}"`,
    );
  }
  return value;
}

/** The partition of a region: the task policy ARNs and root ARNs depend on it. */
export function partitionOfRegion(region: string): Partition {
  const partition = region.startsWith('us-gov-') ? 'aws-us-gov' : region.startsWith('cn-') ? 'aws-cn' : 'aws';
  if (!isPartition(partition)) throw new ConfigurationError(`unknown partition for region ${region}`);
  return partition;
}

export interface RuntimeSettings {
  readonly region: string;
  readonly partition: Partition;
}

/** Region and partition of the running function (AWS_REGION is set by Lambda). */
export function runtimeSettings(env: Env = process.env): RuntimeSettings {
  const region = requireVariable(env, 'AWS_REGION');
  return { region, partition: partitionOfRegion(region) };
}

/** `true`/`false` (also `1`/`0`, any case); unset gives `fallback`. */
export function booleanVariable(env: Env, name: string, fallback = false): boolean {
  const raw = optionalVariable(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigurationError(`environment variable ${name} must be true or false, got "${raw}"`);
}
