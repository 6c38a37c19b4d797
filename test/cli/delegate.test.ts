import { startLocalStack, type LocalStack } from '../../local/local-stack';
import { CLEAN, MANAGEMENT, MEMBER, organization, REGION } from './support/local-organization';
import { cliEnvironment, rootkeeper } from './support/subprocess';

/** `status` says where it runs; `enable --delegate` registers the delegated administrator for IAM. */

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({
    sandbox: {
      organization: { ...organization(true), delegatedAdministrator: { accountId: CLEAN } },
      region: REGION,
    },
  });
  env = cliEnvironment(stack.env);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

interface Status {
  deployment: {
    account: string;
    managementAccount: string | null;
    iamDelegatedAdministrator: boolean | null;
    canListOrganization: boolean;
  };
}
interface Steps {
  steps: { step: string; status: string }[];
}

it('reports the management account, and a delegated administrator that can list the organization', async () => {
  const management = await rootkeeper(['status', '-o', 'json'], env);
  expect(management.code).toBe(0);
  expect(management.json<Status>().deployment).toEqual({
    account: MANAGEMENT,
    managementAccount: MANAGEMENT,
    iamDelegatedAdministrator: false,
    canListOrganization: true,
  });
  const credentials = stack.sandbox.delegatedAdministratorCredentials!;
  const delegated = await rootkeeper(['status', '-o', 'json'], {
    ...env,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
  expect(delegated.code).toBe(0);
  expect(delegated.json<Status>().deployment).toMatchObject({
    account: CLEAN,
    iamDelegatedAdministrator: true,
    canListOrganization: true,
  });
});

it('refuses a malformed account id, naming the flag, and changes nothing', async () => {
  const refused = await rootkeeper(['enable', '--delegate', '1234', '--yes'], env);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('--delegate: must be a 12-digit account id, got "1234"');
  expect(stack.sandbox.state.organization().delegatedAdministrators).toEqual([CLEAN]);
});

it('registers the account once; a second run finds it done', async () => {
  const first = await rootkeeper(['enable', '--delegate', MEMBER, '--yes', '-o', 'json'], env);
  expect(first.code).toBe(0);
  expect(first.json<Steps>().steps.at(-1)).toEqual({
    step: `delegated administrator for IAM: ${MEMBER}`,
    action: 'organizations:RegisterDelegatedAdministrator',
    status: 'ENABLED',
  });
  expect(stack.sandbox.state.organization().delegatedAdministrators).toEqual([CLEAN, MEMBER]);
  const second = await rootkeeper(['enable', '--delegate', MEMBER, '--yes', '-o', 'json'], env);
  expect(second.json<Steps>().steps.map((step) => step.status)).toEqual([
    'ALREADY_ENABLED',
    'ALREADY_ENABLED',
    'ALREADY_ENABLED',
    'ALREADY_ENABLED',
  ]);
});
