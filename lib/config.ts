import {
  GUARDRAIL_CONFIG_KEYS,
  parseGuardrailConfig,
  type GuardrailConfig,
} from './guardrails/guardrail-config';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ACCOUNT_ID_PATTERN as ACCOUNT_ID, OU_ID_PATTERN as OU_ID } from '../lambdas/root-access/id-patterns';
import {
  APPROVAL_CONFIG_KEYS,
  DEFAULT_APPROVAL_CONFIG,
  parseApprovalConfig,
  type ApprovalConfig,
} from './approvals/approval-config';
import { DEFAULT_KEY_IN_USE_DAYS, MAX_KEY_IN_USE_DAYS } from '../lambdas/root-access/remediation-plan';

/**
 * The one configuration of the service, read from the cdk.json context key
 * `rootkeeper` (or `-c rootkeeper='{...}'`) and validated at synth, so that a
 * bad value fails `cdk synth` with a message naming it instead of failing a
 * workflow at three in the morning.
 */
/**
 * Where the service stack is deployed: the organization's management account,
 * or the IAM delegated administrator account (the usual choice), which needs
 * the management account to forward its new-account events.
 */
export const DEPLOYMENT_MODES = ['management', 'delegated-admin'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

export interface RootkeeperConfig extends ApprovalConfig, GuardrailConfig {
  /** Which account hosts the service. Default: `management`. */
  readonly deployment: DeploymentMode;
  /** 12-digit account ids that are never targeted. Default: none. */
  readonly protectedAccountIds: readonly string[];
  /** `ou-...` ids whose accounts (nested OUs included) are never targeted. Default: none. */
  readonly protectedOuIds: readonly string[];
  /**
   * The management account id; saves a DescribeOrganization call per check.
   * Required in `delegated-admin` mode: its forwarder stacks are deployed there. Default: looked up.
   */
  readonly managementAccountId?: string;
  /** Control Tower's home region, where its lifecycle events are born. Default: no Control Tower forwarding beyond us-east-1. */
  readonly controlTowerHomeRegion?: string;
  /** IAM role or user ARNs allowed to send `Account Vended` to the rootkeeper bus. Default: none. */
  readonly vendingPrincipalArns: readonly string[];
  /** EventBridge schedule expression of the organization audit. Default: `rate(1 day)`. */
  readonly auditSchedule: string;
  /** Shards audited at once by the Distributed Map (1..10000). Default: 40. */
  readonly auditConcurrency: number;
  /** Accounts per inventory shard, audited by one function call (1..1000). Default: 100. */
  readonly auditShardSize: number;
  /** Remove root credentials found by the scheduled audit. Default: false. */
  readonly autoRemediateOnAudit: boolean;
  /**
   * A root access key used within this many days is "in use": no automatic
   * delete removes it (Secure new account, the audit's remediation, the
   * delete on request without `includeKeysInUse`), the run is recorded as
   * KEY_IN_USE and notified (1..3650). Default: 90.
   */
  readonly keyInUseDays: number;
  /** Send accounts seen for the first time through Secure new account. Default: true. */
  readonly secureFirstSeenOnAudit: boolean;
  /** E-mail subscribed to the alarm topic. Default: none. */
  readonly notificationEmail?: string;
  /** sts:AssumeRoot DurationSeconds (1..900). Default: each task's own. */
  readonly rootSessionDurationSeconds?: number;
  /** Add the us-east-1 forwarder stack when the service lives elsewhere. Default: true. */
  readonly forwardOrganizationsEvents: boolean;
  /** Publish each audited account's root posture to AWS Security Hub as a finding. Default: false. */
  readonly securityHubFindings: boolean;
}

export const CONFIG_CONTEXT_KEY = 'rootkeeper';

export const DEFAULT_CONFIG: RootkeeperConfig = {
  deployment: 'management',
  vendingPrincipalArns: [],
  protectedAccountIds: [],
  protectedOuIds: [],
  auditSchedule: 'rate(1 day)',
  auditConcurrency: 40,
  auditShardSize: 100,
  autoRemediateOnAudit: false,
  keyInUseDays: DEFAULT_KEY_IN_USE_DAYS,
  secureFirstSeenOnAudit: true,
  forwardOrganizationsEvents: true,
  securityHubFindings: false,
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
  'deployment',
  'controlTowerHomeRegion',
  'vendingPrincipalArns',
  'protectedAccountIds',
  'protectedOuIds',
  'managementAccountId',
  'auditSchedule',
  'auditConcurrency',
  'auditShardSize',
  'autoRemediateOnAudit',
  'keyInUseDays',
  'secureFirstSeenOnAudit',
  'notificationEmail',
  'rootSessionDurationSeconds',
  'forwardOrganizationsEvents',
  'securityHubFindings',
  ...APPROVAL_CONFIG_KEYS,
  ...GUARDRAIL_CONFIG_KEYS,
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An IAM role or user (paths allowed); not an assumed-role session, not a wildcard: bus policies match the principal's ARN. */
const IAM_PRINCIPAL_ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
/** The commercial, China and GovCloud regions CDK knows (an ISO region would need its own partition throughout). */
const KNOWN_REGIONS: ReadonlySet<string> = new Set(RegionInfo.regions.map((region) => region.name));
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
 * when passed with `-c`) and fills the defaults. Settings are checked in
 * the order below: with several wrong, the first named here is reported.
 */
export function parseConfig(raw: unknown): RootkeeperConfig {
  const values = knownSettings(raw);
  const auditSchedule = auditScheduleOf(values);
  const { deployment, managementAccountId } = deploymentOf(values);
  const controlTowerHomeRegion = controlTowerHomeRegionOf(values);
  const vendingPrincipalArns = stringList(
    'vendingPrincipalArns',
    values.vendingPrincipalArns,
    IAM_PRINCIPAL_ARN,
    'an IAM role or user ARN (arn:aws:iam::123456789012:role/name)',
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
    deployment,
    vendingPrincipalArns,
    ...(controlTowerHomeRegion === undefined ? {} : { controlTowerHomeRegion }),
    protectedAccountIds,
    protectedOuIds: stringList('protectedOuIds', values.protectedOuIds, OU_ID, 'an OU id (ou-xxxx-xxxxxxxx)'),
    ...(managementAccountId === undefined ? {} : { managementAccountId }),
    auditSchedule,
    ...auditSettingsOf(values),
    ...(notificationEmail === undefined ? {} : { notificationEmail }),
    ...(rootSessionDurationSeconds === undefined ? {} : { rootSessionDurationSeconds }),
    forwardOrganizationsEvents: boolean(
      'forwardOrganizationsEvents',
      values.forwardOrganizationsEvents,
      DEFAULT_CONFIG.forwardOrganizationsEvents,
    ),
    securityHubFindings: boolean(
      'securityHubFindings',
      values.securityHubFindings,
      DEFAULT_CONFIG.securityHubFindings,
    ),
    ...parseApprovalConfig(values, (key, problem) => new ConfigError(key, problem)),
    ...parseGuardrailConfig(values, (key, problem) => new ConfigError(key, problem)),
  };
}

/** The settings as an object (a JSON text parsed), every key a known one. */
function knownSettings(raw: unknown): Record<string, unknown> {
  const source: unknown = typeof raw === 'string' ? parseJson(raw) : (raw ?? {});
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new ConfigError('(root)', 'must be an object');
  }
  const values = source as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(key, 'is not a known setting');
  }
  return values;
}

