import { startLocalStack, type LocalStack } from '../../local/local-stack';
import { organization, REGION } from './support/local-organization';
import { cliEnvironment, rootkeeper } from './support/subprocess';

/** `status` and `enable` against an organization where centralized root access is still off. */

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({ sandbox: { organization: organization(false), region: REGION } });
  env = cliEnvironment(stack.env);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

interface Steps {
  steps: { step: string; status: string }[];
}

it('shows the features off, refuses to enable without a terminal or --yes, then enables in order', async () => {
  const before = await rootkeeper(['status', '-o', 'json'], env);
  expect(before.code).toBe(0);
  expect(before.json()).toMatchObject({ organization: { trustedAccess: false, ready: false } });

  const refused = await rootkeeper(['enable'], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--yes');
  expect(stack.sandbox.state.organization().trustedAccess).not.toContain('iam.amazonaws.com');

  const enabled = await rootkeeper(['enable', '--yes', '-o', 'json'], env);
  expect(enabled.code).toBe(0);
  expect(enabled.json<Steps>().steps.map((step) => step.status)).toEqual(['ENABLED', 'ENABLED', 'ENABLED']);

  expect(stack.sandbox.state.organization()).toMatchObject({
    trustedAccess: expect.arrayContaining(['iam.amazonaws.com']) as string[],
    features: { rootCredentialsManagement: true, rootSessions: true },
  });
});
