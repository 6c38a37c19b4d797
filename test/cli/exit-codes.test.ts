import { CommanderError } from 'commander';
import { InvalidInputError } from '../../lambdas/root-access/errors';
import { AwsCallError, EXIT, UsageError } from '../../cli/errors';
import { exitCodeOfRun, missingPermissionIn, toAwsCallError, toCliError } from '../../cli/exit-codes';
import { checkFlag, flagOfField } from '../../cli/flags';

function sdkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

describe('exit code of a finished run', () => {
  it.each([
    ['SUCCEEDED', 'UNLOCKED', EXIT.DONE],
    ['SUCCEEDED', 'NOTHING_TO_UNLOCK', EXIT.DONE],
    ['SUCCEEDED', 'CLEAN', EXIT.DONE],
    ['SUCCEEDED', 'PLANNED', EXIT.DONE],
    ['SUCCEEDED', 'SKIPPED', EXIT.NOT_REACHED],
    ['SUCCEEDED', 'REJECTED', EXIT.NOT_REACHED],
    ['SUCCEEDED', 'FAILED', EXIT.NOT_REACHED],
    ['FAILED', 'UNLOCKED', EXIT.NOT_REACHED],
    ['TIMED_OUT', undefined, EXIT.NOT_REACHED],
    ['ABORTED', undefined, EXIT.NOT_REACHED],
  ])('%s with outcome %s exits %d', (status, outcome, code) => {
    expect(exitCodeOfRun(status, outcome)).toBe(code);
  });
});

describe('validation errors name the flag', () => {
  it.each([
    ['accountId', '--account'],
    ['bucketName', '--bucket'],
    ['queueUrl', '--queue-url'],
    ['replacementPolicy', '--replace-with'],
    ['reason', '--reason'],
    ['ticket', '--ticket'],
  ])('%s is reported as %s', (field, flag) => {
    expect(flagOfField(field)).toBe(flag);
    const error = toCliError(new InvalidInputError(field, 'is wrong'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(EXIT.USAGE);
    expect(error.message).toBe(`${flag}: is wrong`);
  });

  it('lets a command say which flag fed a field', () => {
    expect(() =>
      checkFlag(() => {
        throw new InvalidInputError('accountId', 'must be exactly 12 digits');
      }, '--backup'),
    ).toThrow('--backup: must be exactly 12 digits');
  });

  it('treats commander parse errors as usage errors', () => {
    const error = toCliError(
      new CommanderError(1, 'commander.unknownOption', "error: unknown option '--nope'"),
    );
    expect(error.exitCode).toBe(EXIT.USAGE);
    expect(error.message).toBe("unknown option '--nope'");
  });
});

describe('AWS errors exit 3 and name the missing permission', () => {
  const denied =
    'User: arn:aws:sts::111122223333:assumed-role/OnCall/alice is not authorized to perform: states:StartExecution on resource: arn:aws:states:eu-west-1:111122223333:stateMachine:Unlock because no identity-based policy allows the states:StartExecution action';

  it('reads the action from the AccessDenied message', () => {
    expect(missingPermissionIn(denied)).toBe('states:StartExecution');
    const error = toCliError(sdkError('AccessDeniedException', denied));
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.exitCode).toBe(EXIT.AWS);
    expect((error as AwsCallError).missingPermission).toBe('states:StartExecution');
    expect(error.message).toContain('missing permission states:StartExecution');
  });

  it('falls back to the action of the call when AWS does not name one', () => {
    const error = toAwsCallError(sdkError('AccessDenied', 'Access Denied'), 'dynamodb:Query');
    expect(error.missingPermission).toBe('dynamodb:Query');
    expect(error.message).toBe(
      'dynamodb:Query: access denied: missing permission dynamodb:Query (Access Denied)',
    );
  });

  it('explains unreachable endpoints and missing credentials', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    expect(toCliError(refused).exitCode).toBe(EXIT.AWS);
    expect(toCliError(refused).message).toContain('cannot reach the AWS endpoint');
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(toCliError(noCredentials).message).toContain('no AWS credentials found');
  });

  it('keeps other AWS errors with their code', () => {
    const error = toCliError(sdkError('ThrottlingException', 'Rate exceeded'));
    expect(error.exitCode).toBe(EXIT.AWS);
    expect(error.message).toBe('ThrottlingException: Rate exceeded');
  });
});
