import { cliEnvironment, rootkeeper } from './support/subprocess';

/**
 * No region anywhere (no --region, no AWS_REGION, no profile region): every
 * command that calls AWS says the same thing with the same exit code,
 * whichever AWS call it happens to make first.
 */

const MESSAGE =
  'error: --region: no AWS region configured: pass --region, set AWS_REGION, or give the profile a region';

const ACCOUNT = '111122223333';
const COMMANDS: readonly (readonly string[])[] = [
  ['status'],
  ['history'],
  ['report'],
  ['audit', '--account', ACCOUNT],
  ['delete-root-credentials', '--account', ACCOUNT, '--reason', 'why not', '--yes'],
  ['unlock-s3', '--account', ACCOUNT, '--bucket', 'app-logs', '--delete', '--reason', 'why not', '--yes'],
  [
    'unlock-sqs',
    '--account',
    ACCOUNT,
    '--queue-url',
    `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/orders`,
    '--delete',
    '--reason',
    'why not',
    '--yes',
  ],
  ['enable-recovery', '--account', ACCOUNT, '--reason', 'why not', '--yes'],
  [
    'restore-policy',
    '--backup',
    'unlock-s3-111122223333-0123456789abcdef0123',
    '--reason',
    'why not',
    '--yes',
  ],
  ['watch', 'unlock-s3-111122223333-0123456789abcdef0123'],
  ['show', 'unlock-s3-111122223333-0123456789abcdef0123'],
];

describe('one region error for all commands', () => {
  const env = cliEnvironment({});

  it.each(COMMANDS.map((args) => [args.join(' '), args] as const))(
    '%s: the same message, exit 2, in human and JSON output',
    async (_name, args) => {
      const human = await rootkeeper(args, env);
      expect({ code: human.code, stderr: human.stderr.trim() }).toEqual({ code: 2, stderr: MESSAGE });
      const json = await rootkeeper([...args, '--output', 'json'], env);
      expect(json.code).toBe(2);
      expect(json.json()).toMatchObject({ ok: false, exitCode: 2, error: { name: 'UsageError' } });
    },
    30_000,
  );
});
