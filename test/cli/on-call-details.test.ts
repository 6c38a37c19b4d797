import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/local-stack';
import { LOCKED_BUCKET, MEMBER, organization, REGION } from './support/local-organization';
import { cliEnvironment, rootkeeper, type RunDocument } from './support/subprocess';

/**
 * Smaller items of the on-call issue, as real subprocesses against the
 * local stack: the undo hint carries --local; a policy grammar error names
 * the statement; `show RUN` prints one run in full; --endpoint-url sends
 * every call where it says, before the AWS_ENDPOINT_URL_* variables.
 */

let stack: LocalStack;
let env: Record<string, string>;
const scratch = mkdtempSync(path.join(tmpdir(), 'rootkeeper-details-'));

beforeAll(async () => {
  stack = await startLocalStack({
    sandbox: { organization: organization(true), region: REGION },
    retryDelayMs: 10,
  });
  env = cliEnvironment(stack.env);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** The environment of `rootkeeper --local`: no AWS_* variable, the local file instead. */
function localEnvironment(): Record<string, string> {
  const file = path.join(scratch, 'local.json');
  writeFileSync(
    file,
    JSON.stringify({
      region: stack.region,
      endpoints: stack.endpoints,
      outputs: stack.outputs,
      credentials: {
        accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
        secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
      },
    }),
  );
  const bare = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AWS_')));
  return { ...bare, ROOTKEEPER_LOCAL_FILE: file };
}

describe('the on-call details', () => {
  it('an unlock run with --local prints an undo command that has --local; show RUN prints that run', async () => {
    const unlock = await rootkeeper(
      [
        '--local',
        'unlock-s3',
        '--account',
        MEMBER,
        '--bucket',
        LOCKED_BUCKET,
        '--delete',
        '--reason',
        'locked',
        '--yes',
      ],
      localEnvironment(),
    );
    expect(unlock.code).toBe(0);
    expect(unlock.stdout).toMatch(/rootkeeper --local restore-policy --backup \S+/);

    const json = await rootkeeper(
      ['--local', 'history', '--account', MEMBER, '--outcome', 'UNLOCKED', '-o', 'json'],
      localEnvironment(),
    );
    const runId = json.json<{ runs: { runId: string }[] }>().runs[0]?.runId ?? '';
    expect(runId).toMatch(/^unlock-s3-/);
    const shown = await rootkeeper(['show', runId], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('UNLOCKED');
    expect(shown.stdout).toMatch(new RegExp(`^ +target +${LOCKED_BUCKET}$`, 'm'));
    expect(shown.stdout).toContain('locked');
    const shownJson = await rootkeeper(['show', runId, '-o', 'json'], env);
    expect(shownJson.json<RunDocument>().run).toMatchObject({ outcome: 'UNLOCKED', target: LOCKED_BUCKET });
  });

  it('a policy grammar error names the statement (its Sid) and --replace-with; exit 2', async () => {
    const file = path.join(scratch, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'First',
            Effect: 'Allow',
            Principal: { AWS: MEMBER },
            Action: 's3:GetObject',
            Resource: '*',
          },
          {
            Sid: 'Second',
            Effect: 'allow',
            Principal: { AWS: MEMBER },
            Action: 's3:GetObject',
            Resource: '*',
          },
        ],
      }),
    );
    const result = await rootkeeper(
      [
        'unlock-s3',
        '--account',
        MEMBER,
        '--bucket',
        'any-bucket',
        '--replace-with',
        file,
        '--reason',
        'r',
        '--yes',
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--replace-with');
    expect(result.stderr).toContain('(statement Sid "Second")');
  });

  it('--endpoint-url sends every call there, before AWS_ENDPOINT_URL_* (as the AWS CLI does)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(port));
      });
    });
    const here = await rootkeeper(['history', '-o', 'json'], env);
    expect(here.code).toBe(0);
    const elsewhere = await rootkeeper(
      ['--endpoint-url', `http://127.0.0.1:${closed}`, 'history', '-o', 'json'],
      env,
    );
    expect(elsewhere.code).toBe(3);
    expect(elsewhere.stderr).toContain(`127.0.0.1:${closed}`);
  });
});
