/** Typed read-back (and test-side edits) of the sandbox organization. Reads return copies. */
import type {
  Account,
  Bucket,
  Organization,
  OrganizationalUnit,
  Queue,
  RootSession,
  RootTask,
  World,
} from './model';
import { queueKey } from './model';

export interface OrganizationView {
  id: string;
  rootId: string;
  partition: string;
  managementAccountId: string;
  features: { rootCredentialsManagement: boolean; rootSessions: boolean };
  trustedAccess: string[];
  delegatedAdministrators: string[];
}

export interface SessionView {
  accessKeyId: string;
  accountId: string;
  task: RootTask;
  taskPolicyArn: string;
  issuedAt: Date;
  expiration: Date;
  issuedTo: string;
}

export interface SandboxState {
  organization(): OrganizationView;
  /** All accounts, the management account first. */
  accounts(): Account[];
  /** One account with its root credentials; throws on an unknown id. */
  account(id: string): Account;
  organizationalUnits(): OrganizationalUnit[];
  bucket(name: string): Bucket | undefined;
  buckets(accountId?: string): Bucket[];
  queue(accountId: string, name: string, region?: string): Queue | undefined;
  queues(accountId?: string): Queue[];
  /** Root sessions issued so far (no secrets). */
  sessions(): SessionView[];
  /** Edit the live state (for tests that set up a situation mid-run). */
  updateAccount(id: string, edit: (account: Account) => void): void;
  updateOrganization(edit: (organization: Organization) => void): void;
}

const copy = <T>(value: T): T => structuredClone(value);

export function createState(world: World, defaultRegion: string): SandboxState {
  const live = (id: string): Account => {
    const account = world.accounts.get(id);
    if (!account) throw new Error(`sandbox: no account ${id}`);
    return account;
  };
  const sessionView = (session: RootSession): SessionView => ({
    accessKeyId: session.accessKeyId,
    accountId: session.accountId,
    task: session.task,
    taskPolicyArn: session.taskPolicyArn,
    issuedAt: new Date(session.issuedAt),
    expiration: new Date(session.expiration),
    issuedTo: session.issuedTo,
  });
  return {
    organization: () => {
      const org = world.organization;
      return {
        id: org.id,
        rootId: org.rootId,
        partition: org.partition,
        managementAccountId: org.managementAccountId,
        features: { ...org.features },
        trustedAccess: [...org.trustedAccess.keys()],
        delegatedAdministrators: [...org.delegatedAdministrators],
      };
    },
    accounts: () => [...world.accounts.values()].map(copy),
    account: (id) => copy(live(id)),
    organizationalUnits: () => [...world.organizationalUnits.values()].map(copy),
    bucket: (name) => {
      const bucket = world.buckets.get(name);
      return bucket ? copy(bucket) : undefined;
    },
    buckets: (accountId) =>
      [...world.buckets.values()].filter((b) => accountId === undefined || b.account === accountId).map(copy),
    queue: (accountId, name, region = defaultRegion) => {
      const queue = world.queues.get(queueKey(accountId, region, name));
      return queue ? copy(queue) : undefined;
    },
    queues: (accountId) =>
      [...world.queues.values()].filter((q) => accountId === undefined || q.account === accountId).map(copy),
    sessions: () => [...world.sessions.values()].map(sessionView),
    updateAccount: (id, edit) => edit(live(id)),
    updateOrganization: (edit) => edit(world.organization),
  };
}
