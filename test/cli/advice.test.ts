import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as domainErrors from '../../lambdas/root-access/errors';
import { INELIGIBILITY_REASONS } from '../../lambdas/root-access/eligibility';
import { ADVICE, adviceFor } from '../../cli/advice';
import { failureOf } from '../../cli/failure';

/** The error → advice table: complete, and the README's runbook shows exactly it. */

const README = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

function readmeRows(): string[][] {
  const section = /<!-- advice-table:start -->([\s\S]*?)<!-- advice-table:end -->/.exec(README)?.[1] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, '|')),
    );
}

describe('the advice table', () => {
  it('is the README runbook table, row for row', () => {
    expect(readmeRows()).toEqual(ADVICE.map((entry) => [`\`${entry.name}\``, entry.meaning, entry.advice]));
  });

  it('has advice for every domain error and every reason an account is skipped', () => {
    const errorNames = Object.values(domainErrors)
      .filter((value): value is typeof domainErrors.RootAccessError => typeof value === 'function')
      .map((value) => value.name)
      .filter((name) => name !== 'RootAccessError');
    for (const name of [...errorNames, ...INELIGIBILITY_REASONS]) {
      expect(ADVICE.map((entry) => entry.name)).toContain(name);
    }
  });
});

describe('a failure in plain words', () => {
  const lambdaCause = JSON.stringify({
    errorType: 'ResourceNotFoundError',
    errorMessage: 'NoSuchBucket: the bucket app-logs does not exist',
    trace: ['ResourceNotFoundError: ...', '    at read (/var/task/index.js:1:1)'],
  });

  it('unwraps the Lambda error: name, message, advice; the stack stays in the raw cause', () => {
    const failure = failureOf({ error: 'ResourceNotFoundError', errorCause: lambdaCause }, {});
    expect(failure?.error).toEqual({
      name: 'ResourceNotFoundError',
      message: 'NoSuchBucket: the bucket app-logs does not exist',
      advice: adviceFor('ResourceNotFoundError'),
    });
    expect(failure?.raw).toContain('/var/task/index.js');
  });

  it('reads a refused read of a bucket policy as a wrong --account, not an SCP', () => {
    const cause = JSON.stringify({
      errorType: 'RootAccessDeniedError',
      errorMessage:
        's3:GetBucketPolicy: User: arn:aws:iam::111122223333:root is not authorized to perform: s3:GetBucketPolicy on resource: arn:aws:s3:::app-logs',
    });
    const failure = failureOf(
      { error: 'RootAccessDeniedError', errorCause: cause },
      {},
      { accountId: '111122223333', bucketName: 'app-logs' },
    );
    expect(failure?.error).toMatchObject({
      name: 'WrongAccountError',
      recordedName: 'RootAccessDeniedError',
      message: expect.stringContaining('bucket app-logs is not in account 111122223333') as string,
    });
    // Denied while applying (after a successful read), or for a queue: AWS's words, not a guess.
    const applying = failureOf(
      { error: 'RootAccessDeniedError', errorCause: cause.replace(/GetBucketPolicy/g, 'PutBucketPolicy') },
      {},
      { accountId: '111122223333', bucketName: 'app-logs' },
    );
    expect(applying?.error.name).toBe('RootAccessDeniedError');
  });
});
