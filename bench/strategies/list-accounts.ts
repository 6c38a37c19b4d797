/**
 * How the scripts enumerate: DescribeOrganization for the management
 * account (never a valid AssumeRoot target), then ListAccounts page by page,
 * keeping ACTIVE members. Both baselines list with 10 attempts per call:
 * with the SDK's default 3, a sequential pager of 10,000 accounts under the
 * Organizations bucket can lose its listing to a run of throttles, and the
 * comparison is about the audit, not about one unlucky page.
 */
import {
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import type { StrategyContext, Tally } from './context';

export interface Listing {
  readonly accountIds: string[];
  readonly listedAccounts: number;
  readonly pages: number;
  readonly ms: number;
}

export async function listActiveMembers(context: StrategyContext, tally: Tally): Promise<Listing> {
  const started = performance.now();
  const client = new OrganizationsClient({
    endpoint: context.endpoint,
    region: context.region,
    credentials: context.credentials,
    maxAttempts: 10,
  });
  try {
    const organization = await client.send(new DescribeOrganizationCommand({}));
    tally.attempts(organization);
    const management = organization.Organization?.MasterAccountId;
    const accountIds: string[] = [];
    let listed = 0;
    let pages = 0;
    for await (const page of paginateListAccounts({ client }, {})) {
      tally.attempts(page);
      pages += 1;
      for (const account of page.Accounts ?? []) {
        listed += 1;
        // State replaces Status (retired in September 2026); read Status only when State is absent.
        const active = (account.State ?? account.Status) === 'ACTIVE';
        if (account.Id && account.Id !== management && active) accountIds.push(account.Id);
      }
    }
    return { accountIds, listedAccounts: listed, pages, ms: performance.now() - started };
  } catch (error) {
    tally.fail('ListAccounts', error);
    throw error;
  } finally {
    client.destroy();
  }
}
