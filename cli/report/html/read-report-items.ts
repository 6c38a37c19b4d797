import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { outcomeKey, POSTURE } from '../../../lib/results-table-keys';
import { RESULTS_TABLE_INDEX_NAME } from '../../../lib/results-table-schema';
import { awsCall } from '../../aws-call';
import type { Item } from '../../run-record';
import { OUTCOMES } from '../../runs-query';

/**
 * The items the HTML report is computed from, read with Query only (what
 * the on-call policy grants): every posture, the runs of each outcome since
 * the window, and every unlock run whatever its age, since a policy backup
 * stays pending until it is put back.
 */

async function queryAll(ddb: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb:Query', () =>
      ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

function byIndex(table: string, partition: string, since?: string): QueryCommandInput {
  return {
    TableName: table,
    IndexName: RESULTS_TABLE_INDEX_NAME,
    KeyConditionExpression: since === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND GSI1SK >= :since',
    ExpressionAttributeValues:
      since === undefined ? { ':pk': partition } : { ':pk': partition, ':since': since },
  };
}

export async function readReportItems(
  ddb: DynamoDBDocumentClient,
  table: string,
  since: string,
): Promise<Item[]> {
  const pages = await Promise.all([
    queryAll(ddb, byIndex(table, POSTURE)),
    ...OUTCOMES.map((outcome) =>
      queryAll(ddb, byIndex(table, outcomeKey(outcome), outcome === 'UNLOCKED' ? undefined : since)),
    ),
  ]);
  return pages.flat();
}

/**
 * Account id to the name of its parent OU ("Root" for accounts directly
 * under the root), walking the tree one parent at a time because
 * Organizations throttles parallel callers.
 */
export async function readOuNames(organizations: OrganizationsClient): Promise<Map<string, string>> {
  const ouOf = new Map<string, string>();
  const roots = await awsCall('organizations:ListRoots', () => organizations.send(new ListRootsCommand({})));
  const pending = (roots.Roots ?? []).map((root) => ({ id: root.Id ?? '', name: 'Root' }));
  for (let parent = pending.pop(); parent !== undefined; parent = pending.pop()) {
    let token: string | undefined;
    do {
      const page = await awsCall('organizations:ListAccountsForParent', () =>
        organizations.send(new ListAccountsForParentCommand({ ParentId: parent.id, NextToken: token })),
      );
      for (const account of page.Accounts ?? []) if (account.Id) ouOf.set(account.Id, parent.name);
      token = page.NextToken;
    } while (token !== undefined);
    do {
      const page = await awsCall('organizations:ListOrganizationalUnitsForParent', () =>
        organizations.send(
          new ListOrganizationalUnitsForParentCommand({ ParentId: parent.id, NextToken: token }),
        ),
      );
      for (const ou of page.OrganizationalUnits ?? [])
        if (ou.Id) pending.push({ id: ou.Id, name: ou.Name ?? ou.Id });
      token = page.NextToken;
    } while (token !== undefined);
  }
  return ouOf;
}
