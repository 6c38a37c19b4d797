/** A seeded organization of N accounts with a realistic mix of root credentials. */
import type { AccountFixture, GenerateOptions, OrganizationFixture, RootCredentialsFixture } from './fixture';
import type { Random } from './random';
import { mulberry32, pick, randomDigits, randomLower, randomUpper } from './random';

const OUS = [
  { name: 'Security' },
  { name: 'Workloads' },
  { name: 'Prod', parent: 'Workloads' },
  { name: 'Dev', parent: 'Workloads' },
  { name: 'Sandbox' },
  { name: 'Suspended' },
];
const MEMBER_OUS = ['Security', 'Prod', 'Prod', 'Dev', 'Dev', 'Sandbox'];
const TEAMS = ['payments', 'search', 'identity', 'data', 'ml', 'web', 'mobile', 'billing', 'ops', 'audit'];
const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'];

export const denyAllPolicy = (resource: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: '*', Resource: resource }],
  });

function daysAgo(random: Random, maxDays: number): string {
  const base = Date.parse('2026-01-01T00:00:00Z');
  return new Date(base - Math.floor(random() * maxDays) * 86_400_000).toISOString();
}

function credentialsFor(random: Random, accountId: string): RootCredentialsFixture | undefined {
  const roll = random();
  if (roll < 0.7) return undefined; // most accounts are clean
  const creds: RootCredentialsFixture = {};
  if (random() < 0.8) creds.loginProfile = { createDate: daysAgo(random, 2000) };
  if (random() < 0.4) {
    const count = random() < 0.25 ? 2 : 1;
    creds.accessKeys = Array.from({ length: count }, () => ({
      accessKeyId: `AKIA${randomUpper(random, 16)}`,
      createDate: daysAgo(random, 2000),
      ...(random() < 0.6
        ? { lastUsed: { date: daysAgo(random, 300), serviceName: 's3', region: pick(random, REGIONS) } }
        : {}),
    }));
  }
  if (random() < 0.08) {
    creds.signingCertificates = [
      { certificateId: randomUpper(random, 32), uploadDate: daysAgo(random, 2000) },
    ];
  }
  if (random() < 0.35) {
    creds.mfaDevices = [
      random() < 0.7
        ? { serialNumber: `arn:aws:iam::${accountId}:mfa/root-account-mfa-device`, type: 'virtual' }
        : { serialNumber: `GAHT${randomDigits(random, 8)}`, type: 'hardware' },
    ];
  }
  return creds;
}

