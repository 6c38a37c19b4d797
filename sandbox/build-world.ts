/** Turns a declarative OrganizationFixture into the live World, filling defaults. */
import type { AccountFixture, DateInput, OrganizationFixture, RootCredentialsFixture } from './fixture';
import type { Account, RootCredentials, World } from './model';
import { queueKey } from './model';
import { buildServiceControlPolicies } from './organizations-policies';
import { mulberry32, randomLower, randomUpper } from './random';

const EPOCH = new Date('2020-01-01T00:00:00Z');
const toDate = (value: DateInput | undefined, fallback: Date = EPOCH): Date =>
  value === undefined ? fallback : new Date(value);

const DAY_MS = 86_400_000;

function rootCredentials(fixture: RootCredentialsFixture | undefined, now: number): RootCredentials {
  const login = fixture?.loginProfile;
  return {
    ...(login
      ? {
          loginProfile: {
            createDate: typeof login === 'object' ? toDate(login.createDate) : EPOCH,
            passwordResetRequired: false,
          },
        }
      : {}),
    accessKeys: (fixture?.accessKeys ?? []).map((key) => ({
      accessKeyId: key.accessKeyId,
      status: key.status ?? 'Active',
      createDate: toDate(key.createDate),
      ...(key.lastUsed
        ? {
            lastUsed: {
              date:
                key.lastUsed.daysAgo === undefined
                  ? toDate(key.lastUsed.date)
                  : new Date(now - key.lastUsed.daysAgo * DAY_MS),
              serviceName: key.lastUsed.serviceName,
              region: key.lastUsed.region,
            },
          }
        : {}),
    })),
    signingCertificates: (fixture?.signingCertificates ?? []).map((cert) => ({
      certificateId: cert.certificateId,
      status: cert.status ?? 'Active',
      uploadDate: toDate(cert.uploadDate),
      body: cert.body ?? '-----BEGIN CERTIFICATE-----\nSANDBOX\n-----END CERTIFICATE-----',
    })),
    mfaDevices: (fixture?.mfaDevices ?? []).map((device) => ({
      serialNumber: device.serialNumber,
      type: device.type,
      enableDate: toDate(device.enableDate),
      assigned: true,
    })),
  };
}

/** `now`: the sandbox clock's start, for dates given relative to it (a key's `lastUsed.daysAgo`). */
export function buildWorld(fixture: OrganizationFixture, defaultRegion: string, now = Date.now()): World {
  const random = mulberry32(Number(fixture.managementAccount.id.slice(-6)) || 1);
  const rootId = fixture.rootId ?? `r-${randomLower(random, 4)}`;
  const management = fixture.managementAccount;
  const world: World = {
    organization: {
      id: fixture.organizationId ?? `o-${randomLower(random, 10)}`,
      rootId,
      partition: fixture.partition ?? 'aws',
      managementAccountId: management.id,
      features: {
        rootCredentialsManagement: fixture.features?.rootCredentialsManagement ?? false,
        rootSessions: fixture.features?.rootSessions ?? false,
      },
      trustedAccess: new Map((fixture.trustedAccess ?? []).map((principal) => [principal, EPOCH])),
      delegatedAdministrators: new Set(),
      serviceControlPolicies: [],
    },
    accounts: new Map(),
    organizationalUnits: new Map(),
    buckets: new Map(),
    queues: new Map(),
    credentials: new Map(),
    sessions: new Map(),
  };
  const ouIdsByName = new Map<string, string>();
  for (const ou of fixture.organizationalUnits ?? []) {
    const id = ou.id ?? `ou-${rootId.slice(2)}-${randomLower(random, 8)}`;
    ouIdsByName.set(ou.name, id);
  }
  const resolveParent = (parent: string | undefined): string => {
    if (parent === undefined) return rootId;
    const id = ouIdsByName.get(parent) ?? parent;
    if (id !== rootId && ![...ouIdsByName.values()].includes(id)) throw new Error(`unknown parent ${parent}`);
    return id;
  };
  for (const ou of fixture.organizationalUnits ?? []) {
    const id = ouIdsByName.get(ou.name) ?? '';
    world.organizationalUnits.set(id, { id, name: ou.name, parentId: resolveParent(ou.parent) });
  }
  const addAccount = (account: AccountFixture): void => {
    if (world.accounts.has(account.id)) throw new Error(`duplicate account ${account.id}`);
    const status = account.status ?? 'ACTIVE';
    const live: Account = {
      id: account.id,
      name: account.name ?? `account-${account.id}`,
      email: account.email ?? `aws+${account.id}@example.com`,
      status,
      state: account.state ?? status,
      parentId: resolveParent(account.parent),
      joinedMethod: account.joinedMethod ?? 'CREATED',
      joinedTimestamp: toDate(account.joinedTimestamp),
      rootCredentials: rootCredentials(account.rootCredentials, now),
    };
    world.accounts.set(live.id, live);
    for (const bucket of account.buckets ?? []) {
      if (world.buckets.has(bucket.name)) throw new Error(`duplicate bucket ${bucket.name}`);
      world.buckets.set(bucket.name, {
        name: bucket.name,
        account: account.id,
        region: bucket.region ?? defaultRegion,
        creationDate: toDate(bucket.creationDate),
        ...(bucket.policy === undefined ? {} : { policy: bucket.policy }),
      });
    }
    for (const queue of account.queues ?? []) {
      const region = queue.region ?? defaultRegion;
      world.queues.set(queueKey(account.id, region, queue.name), {
        name: queue.name,
        account: account.id,
        region,
        createdTimestamp: EPOCH,
        attributes: {
          ...(queue.attributes ?? {}),
          ...(queue.policy === undefined ? {} : { Policy: queue.policy }),
        },
      });
    }
  };
  addAccount({
    id: management.id,
    name: management.name ?? 'management',
    email: management.email ?? `aws+management@example.com`,
    joinedMethod: 'CREATED',
  });
  fixture.accounts.forEach(addAccount);
  const credentials = management.credentials ?? {
    accessKeyId: `AKIA${randomUpper(random, 16)}`,
    secretAccessKey: randomLower(random, 40),
  };
  world.credentials.set(credentials.accessKeyId, {
    secretAccessKey: credentials.secretAccessKey,
    accountId: management.id,
    userName: 'sandbox-admin',
  });
  const delegated = fixture.delegatedAdministrator;
  if (delegated) {
    if (!world.accounts.has(delegated.accountId) || delegated.accountId === management.id) {
      throw new Error(`delegated administrator ${delegated.accountId} must be a member account`);
    }
    world.organization.delegatedAdministrators.add(delegated.accountId);
    const keys = delegated.credentials ?? {
      accessKeyId: `AKIA${randomUpper(random, 16)}`,
      secretAccessKey: randomLower(random, 40),
    };
    world.credentials.set(keys.accessKeyId, {
      secretAccessKey: keys.secretAccessKey,
      accountId: delegated.accountId,
      userName: 'sandbox-delegated-admin',
    });
  }
  // Last, so that policies' generated ids leave the other generated values as they were.
  world.organization.serviceControlPolicies = buildServiceControlPolicies(
    fixture,
    world,
    ouIdsByName,
    random,
  );
  return world;
}
