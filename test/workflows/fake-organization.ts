import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  AccountNotFoundException,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListParentsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRootCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export interface RootUser {
  password: boolean;
  accessKeys: string[];
  signingCertificates: string[];
  mfaSerials: string[];
}

interface FakeAccount {
  readonly id: string;
  readonly status: 'ACTIVE' | 'SUSPENDED';
  readonly root: RootUser;
}

const clean = (): RootUser => ({
  password: false,
  accessKeys: [],
  signingCertificates: [],
  mfaSerials: [],
});

/** Each session's access key id carries its account: ASIA + 12 digits + a counter. */
const accountOfKey = (accessKeyId: string) => accessKeyId.slice(4, 16);

const noSuchEntity = (what: string) =>
  new NoSuchEntityException({ message: `The ${what} cannot be found.`, $metadata: { httpStatusCode: 404 } });

/**
 * An organization behind aws-sdk-client-mock: STS AssumeRoot, the root
 * user's IAM calls (per account, told apart by the session's access key id)
 * and Organizations. Mocks patch the client prototypes, so the handlers
 * running in process under the local runner see them.
 */
export class FakeOrganization {
  readonly sts = mockClient(STSClient);
  readonly iam = mockClient(IAMClient);
  readonly organizations = mockClient(OrganizationsClient);
  readonly accounts = new Map<string, FakeAccount>();
  /** Secrets of every root session handed out: they must never be stored or recorded. */
  readonly secrets: string[] = [];
  /** Calls AssumeRoot answers with ThrottlingException before succeeding. */
  assumeRootThrottles = 0;
  /** When set, every IAM call fails with ServiceFailure (a transient AWS failure). */
  iamFailing = false;
  /** Accounts whose IAM calls fail with AccessDenied (say, an SCP in the way). */
  readonly iamDenied = new Set<string>();
  /** Last use of root access keys, by key id (GetAccessKeyLastUsed answers N/A for the others). */
  readonly keyLastUsed = new Map<string, { date: Date; service: string }>();
  private sessions = 0;

  constructor(readonly managementAccountId: string) {
    this.install();
  }

  add(id: string, root: RootUser = clean(), status: FakeAccount['status'] = 'ACTIVE'): void {
    this.accounts.set(id, { id, status, root });
  }

  root(id: string): RootUser {
    const account = this.accounts.get(id);
    if (account === undefined) throw new Error(`no account ${id}`);
    return account.root;
  }

  reset(): void {
    this.sts.reset();
    this.iam.reset();
    this.organizations.reset();
    this.accounts.clear();
    this.assumeRootThrottles = 0;
    this.iamFailing = false;
    this.iamDenied.clear();
    this.keyLastUsed.clear();
    this.install();
  }

  restore(): void {
    this.sts.restore();
    this.iam.restore();
    this.organizations.restore();
  }

  private install(): void {
    this.sts.on(AssumeRootCommand).callsFake((input: { TargetPrincipal: string }) => {
      if (this.assumeRootThrottles > 0) {
        this.assumeRootThrottles -= 1;
        throw new STSServiceException({
          name: 'Throttling',
          $fault: 'client',
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      }
      this.sessions += 1;
      const suffix = String(this.sessions).padStart(4, '0');
      const credentials = {
        AccessKeyId: `ASIA${input.TargetPrincipal}${suffix}`,
        SecretAccessKey: `fakeSecretAccessKey/${input.TargetPrincipal}/${suffix}/x9Qz`,
        SessionToken: `fakeSessionToken+${input.TargetPrincipal}+${suffix}+IQoJb3JpZ2lu`,
        Expiration: new Date(Date.now() + 900_000),
      };
      this.secrets.push(credentials.SecretAccessKey, credentials.SessionToken);
      return { Credentials: credentials };
    });
    this.installIam();
    this.installOrganizations();
  }

  private rootOfCaller = async (getClient: () => IAMClient): Promise<RootUser> => {
    if (this.iamFailing) {
      throw new IAMServiceException({
        name: 'ServiceFailure',
        $fault: 'server',
        message: 'Service failure',
        $metadata: { httpStatusCode: 500 },
      });
    }
    const identity = await getClient().config.credentials();
    const accountId = accountOfKey(identity.accessKeyId);
    if (this.iamDenied.has(accountId)) {
      throw new IAMServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: `User is not authorized to perform this action in ${accountId}`,
        $metadata: { httpStatusCode: 403 },
      });
    }
    return this.root(accountId);
  };

