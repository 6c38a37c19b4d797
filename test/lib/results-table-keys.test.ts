import {
  KEY_TEMPLATE,
  accountKey,
  accountOfKey,
  backupKey,
  outcomeKey,
  resourceKey,
  runKey,
} from '../../lib/results-table-keys';

/** What States.Format does with string arguments: each `{}` in turn. */
const format = (template: string, ...args: string[]): string =>
  args.reduce((text, arg) => text.replace('{}', arg), template);

describe('results-table keys', () => {
  test('the workflows’ templates build the very keys the functions, CLI and local stack read', () => {
    expect(format(KEY_TEMPLATE.account, '111122223333')).toBe(accountKey('111122223333'));
    expect(format(KEY_TEMPLATE.run, '2026-11-29T10:00:00Z', 'run-1')).toBe(
      runKey('2026-11-29T10:00:00Z', 'run-1'),
    );
    expect(format(KEY_TEMPLATE.outcome, 'FAILED')).toBe(outcomeKey('FAILED'));
    expect(format(KEY_TEMPLATE.resource, 'arn:aws:s3:::b')).toBe(resourceKey('arn:aws:s3:::b'));
    expect(format(KEY_TEMPLATE.backup, 'run-1')).toBe(backupKey('run-1'));
  });

  test('an account key reads back as its account id; other keys as nothing', () => {
    expect(accountOfKey(accountKey('111122223333'))).toBe('111122223333');
    expect(accountOfKey('ORGANIZATION')).toBeUndefined();
    expect(accountOfKey(42)).toBeUndefined();
  });
});
