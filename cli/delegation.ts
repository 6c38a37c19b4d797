import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListDelegatedAdministratorsCommand,
  RegisterDelegatedAdministratorCommand,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsCall } from './aws-call';
import type { CliContext } from './context';
import { IAM_SERVICE_PRINCIPAL } from './features';

/**
 * Where the command line runs, for the delegated-admin deployment: Rootkeeper
 * in the IAM delegated administrator needs the registration (which also lets
 * it call ListAccounts, DescribeAccount and ListParents: the Organizations API
 * reference says they "can be called only from the organization's management
 * account or by a member account that is a delegated administrator").
 */
export interface DelegationState {
  readonly account: string;
  /** null when Organizations would not say. */
  readonly managementAccount: string | null;
  /** null when the caller may not ask (only the management account or a delegated administrator may). */
  readonly iamDelegatedAdministrator: boolean | null;
  readonly canListOrganization: boolean;
}

/** An answer rather than a failure: the caller is not allowed, or there is no organization. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof Error && /AccessDenied|AWSOrganizationsNotInUse/.test(`${error.name} ${error.message}`)
  );
}

async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isRefusal(error)) return null;
    throw error;
  }
}

export async function delegatedAdministrators(ctx: CliContext): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.organizations.send(
      new ListDelegatedAdministratorsCommand({
        ServicePrincipal: IAM_SERVICE_PRINCIPAL,
        NextToken: nextToken,
      }),
    );
    ids.push(...(page.DelegatedAdministrators ?? []).flatMap((account) => (account.Id ? [account.Id] : [])));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return ids;
}

export async function readDelegation(ctx: CliContext): Promise<DelegationState> {
  const identity = await awsCall('sts:GetCallerIdentity', () =>
    ctx.sts.send(new GetCallerIdentityCommand({})),
  );
  const account = identity.Account ?? '';
  const organization = await orNull(() => ctx.organizations.send(new DescribeOrganizationCommand({})));
  const delegated = await orNull(() => delegatedAdministrators(ctx));
  const listed = await orNull(() => ctx.organizations.send(new ListAccountsCommand({ MaxResults: 1 })));
  return {
    account,
    managementAccount: organization?.Organization?.MasterAccountId ?? null,
    iamDelegatedAdministrator: delegated === null ? null : delegated.includes(account),
    canListOrganization: listed !== null,
  };
}

/** The registration `rootkeeper enable --delegate` performs; already registered counts as done. */
export async function registerDelegatedAdministrator(ctx: CliContext, accountId: string): Promise<void> {
  try {
    await ctx.organizations.send(
      new RegisterDelegatedAdministratorCommand({
        AccountId: accountId,
        ServicePrincipal: IAM_SERVICE_PRINCIPAL,
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'AccountAlreadyRegisteredException') return;
    throw error;
  }
}
