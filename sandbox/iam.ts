/** IAM (query protocol, 2010-05-08): the root user's credentials in a root session, and the feature APIs. */
import { authorize } from './authorization';
import type { RequestContext } from './context';
import { now } from './context';
import type { Account } from './model';
import type { Reply } from './protocol';
import { ApiError, QUERY_NAMESPACE, commonError, queryReply } from './protocol';
import type { XmlNode } from './xml';
import { entries, members } from './xml';

type Params = URLSearchParams;
const noSuchEntity = (message: string): ApiError => new ApiError('NoSuchEntity', message, 404);

function rootAccount(ctx: RequestContext, params: Params): Account {
  const account = ctx.world.accounts.get(ctx.caller.accountId);
  if (!account) throw noSuchEntity(`The account ${ctx.caller.accountId} cannot be found.`);
  const userName = params.get('UserName');
  if (userName !== null) {
    throw commonError(
      'query',
      'AccessDenied',
      `User: ${ctx.caller.arn} is not authorized to perform this action on resource: ` +
        `arn:${ctx.world.organization.partition}:iam::${account.id}:user/${userName} (a root session acts on the root user only)`,
    );
  }
  return account;
}

const ok = (ctx: RequestContext, action: string, result: XmlNode[] = []): Reply =>
  queryReply(action, QUERY_NAMESPACE.iam, result, ctx.requestId);

const list = (name: string, items: XmlNode[][]): XmlNode[] => [
  [name, members(items)],
  ['IsTruncated', false],
];

type RootHandler = (ctx: RequestContext, account: Account, params: Params) => Reply;

const ROOT_HANDLERS: Record<string, RootHandler> = {
  GetAccountSummary: (ctx, { rootCredentials: c }) => {
    const assigned = c.mfaDevices.filter((d) => d.assigned).length;
    const summary: Record<string, number> = {
      AccountPasswordPresent: c.loginProfile ? 1 : 0,
      AccountAccessKeysPresent: c.accessKeys.length > 0 ? 1 : 0,
      AccountSigningCertificatesPresent: c.signingCertificates.length > 0 ? 1 : 0,
      AccountMFAEnabled: assigned > 0 ? 1 : 0,
      MFADevices: c.mfaDevices.length,
      MFADevicesInUse: assigned,
      Users: 0,
      UsersQuota: 5000,
      Groups: 0,
      GroupsQuota: 300,
      Roles: 0,
      RolesQuota: 1000,
      Policies: 0,
      PoliciesQuota: 1500,
      ServerCertificates: 0,
      ServerCertificatesQuota: 20,
      InstanceProfiles: 0,
      InstanceProfilesQuota: 1000,
      Providers: 0,
      AccessKeysPerUserQuota: 2,
      SigningCertificatesPerUserQuota: 2,
      GroupsPerUserQuota: 10,
      AttachedPoliciesPerUserQuota: 10,
      AttachedPoliciesPerGroupQuota: 10,
      AttachedPoliciesPerRoleQuota: 10,
      PolicySizeQuota: 6144,
      PolicyVersionsInUse: 0,
      PolicyVersionsInUseQuota: 10000,
      VersionsPerPolicyQuota: 5,
      GlobalEndpointTokenVersion: 1,
    };
    return ok(ctx, 'GetAccountSummary', [['SummaryMap', entries(summary)]]);
  },
  GetUser: (ctx, account) =>
    ok(ctx, 'GetUser', [
      [
        'User',
        [
          ['UserId', account.id],
          ['Arn', `arn:${ctx.world.organization.partition}:iam::${account.id}:root`],
          ['CreateDate', account.joinedTimestamp],
        ],
      ],
    ]),
  GetLoginProfile: (ctx, account) => {
    const profile = account.rootCredentials.loginProfile;
    if (!profile) throw noSuchEntity(`Login Profile for User root cannot be found.`);
    return ok(ctx, 'GetLoginProfile', [
      [
        'LoginProfile',
        [
          ['CreateDate', profile.createDate],
          ['PasswordResetRequired', profile.passwordResetRequired],
        ],
      ],
    ]);
  },
  CreateLoginProfile: (ctx, account, params) => {
    if (params.get('Password') !== null) {
      throw new ApiError(
        'InvalidInput',
        'A password cannot be set for the root user in a root session.',
        400,
      );
    }
    if (account.rootCredentials.loginProfile) {
      throw new ApiError('EntityAlreadyExists', 'Login Profile for user root already exists.', 409);
    }
    const profile = { createDate: now(ctx), passwordResetRequired: false };
    account.rootCredentials.loginProfile = profile;
    return ok(ctx, 'CreateLoginProfile', [
      [
        'LoginProfile',
        [
          ['CreateDate', profile.createDate],
          ['PasswordResetRequired', false],
        ],
      ],
    ]);
  },
  DeleteLoginProfile: (ctx, account) => {
    if (!account.rootCredentials.loginProfile)
      throw noSuchEntity('Login Profile for User root cannot be found.');
    delete account.rootCredentials.loginProfile;
    return ok(ctx, 'DeleteLoginProfile');
  },
  ListAccessKeys: (ctx, account) =>
    ok(
      ctx,
      'ListAccessKeys',
      list(
        'AccessKeyMetadata',
        account.rootCredentials.accessKeys.map((key) => [
          ['AccessKeyId', key.accessKeyId],
          ['Status', key.status],
          ['CreateDate', key.createDate],
        ]),
      ),
    ),
  GetAccessKeyLastUsed: (ctx, account, params) => {
    const id = params.get('AccessKeyId') ?? '';
    const key = account.rootCredentials.accessKeys.find((k) => k.accessKeyId === id);
    if (!key) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    const used = key.lastUsed;
    return ok(ctx, 'GetAccessKeyLastUsed', [
      [
        'AccessKeyLastUsed',
        [
          ['LastUsedDate', used?.date],
          ['ServiceName', used?.serviceName ?? 'N/A'],
          ['Region', used?.region ?? 'N/A'],
        ],
      ],
    ]);
  },
  DeleteAccessKey: (ctx, account, params) => {
    const id = params.get('AccessKeyId') ?? '';
    const keys = account.rootCredentials.accessKeys;
    const index = keys.findIndex((k) => k.accessKeyId === id);
    if (index < 0) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    keys.splice(index, 1);
    return ok(ctx, 'DeleteAccessKey');
  },
  ListSigningCertificates: (ctx, account) =>
    ok(
      ctx,
      'ListSigningCertificates',
      list(
        'Certificates',
        account.rootCredentials.signingCertificates.map((cert) => [
          ['CertificateId', cert.certificateId],
          ['CertificateBody', cert.body],
          ['Status', cert.status],
          ['UploadDate', cert.uploadDate],
        ]),
      ),
    ),
  DeleteSigningCertificate: (ctx, account, params) => {
    const id = params.get('CertificateId') ?? '';
    const certs = account.rootCredentials.signingCertificates;
    const index = certs.findIndex((c) => c.certificateId === id);
    if (index < 0) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
    certs.splice(index, 1);
    return ok(ctx, 'DeleteSigningCertificate');
  },
  ListMFADevices: (ctx, account) =>
    ok(
      ctx,
      'ListMFADevices',
      list(
        'MFADevices',
        account.rootCredentials.mfaDevices
          .filter((d) => d.assigned)
          .map((d) => [
            ['SerialNumber', d.serialNumber],
            ['EnableDate', d.enableDate],
          ]),
      ),
    ),
  DeactivateMFADevice: (ctx, account, params) => {
    const serial = params.get('SerialNumber') ?? '';
    const devices = account.rootCredentials.mfaDevices;
    const device = devices.find((d) => d.serialNumber === serial && d.assigned);
    if (!device) throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
    if (device.type === 'virtual') device.assigned = false;
    else devices.splice(devices.indexOf(device), 1);
    return ok(ctx, 'DeactivateMFADevice');
  },
  DeleteVirtualMFADevice: (ctx, account, params) => {
    const serial = params.get('SerialNumber') ?? '';
    const devices = account.rootCredentials.mfaDevices;
    const device = devices.find((d) => d.serialNumber === serial && d.type === 'virtual');
    if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
    if (device.assigned) throw new ApiError('DeleteConflict', 'MFA Device is still in use.', 409);
    devices.splice(devices.indexOf(device), 1);
    return ok(ctx, 'DeleteVirtualMFADevice');
  },
};

