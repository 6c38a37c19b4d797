import type { FakeOrganization } from './fake-organization';
import type { WorkflowHarness } from './workflow-harness';

/**
 * Root-session secrets must never leave the handler that obtained them:
 * not into an execution's history (every state's input and output), not
 * into the table, not into a result event. Only the access key id may.
 */
export async function expectNoSessionSecrets(harness: WorkflowHarness, org: FakeOrganization): Promise<void> {
  const recorded = await harness.everythingRecorded();
  const leaked = org.secrets.filter((secret) => recorded.includes(secret));
  expect(leaked).toEqual([]);
}
