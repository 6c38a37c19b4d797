import type { FakeOrganization } from './fake-organization';
import type { WorkflowHarness } from './workflow-harness';

/**
 * Root-session secrets (secret access key, session token) must never leave
 * the handler that obtained them: not into an execution's history (every
 * state's input and output), the table, a result event, or any handler's
 * log. Only the access key id may. Lists each leak as `place: secret…`.
 */
export async function sessionSecretLeaks(harness: WorkflowHarness, org: FakeOrganization): Promise<string[]> {
  const places = Object.entries(await harness.everythingRecorded());
  return org.secrets.flatMap((secret) =>
    places.filter(([, text]) => text.includes(secret)).map(([place]) => `${place}: ${secret.slice(0, 6)}…`),
  );
}

export async function expectNoSessionSecrets(harness: WorkflowHarness, org: FakeOrganization): Promise<void> {
  expect(await sessionSecretLeaks(harness, org)).toEqual([]);
}