function features(
  ctx: RequestContext,
  action: string,
  enable?: 'rootCredentialsManagement' | 'rootSessions',
) {
  const org = ctx.world.organization;
  const isManagement = ctx.caller.accountId === org.managementAccountId;
  if (enable && !isManagement && org.delegatedAdministrators.has(ctx.caller.accountId)) {
    throw new ApiError(
      'CallerIsNotManagementAccountException',
      'The request was rejected because the account making the request is not the management account.',
      400,
    );
  }
  if (!isManagement && !org.delegatedAdministrators.has(ctx.caller.accountId)) {
    throw new ApiError(
      'AccountNotManagementOrDelegatedAdministratorException',
      'The caller is not the management account or a delegated administrator.',
      400,
    );
  }
  if (!org.trustedAccess.has('iam.amazonaws.com')) {
    throw new ApiError(
      'ServiceAccessNotEnabledException',
      'Trusted access is not enabled for iam.amazonaws.com in AWS Organizations.',
      400,
    );
  }
  if (enable) org.features[enable] = true;
  const enabled: string[] = [];
  if (org.features.rootCredentialsManagement) enabled.push('RootCredentialsManagement');
  if (org.features.rootSessions) enabled.push('RootSessions');
  return ok(ctx, action, [
    ['OrganizationId', org.id],
    ['EnabledFeatures', members(enabled)],
  ]);
}

const FEATURE_ACTIONS: Record<string, 'rootCredentialsManagement' | 'rootSessions' | undefined> = {
  ListOrganizationsFeatures: undefined,
  EnableOrganizationsRootCredentialsManagement: 'rootCredentialsManagement',
  EnableOrganizationsRootSessions: 'rootSessions',
};

export function handleIam(ctx: RequestContext, action: string, params: Params): Reply {
  const rootHandler = ROOT_HANDLERS[action];
  if (rootHandler) {
    authorize('query', ctx.caller, `iam:${action}`, { account: ctx.caller.accountId });
    if (ctx.caller.kind !== 'root-session') {
      throw commonError(
        'query',
        'AccessDenied',
        `User: ${ctx.caller.arn} is not authorized to perform: iam:${action}`,
      );
    }
    return rootHandler(ctx, rootAccount(ctx, params), params);
  }
  if (action in FEATURE_ACTIONS) {
    authorize('query', ctx.caller, `iam:${action}`);
    return features(ctx, action, FEATURE_ACTIONS[action]);
  }
  throw commonError('query', 'UnknownOperation', `Could not find operation ${action} for version 2010-05-08`);
}
