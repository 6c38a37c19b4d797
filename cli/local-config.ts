import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';

/**
 * `--local`: the endpoints, credentials and stack outputs of the local stack,
 * as `npm run local` writes them to `.rootkeeper/local.json` (another path
 * with ROOTKEEPER_LOCAL_FILE). The command line then talks to the local
 * stack with exactly the code it uses against AWS.
 */

const DEFAULT_LOCAL_FILE = path.join('.rootkeeper', 'local.json');

export type LocalService =
  'sts' | 'iam' | 'organizations' | 'sfn' | 'dynamodb' | 'cloudformation' | 's3' | 'sqs' | 'events';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface LocalConfig {
  readonly file: string;
  readonly region: string | undefined;
  readonly endpoints: Readonly<Partial<Record<LocalService, string>>>;
  readonly credentials: LocalCredentials | undefined;
  readonly outputs: Readonly<Record<string, string>>;
}

/** Names the local stack may use for each service's endpoint; `sandbox` serves the organization's services. */
const ENDPOINT_KEYS: Readonly<Record<LocalService, readonly string[]>> = {
  sts: ['sts', 'sandbox', 'aws', 'default'],
  iam: ['iam', 'sandbox', 'aws', 'default'],
  organizations: ['organizations', 'sandbox', 'aws', 'default'],
  s3: ['s3', 'sandbox', 'aws', 'default'],
  sqs: ['sqs', 'sandbox', 'aws', 'default'],
  sfn: ['sfn', 'stepfunctions', 'stepFunctions', 'states'],
  dynamodb: ['dynamodb', 'dynamoDb', 'dynamoDB'],
  events: ['events', 'eventbridge', 'eventBridge'],
  cloudformation: ['cloudformation', 'cloudFormation'],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

function credentialsOf(value: unknown): LocalCredentials | undefined {
  if (!isRecord(value)) return undefined;
  const { accessKeyId, secretAccessKey, sessionToken } = value;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') return undefined;
  return { accessKeyId, secretAccessKey, ...(typeof sessionToken === 'string' ? { sessionToken } : {}) };
}

export function parseLocalConfig(text: string, file: string): LocalConfig {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      '--local',
      `${file} is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isRecord(document)) throw new UsageError('--local', `${file} must hold a JSON object`);
  const rawEndpoints = stringRecord(document.endpoints);
  const endpoints: Partial<Record<LocalService, string>> = {};
  for (const [service, keys] of Object.entries(ENDPOINT_KEYS) as [LocalService, readonly string[]][]) {
    const found = keys.map((key) => rawEndpoints[key]).find((url) => url !== undefined);
    if (found !== undefined) endpoints[service] = found;
  }
  const credentials = credentialsOf(document.credentials) ?? credentialsOf(document.managementCredentials);
  return {
    file,
    region: typeof document.region === 'string' ? document.region : undefined,
    endpoints,
    credentials,
    outputs: stringRecord(document.outputs),
  };
}

/** The local file: ROOTKEEPER_LOCAL_FILE, else .rootkeeper/local.json in the working directory, else in the repository. */
function localFilePath(env: NodeJS.ProcessEnv, cwd: string): string {
  const configured = env.ROOTKEEPER_LOCAL_FILE;
  if (configured !== undefined && configured !== '') return path.resolve(cwd, configured);
  const inCwd = path.resolve(cwd, DEFAULT_LOCAL_FILE);
  if (existsSync(inCwd)) return inCwd;
  const inRepo = path.resolve(__dirname, '..', DEFAULT_LOCAL_FILE);
  return existsSync(inRepo) ? inRepo : inCwd;
}

export function readLocalConfig(env: NodeJS.ProcessEnv, cwd: string): LocalConfig {
  const file = localFilePath(env, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(
      '--local',
      `no local stack found (${file} is missing): start one with "npm run local"`,
    );
  }
  return parseLocalConfig(text, file);
}