  private installIam(): void {
    const on = <T>(command: T, answer: (root: RootUser, input: Record<string, string>) => unknown) =>
      this.iam
        .on(command as never)
        .callsFake(async (input: Record<string, string>, getClient: () => IAMClient) =>
          answer(await this.rootOfCaller(getClient), input),
        );
    on(GetAccountSummaryCommand, (root) => ({
      SummaryMap: {
        AccountPasswordPresent: root.password ? 1 : 0,
        AccountAccessKeysPresent: root.accessKeys.length > 0 ? 1 : 0,
        AccountSigningCertificatesPresent: root.signingCertificates.length > 0 ? 1 : 0,
        AccountMFAEnabled: root.mfaSerials.length > 0 ? 1 : 0,
      },
    }));
    on(GetLoginProfileCommand, (root) => {
      if (!root.password) throw noSuchEntity('login profile');
      return { LoginProfile: { CreateDate: new Date('2024-01-01T00:00:00Z') } };
    });
    on(ListAccessKeysCommand, (root) => ({
      AccessKeyMetadata: root.accessKeys.map((AccessKeyId) => ({ AccessKeyId, Status: 'Active' })),
    }));
    on(GetAccessKeyLastUsedCommand, (_root, input) => {
      const used = this.keyLastUsed.get(input.AccessKeyId ?? '');
      return {
        AccessKeyLastUsed:
          used === undefined
            ? { ServiceName: 'N/A', Region: 'N/A' }
            : { LastUsedDate: used.date, ServiceName: used.service, Region: 'us-east-1' },
      };
    });
    on(ListSigningCertificatesCommand, (root) => ({
      Certificates: root.signingCertificates.map((CertificateId) => ({ CertificateId, Status: 'Active' })),
    }));
    on(ListMFADevicesCommand, (root) => ({
      MFADevices: root.mfaSerials.map((SerialNumber) => ({
        SerialNumber,
        EnableDate: new Date('2024-02-01'),
      })),
    }));
    on(DeleteLoginProfileCommand, (root) => {
      if (!root.password) throw noSuchEntity('login profile');
      root.password = false;
      return {};
    });
    const remove = (list: string[], item: string, what: string) => {
      const index = list.indexOf(item);
      if (index < 0) throw noSuchEntity(what);
      list.splice(index, 1);
      return {};
    };
    on(DeleteAccessKeyCommand, (root, input) =>
      remove(root.accessKeys, input.AccessKeyId ?? '', 'access key'),
    );
    on(DeleteSigningCertificateCommand, (root, input) =>
      remove(root.signingCertificates, input.CertificateId ?? '', 'certificate'),
    );
    on(DeactivateMFADeviceCommand, (root, input) =>
      remove(root.mfaSerials, input.SerialNumber ?? '', 'device'),
    );
    // The device was deactivated (removed from the list) just before: deleting it succeeds.
    on(DeleteVirtualMFADeviceCommand, () => ({}));
  }

  private installOrganizations(): void {
    this.organizations.on(DescribeOrganizationCommand).callsFake(() => ({
      Organization: { Id: 'o-abc123def4', MasterAccountId: this.managementAccountId, FeatureSet: 'ALL' },
    }));
    this.organizations.on(DescribeAccountCommand).callsFake((input: { AccountId: string }) => {
      const account = this.accounts.get(input.AccountId);
      if (account === undefined) {
        throw new AccountNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 400 } });
      }
      return { Account: this.describe(account) };
    });
    this.organizations.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
    this.organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
      const all = [...this.accounts.values()].map((account) => this.describe(account));
      const start = Number(input.NextToken ?? '0');
      const end = start + 20;
      return { Accounts: all.slice(start, end), NextToken: end < all.length ? String(end) : undefined };
    });
  }

  private describe(account: FakeAccount) {
    return {
      Id: account.id,
      Arn: `arn:aws:organizations::${this.managementAccountId}:account/o-abc123def4/${account.id}`,
      Name: `account-${account.id}`,
      Email: `root+${account.id}@example.com`,
      Status: account.status,
      State: account.status,
    };
  }
}
