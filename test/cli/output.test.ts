import { EXIT, UsageError } from '../../cli/errors';
import { Output, renderTable } from '../../cli/output';
import { ANSI, Capture } from './support/capture';

function output(format: 'human' | 'json', tty = false, env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture(tty);
  const stderr = new Capture(tty);
  return { out: new Output(format, { stdout, stderr }, env), stdout, stderr };
}

describe('Output', () => {
  it('prints exactly one JSON document with --output json, and notices nowhere', () => {
    const { out, stdout, stderr } = output('json');
    out.note('about to act');
    out.result({ ok: true, outcome: 'UNLOCKED' }, (printer) => printer.line('human'));
    out.result({ ok: true, second: true }, (printer) => printer.line('human'));
    out.error(new UsageError('--bucket', 'late failure'));
    expect(JSON.parse(stdout.text)).toEqual({ schemaVersion: 1, ok: true, outcome: 'UNLOCKED' });
    expect(stderr.text).toBe('error: --bucket: late failure\n');
  });

  it('prints an error document when the command failed before its result', () => {
    const { out, stdout, stderr } = output('json');
    out.error(new UsageError('--queue-url', 'belongs to account 222233334444'));
    expect(JSON.parse(stdout.text)).toEqual({
      schemaVersion: 1,
      ok: false,
      exitCode: EXIT.USAGE,
      error: {
        name: 'UsageError',
        kind: 'usage',
        flag: '--queue-url',
        message: '--queue-url: belongs to account 222233334444',
        advice: 'fix the flag the message names; nothing was started',
      },
    });
    expect(stderr.text).toContain('--queue-url: belongs to account 222233334444');
  });

  it('keeps piped human output plain: no colours, no box', () => {
    const { out, stdout, stderr } = output('human');
    out.note('a notice');
    out.result({}, (printer) => {
      printer.line(printer.colors.green('UNLOCKED'));
      printer.table(['account', 'outcome'], [['111122223333', 'CLEAN']]);
      printer.fields([
        ['execution', 'arn:1'],
        ['ticket', undefined],
      ]);
    });
    expect(stdout.text).not.toMatch(ANSI);
    expect(stdout.text).not.toContain('┌');
    expect(stdout.text.split('\n')).toEqual([
      'UNLOCKED',
      'account       outcome',
      '111122223333  CLEAN',
      '  execution  arn:1',
      '',
    ]);
    expect(stderr.text).toBe('a notice\n');
  });

  it('draws boxes and colours on a terminal, unless NO_COLOR says otherwise', () => {
    const { out, stdout } = output('human', true);
    out.result({}, (printer) => printer.table(['account'], [[printer.colors.red('111122223333')]]));
    expect(stdout.text).toContain('┌');
    expect(stdout.text).toMatch(ANSI);
    const quiet = output('human', true, { NO_COLOR: '1' });
    quiet.out.result({}, (printer) => printer.line(printer.colors.red('x')));
    expect(quiet.stdout.text).toBe('x\n');
  });

  it('renders a boxed table with every cell', () => {
    const table = renderTable(['a', 'b'], [['1', '2']], true);
    expect(table).toContain('│ 1 │ 2 │');
  });
});
