import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { eligibleAccountIds, remainingCredentials } from '../../local/main-job/checks';
import type { Sandbox } from '../../sandbox';
import { closeE2eStacks, E2E_START_TIMEOUT_MS, startE2eStack, type E2eStack } from './support/e2e-stack';
import { allowLoopbackOnly } from './support/loopback-guard';

/**
 * Option securityHubFindings on the local stack: the organization audit's
 * shards publish their findings to the sandbox's Security Hub, read back
 * with GetFindings and compared with the sandbox's own root credentials.
 */

allowLoopbackOnly();

let e2e: E2eStack;
let securityHub: SecurityHubClient;
const ON_CALL = { requestedBy: 'e2e@example.com', reason: 'security hub findings e2e' };

beforeAll(async () => {
  e2e = await startE2eStack({
    accounts: 12,
    seed: 3,
    // First-seen accounts stay as they are: the truth must not move during the audit.
    config: { securityHubFindings: true, secureFirstSeenOnAudit: false, auditShardSize: 5 },
  });
  securityHub = new SecurityHubClient({
    region: e2e.stack.region,
    endpoint: e2e.stack.endpoints.sandbox,
    credentials: e2e.stack.sandbox.managementCredentials,
  });
}, E2E_START_TIMEOUT_MS);

afterAll(async () => {
  securityHub?.destroy();
  await closeE2eStacks();
});

/** The severity the documentation promises, from the sandbox's own state. */
function expectedSeverity(sandbox: Sandbox, accountId: string): string | undefined {
  const { rootCredentials } = sandbox.state.account(accountId);
  if (rootCredentials.accessKeys.length > 0) return 'CRITICAL';
  if (rootCredentials.loginProfile !== undefined || rootCredentials.signingCertificates.length > 0)
    return 'HIGH';
  if (rootCredentials.mfaDevices.some((device) => device.assigned)) return 'LOW';
  return undefined;
}

async function allFindings(): Promise<AwsSecurityFinding[]> {
  const findings: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await securityHub.send(new GetFindingsCommand({ MaxResults: 100, NextToken }));
    findings.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return findings;
}

/** By member account (the finding's resource): record state, workflow and severity. */
async function findingsByAccount(): Promise<
  Map<string, { record?: string; workflow?: string; severity?: string }>
> {
  const byAccount = new Map<string, { record?: string; workflow?: string; severity?: string }>();
  for (const finding of await allFindings()) {
    const accountId = finding.Resources?.[0]?.Id?.replace('AWS::::Account:', '') ?? '';
    expect(byAccount.has(accountId)).toBe(false);
    byAccount.set(accountId, {
      record: finding.RecordState,
      workflow: finding.Workflow?.Status,
      severity: finding.Severity?.Label,
    });
  }
  return byAccount;
}

/** What Security Hub should hold for each eligible account, from the sandbox's truth. */
function truth(sandbox: Sandbox) {
  return new Map(
    eligibleAccountIds(sandbox).map((accountId) => {
      const severity = expectedSeverity(sandbox, accountId);
      return [
        accountId,
        severity === undefined
          ? { record: 'ARCHIVED', workflow: 'RESOLVED', severity: 'INFORMATIONAL' }
          : { record: 'ACTIVE', workflow: 'NEW', severity },
      ];
    }),
  );
}

test('an organization audit publishes one finding per account that matches the sandbox, and a second audit resolves a cleaned account', async () => {
  const sandbox = e2e.stack.sandbox;
  const first = await e2e.run('auditOrganization', ON_CALL);
  expect(first.status).toBe('SUCCEEDED');
  const expected = truth(sandbox);
  const withCredentials = [...expected].filter(([, finding]) => finding.record === 'ACTIVE');
  // The generated organization has both kinds, or the test proves little.
  expect(withCredentials.length).toBeGreaterThan(0);
  expect(withCredentials.length).toBeLessThan(expected.size);
  expect(await findingsByAccount()).toEqual(expected);

  // One account is cleaned by the service, then audited again.
  const [cleaned] = withCredentials.map(([accountId]) => accountId);
  const removed = await e2e.run('deleteRootCredentials', { accountId: cleaned, ...ON_CALL });
  expect(removed.output).toMatchObject({ outcome: 'REMEDIATED' });
  expect(remainingCredentials(sandbox, cleaned!)).toEqual([]);
  expect((await findingsByAccount()).get(cleaned!)).toMatchObject({ record: 'ACTIVE' });

  const second = await e2e.run('auditOrganization', ON_CALL);
  expect(second.status).toBe('SUCCEEDED');
  const after = await findingsByAccount();
  expect(after.get(cleaned!)).toEqual({
    record: 'ARCHIVED',
    workflow: 'RESOLVED',
    severity: 'INFORMATIONAL',
  });
  expect(after).toEqual(truth(sandbox));
}, 120_000);
