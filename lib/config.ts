import {
  APPROVAL_CONFIG_KEYS,
  DEFAULT_APPROVAL_CONFIG,
  parseApprovalConfig,
  type ApprovalConfig,
} from './approvals/approval-config';

/**
 * The one configuration of the service, read from the cdk.json context key
 * `rootkeeper` (or `-c rootkeeper='{...}'`) and validated at synth, so that a
 * bad value fails `cdk synth` with a message naming it instead of failing a
 * workflow at three in the morning.
 */
export interface RootkeeperConfig extends ApprovalConfig {
  /** 12-digit account ids that are never targeted. Default: none. */
  readonly protectedAccountIds: readonly string[];
  /** `ou-...` ids whose accounts (nested OUs included) are never targeted. Default: none. */
  readonly protectedOuIds: readonly string[];
  /** The management account id; saves a DescribeOrganization call per check. Default: looked up. */
  readonly managementAccountId?: string;
  /** EventBridge schedule expression of the organization audit. Default: `rate(1 day)`. */
  readonly auditSchedule: string;
  /** Shards audited at once by the Distributed Map (1..10000). Default: 40. */
  readonly auditConcurrency: number;
  /** Accounts per inventory shard, audited by one function call (1..1000). Default: 100. */
  readonly auditShardSize: number;
  /** Remove root credentials found by the scheduled audit. Default: false. */
  readonly autoRemediateOnAudit: boolean;
  /** Send accounts seen for the first time through Secure new account. Default: true. */
  readonly secureFirstSeenOnAudit: boolean;
  /** E-mail subscribed to the alarm topic. Default: none. */
  readonly notificationEmail?: string;
  /** sts:AssumeRoot DurationSeconds (1..900). Default: each task's own. */
  readonly rootSessionDurationSeconds?: number;
  /** Add the us-east-1 forwarder stack when the service lives elsewhere. Default: true. */
  readonly forwardOrganizationsEvents: boolean;
}

export const CONFIG_CONTEXT_KEY = 'rootkeeper';

export const DEFAULT_CONFIG: RootkeeperConfig = {
  protectedAccountIds: [],
  protectedOuIds: [],
  auditSchedule: 'rate(1 day)',
  auditConcurrency: 40,
  auditShardSize: 100,
  autoRemediateOnAudit: false,
  secureFirstSeenOnAudit: true,
  forwardOrganizationsEvents: true,
  ...DEFAULT_APPROVAL_CONFIG,
};

/** A configuration value is wrong; the message names it. */
export class ConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`${CONFIG_CONTEXT_KEY}.${key}: ${problem}`);
    this.name = new.target.name;
  }
}

const KNOWN_KEYS = new Set<string>([
  'protectedAccountIds',
  'protectedOuIds',
  'managementAccountId',
  'auditSchedule',
  'auditConcurrency',
  'auditShardSize',
  'autoRemediateOnAudit',
  'secureFirstSeenOnAudit',
  'notificationEmail',
  'rootSessionDurationSeconds',
  'forwardOrganizationsEvents',
  ...APPROVAL_CONFIG_KEYS,
]);

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;

function stringList(key: string, value: unknown, pattern: RegExp, what: string): string[] {
  if (value === undefined) return [];
  const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
  if (!Array.isArray(items)) throw new ConfigError(key, `must be a list of ${what}`);
  return items
    .filter((item) => item !== '')
    .map((item: unknown) => {
      if (typeof item !== 'string' || !pattern.test(item)) {
        throw new ConfigError(key, `"${String(item)}" is not ${what}`);
      }
      return item;
    });
}

function integer(key: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function boolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  // cdk -c passes strings: accept their spelling of a boolean too.
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(key, `must be true or false, got ${JSON.stringify(value)}`);
}

function optionalString(key: string, value: unknown, pattern: RegExp, what: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConfigError(key, `must be ${what}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Validates a raw configuration (from context: an object, or a JSON string
 * when passed with `-c`) and fills the defaults.
 */
export function parseConfig(raw: unknown): RootkeeperConfig {
  const source: unknown = typeof raw === 'string' ? parseJson(raw) : (raw ?? {});
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new ConfigError('(root)', 'must be an object');
  }
  const values = source as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(key, 'is not a known setting');
  }
  const auditSchedule = values.auditSchedule ?? DEFAULT_CONFIG.auditSchedule;
  if (typeof auditSchedule !== 'string' || !SCHEDULE.test(auditSchedule.trim())) {
    throw new ConfigError(
      'auditSchedule',
      `must be an EventBridge schedule such as "rate(1 day)" or "cron(0 3 * * ? *)", got ${JSON.stringify(auditSchedule)}`,
    );
  }
  const managementAccountId = optionalString(
    'managementAccountId',
    values.managementAccountId,
    ACCOUNT_ID,
    'a 12-digit account id',
  );
  const protectedAccountIds = stringList(
    'protectedAccountIds',
    values.protectedAccountIds,
    ACCOUNT_ID,
    'a 12-digit account id',
  );
  const notificationEmail = optionalString(
    'notificationEmail',
    values.notificationEmail,
    EMAIL,
    'an e-mail address',
  );
  const rootSessionDurationSeconds =
    values.rootSessionDurationSeconds === undefined
      ? undefined
      : integer('rootSessionDurationSeconds', values.rootSessionDurationSeconds, 900, 1, 900);
  return {
    protectedAccountIds,
    protectedOuIds: stringList('protectedOuIds', values.protectedOuIds, OU_ID, 'an OU id (ou-xxxx-xxxxxxxx)'),
    ...(managementAccountId === undefined ? {} : { managementAccountId }),
    auditSchedule: auditSchedule.trim(),
    auditConcurrency: integer(
      'auditConcurrency',
      values.auditConcurrency,
      DEFAULT_CONFIG.auditConcurrency,
      1,
      10000,
    ),
    auditShardSize: integer('auditShardSize', values.auditShardSize, DEFAULT_CONFIG.auditShardSize, 1, 1000),
    autoRemediateOnAudit: boolean(
      'autoRemediateOnAudit',
      values.autoRemediateOnAudit,
      DEFAULT_CONFIG.autoRemediateOnAudit,
    ),
    secureFirstSeenOnAudit: boolean(
      'secureFirstSeenOnAudit',
      values.secureFirstSeenOnAudit,
      DEFAULT_CONFIG.secureFirstSeenOnAudit,
    ),
    ...(notificationEmail === undefined ? {} : { notificationEmail }),
    ...(rootSessionDurationSeconds === undefined ? {} : { rootSessionDurationSeconds }),
    forwardOrganizationsEvents: boolean(
      'forwardOrganizationsEvents',
      values.forwardOrganizationsEvents,
      DEFAULT_CONFIG.forwardOrganizationsEvents,
    ),
    ...parseApprovalConfig(values, (key, problem) => new ConfigError(key, problem)),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError('(root)', 'is not valid JSON');
  }
}
