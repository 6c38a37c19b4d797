/**
 * A second client: the AWS CLI v1 (botocore) against the sandbox. Skipped, with a message, only when
 * `aws` is not on PATH (CI may lack it). The sandbox runs in this process, so the CLI runs asynchronously.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sandbox } from '../../sandbox';
import { INVITED, startTestSandbox, taskArn } from './helpers';

const run = promisify(execFile);
const hasAws = spawnSync('which', ['aws'], { encoding: 'utf8' }).status === 0;
if (!hasAws) console.warn('aws-cli.test: `aws` is not on PATH, the AWS CLI cross-check is skipped');
const testWithCli = hasAws ? test : test.skip;

interface CliCredentials {
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
}

describe('sandbox through the AWS CLI v1', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  const aws = async (args: string[], credentials: Record<string, string>): Promise<unknown> => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_DEFAULT_REGION: sandbox.region,
      ...credentials,
    };
    const { stdout } = await run('aws', [...args, '--output', 'json'], { env, encoding: 'utf8' });
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  testWithCli('aws sts assume-root, then aws iam get-account-summary in the session', async () => {
    const management = {
      AWS_ACCESS_KEY_ID: sandbox.managementCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.managementCredentials.secretAccessKey,
    };
    const assumed = (await aws(
      [
        'sts',
        'assume-root',
        '--target-principal',
        INVITED,
        '--task-policy-arn',
        `arn=${taskArn('IAMAuditRootUserCredentials')}`,
        '--duration-seconds',
        '300',
      ],
      management,
    )) as CliCredentials;
    expect(assumed.Credentials.AccessKeyId).toMatch(/^ASIA/);
    const session = {
      AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: assumed.Credentials.SessionToken,
    };
    const summary = (await aws(['iam', 'get-account-summary'], session)) as {
      SummaryMap: Record<string, number>;
    };
    expect(summary.SummaryMap).toMatchObject({ AccountPasswordPresent: 1, AccountMFAEnabled: 1 });
    const denied = aws(['iam', 'delete-login-profile'], session);
    await expect(denied).rejects.toMatchObject({
      stderr: expect.stringContaining('AccessDenied') as unknown,
    });
    const identity = (await aws(['sts', 'get-caller-identity'], session)) as { Arn: string };
    expect(identity.Arn).toBe(`arn:aws:iam::${INVITED}:root`);
  });
});
