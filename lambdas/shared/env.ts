import { isLoopbackUrl } from '../root-access/loopback';
import { partitionOfRegion, type Partition } from '../root-access/task-policies';
import type { QueueUrlOptions } from '../root-access/validation';

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

export interface RuntimeSettings {
  readonly region: string;
  readonly partition: Partition;
}

/** Region and partition of the running function (AWS_REGION is set by Lambda). */
export function runtimeSettings(env: Env = process.env): RuntimeSettings {
  const region = requireVariable(env, 'AWS_REGION');
  return { region, partition: partitionOfRegion(region) };
}

/**
 * How this function checks queue URLs: against its own partition, and, only
 * when AWS_ENDPOINT_URL points at loopback (the local sandbox), accepting
 * loopback queue URLs located in its region. In AWS they are always refused.
 */
export function queueUrlOptionsFromEnv(env: Env = process.env): QueueUrlOptions {
  const { region, partition } = runtimeSettings(env);
  const endpoint = optionalVariable(env, 'AWS_ENDPOINT_URL');
  const local = endpoint !== undefined && isLoopbackUrl(endpoint);
  return local ? { partition, loopbackRegion: region } : { partition };
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