export function generateOrganization(options: GenerateOptions): OrganizationFixture {
  const random = mulberry32(options.seed ?? 1);
  const ids = new Set<string>();
  const newId = (): string => {
    for (;;) {
      const id = `${1 + Math.floor(random() * 9)}${randomDigits(random, 11)}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const managementId = newId();
  const accounts: AccountFixture[] = [];
  for (let i = 0; i < options.accounts; i += 1) {
    const id = newId();
    const team = pick(random, TEAMS);
    const suspended = random() < 0.03;
    const rootCredentials = suspended ? undefined : credentialsFor(random, id);
    const account: AccountFixture = {
      id,
      name: `${team}-${i + 1}`,
      email: `aws+${team}-${i + 1}@example.com`,
      status: suspended ? 'SUSPENDED' : 'ACTIVE',
      parent: suspended ? 'Suspended' : pick(random, MEMBER_OUS),
      joinedMethod: rootCredentials ? 'INVITED' : 'CREATED',
      joinedTimestamp: daysAgo(random, 1500),
      ...(rootCredentials ? { rootCredentials } : {}),
    };
    if (random() < 0.1) {
      const name = `${team}-${i + 1}-${randomLower(random, 6)}`;
      const locked = random() < 0.3;
      account.buckets = [
        {
          name,
          region: pick(random, REGIONS),
          ...(locked ? { policy: denyAllPolicy(`arn:aws:s3:::${name}/*`) } : {}),
        },
      ];
    }
    if (random() < 0.1) {
      const name = `${team}-events-${i + 1}`;
      const locked = random() < 0.3;
      const region = pick(random, REGIONS);
      account.queues = [
        { name, region, ...(locked ? { policy: denyAllPolicy(`arn:aws:sqs:${region}:${id}:${name}`) } : {}) },
      ];
    }
    accounts.push(account);
  }
  applyVariants(options, accounts);
  const enabled = options.featuresEnabled ?? true;
  const delegated = options.delegatedAdministrator
    ? accounts.find((a) => a.status === 'ACTIVE' && !a.rootCredentials)
    : undefined;
  return {
    managementAccount: { id: managementId, name: 'management', email: 'aws+management@example.com' },
    accounts,
    organizationalUnits: OUS,
    features: { rootCredentialsManagement: enabled, rootSessions: enabled },
    trustedAccess: (options.trustedAccess ?? enabled) ? ['iam.amazonaws.com'] : [],
    ...(delegated ? { delegatedAdministrator: { accountId: delegated.id } } : {}),
  };
}

/** Services a forgotten job calls with a root key, for the recently used keys. */
const SERVICES_OF_FORGOTTEN_JOBS = ['s3', 'ec2', 'cloudformation', 'route53'];

/**
 * Organization variants on top of the seeded draw (which they leave unchanged, so a seed keeps
 * giving the same base organization): more suspended accounts, from the last; more invited accounts
 * with root credentials (password and an access key), from the first clean ACTIVE ones; keys used
 * recently (1 to 20 days before the sandbox starts), on the first accounts with a root key.
 */
function applyVariants(options: GenerateOptions, accounts: AccountFixture[]): void {
  let suspended = accounts.filter((a) => a.status === 'SUSPENDED').length;
  for (const account of [...accounts].reverse()) {
    if (suspended >= (options.suspendedAccounts ?? 0)) break;
    if (account.status === 'SUSPENDED') continue;
    account.status = 'SUSPENDED';
    account.parent = 'Suspended';
    suspended += 1;
  }
  const invitedWithCredentials = (a: AccountFixture): boolean =>
    a.status === 'ACTIVE' && a.joinedMethod === 'INVITED' && a.rootCredentials !== undefined;
  let invited = accounts.filter(invitedWithCredentials).length;
  for (const account of accounts) {
    if (invited >= (options.invitedAccounts ?? 0)) break;
    if (account.status !== 'ACTIVE' || account.rootCredentials) continue;
    account.joinedMethod = 'INVITED';
    account.rootCredentials = {
      loginProfile: true,
      accessKeys: [{ accessKeyId: `AKIA${account.id.padStart(16, '0')}` }],
    };
    invited += 1;
  }
  markKeysInUse(options.keysInUseAccounts ?? 0, accounts);
}

function markKeysInUse(wanted: number, accounts: AccountFixture[]): void {
  let marked = 0;
  const recentUse = () => ({
    daysAgo: 1 + ((marked * 7) % 20),
    serviceName: SERVICES_OF_FORGOTTEN_JOBS[marked % SERVICES_OF_FORGOTTEN_JOBS.length] as string,
    region: 'us-east-1',
  });
  for (const account of accounts) {
    if (marked >= wanted) return;
    const key = account.rootCredentials?.accessKeys?.[0];
    if (account.status !== 'ACTIVE' || key === undefined) continue;
    key.lastUsed = recentUse();
    marked += 1;
  }
  for (const account of accounts) {
    if (marked >= wanted) return;
    if (account.status !== 'ACTIVE' || account.rootCredentials) continue;
    account.joinedMethod = 'INVITED';
    account.rootCredentials = {
      loginProfile: true,
      accessKeys: [{ accessKeyId: `AKIAINUSE${account.id.padStart(11, '0')}`, lastUsed: recentUse() }],
    };
    marked += 1;
  }
}
