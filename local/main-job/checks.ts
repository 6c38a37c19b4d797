import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Sandbox } from '../../sandbox';
import type { LocalStack } from '../local-stack';
import type { ResultItem } from './results-report';
import { KEY_PREFIX, POSTURE, resourceKey } from '../../lib/results-table-keys';

/** What the sandbox (the oracle) says about an account's root user: the names of what is left. */
export function remainingCredentials(sandbox: Sandbox, accountId: string): string[] {
  const { rootCredentials } = sandbox.state.account(accountId);
  return [
    rootCredentials.loginProfile === undefined ? undefined : 'password',
    ...rootCredentials.accessKeys.map((key) => `access key ${key.accessKeyId}`),
    ...rootCredentials.signingCertificates.map(
      (certificate) => `signing certificate ${certificate.certificateId}`,
    ),
    ...rootCredentials.mfaDevices
      .filter((device) => device.assigned)
      .map((device) => `MFA ${device.serialNumber}`),
  ].filter((item): item is string => item !== undefined);
}

/** The accounts an organization audit must record: ACTIVE members, the management account excluded. */
export function eligibleAccountIds(sandbox: Sandbox, protectedIds: readonly string[] = []): string[] {
  return sandbox.state
    .accounts()
    .filter(
      (account) =>
        account.status === 'ACTIVE' &&
        account.id !== sandbox.managementAccountId &&
        !protectedIds.includes(account.id),
    )
    .map((account) => account.id);
}

/** The policy backups of one resource, newest last. */
export async function backupsOf(stack: LocalStack, resourceArn: string): Promise<ResultItem[]> {
  const documents = DynamoDBDocumentClient.from(stack.table.client);
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: stack.table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :backup)',
      ExpressionAttributeValues: { ':pk': resourceKey(resourceArn), ':backup': KEY_PREFIX.backup },
    }),
  );
  return Items;
}

/**
 * Postures recorded in the table that disagree with the sandbox's true state,
 * and eligible accounts with no posture at all.
 */
export function postureMismatches(
  sandbox: Sandbox,
  items: readonly ResultItem[],
  accountIds: readonly string[],
): { missing: string[]; wrong: string[] } {
  const recorded = new Map<string, ResultItem>();
  for (const item of items) {
    if (item.SK === POSTURE && typeof item.PK === 'string')
      recorded.set(item.PK.replace(/^ACCOUNT#/, ''), item);
  }
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const id of accountIds) {
    const item = recorded.get(id);
    if (item === undefined) {
      missing.push(id);
      continue;
    }
    const truth = remainingCredentials(sandbox, id).length > 0;
    if (item.credentialsPresent !== truth) wrong.push(id);
  }
  return { missing, wrong };
}