function auditScheduleOf(values: Record<string, unknown>): string {
  const auditSchedule = values.auditSchedule ?? DEFAULT_CONFIG.auditSchedule;
  if (typeof auditSchedule !== 'string' || !SCHEDULE.test(auditSchedule.trim())) {
    throw new ConfigError(
      'auditSchedule',
      `must be an EventBridge schedule such as "rate(1 day)" or "cron(0 3 * * ? *)", got ${JSON.stringify(auditSchedule)}`,
    );
  }
  return auditSchedule.trim();
}

/** Where the service runs, and the management account a delegated administrator needs named. */
function deploymentOf(values: Record<string, unknown>): {
  deployment: DeploymentMode;
  managementAccountId: string | undefined;
} {
  const managementAccountId = optionalString(
    'managementAccountId',
    values.managementAccountId,
    ACCOUNT_ID,
    'a 12-digit account id',
  );
  const deployment = values.deployment ?? DEFAULT_CONFIG.deployment;
  if (typeof deployment !== 'string' || !(DEPLOYMENT_MODES as readonly string[]).includes(deployment)) {
    throw new ConfigError(
      'deployment',
      `must be one of ${DEPLOYMENT_MODES.map((mode) => `"${mode}"`).join(', ')}, got ${JSON.stringify(deployment)}`,
    );
  }
  if (deployment === 'delegated-admin' && managementAccountId === undefined) {
    throw new ConfigError(
      'managementAccountId',
      'is required when deployment is "delegated-admin": the event forwarder stacks are deployed into that account',
    );
  }
  return { deployment: deployment as DeploymentMode, managementAccountId };
}

function controlTowerHomeRegionOf(values: Record<string, unknown>): string | undefined {
  const controlTowerHomeRegion = optionalString(
    'controlTowerHomeRegion',
    values.controlTowerHomeRegion,
    /^[a-z]{2}(-[a-z]+)+-\d$/,
    'an AWS region such as "eu-west-1"',
  );
  if (controlTowerHomeRegion !== undefined && !KNOWN_REGIONS.has(controlTowerHomeRegion)) {
    throw new ConfigError('controlTowerHomeRegion', `"${controlTowerHomeRegion}" is not a known AWS region`);
  }
  return controlTowerHomeRegion;
}

/** How the organization audit runs and what it does on its own. */
function auditSettingsOf(
  values: Record<string, unknown>,
): Pick<
  RootkeeperConfig,
  'auditConcurrency' | 'auditShardSize' | 'autoRemediateOnAudit' | 'keyInUseDays' | 'secureFirstSeenOnAudit'
> {
  return {
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
    keyInUseDays: integer(
      'keyInUseDays',
      values.keyInUseDays,
      DEFAULT_CONFIG.keyInUseDays,
      1,
      MAX_KEY_IN_USE_DAYS,
    ),
    secureFirstSeenOnAudit: boolean(
      'secureFirstSeenOnAudit',
      values.secureFirstSeenOnAudit,
      DEFAULT_CONFIG.secureFirstSeenOnAudit,
    ),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError('(root)', 'is not valid JSON');
  }
}
