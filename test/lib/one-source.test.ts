import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * Each rule is written once and imported where it is used. The product's
 * source (not the sandbox, an oracle that keeps its own rules, nor the tests)
 * must not write these again: a second copy drifts from the first.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PRODUCT_FOLDERS = ['lambdas', 'lib', 'cli', 'local', 'bench', 'bin'];

const productFiles: readonly string[] = execFileSync('git', ['ls-files', '--', ...PRODUCT_FOLDERS], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /\.(ts|js)$/.test(file));

/** Code lines only: comments say where a rule comes from, and may quote it. */
function codeLines(file: string): { line: number; text: string }[] {
  return readFileSync(path.join(ROOT, file), 'utf8')
    .split('\n')
    .map((text, index) => ({ line: index + 1, text }))
    .filter(({ text }) => !/^\s*(\/\/|\/\*|\*)/.test(text));
}

const RULES: { rule: string; home: string; written: RegExp }[] = [
  {
    rule: 'the account id pattern',
    home: 'lambdas/root-access/id-patterns.ts',
    written: /\^\\\\?d\{12\}\$/,
  },
  { rule: 'the OU id pattern', home: 'lambdas/root-access/id-patterns.ts', written: /ou-\[0-9a-z\]/ },
  {
    rule: 'the loopback hosts',
    home: 'lambdas/root-access/loopback.ts',
    written: /127\\\\?\.0\\\\?\.0\\\\?\.1\||\[::1\\?\]['|)]|\\\[::1\\\]/,
  },
  {
    rule: 'a results-table key prefix',
    home: 'lib/results-table-keys.ts',
    written: /['`"](ACCOUNT|RUN|RESOURCE|BACKUP|PLAN|APPROVAL|SHARD|WAVE|POSTURE)#/,
  },
  {
    // The metrics namespace is another name (CloudWatch's), free to differ.
    rule: 'the service stack name',
    home: 'lib/stack-name.ts',
    written: /(?<!NAMESPACE = )['`"]Rootkeeper['`"]/,
  },
];

describe('one source for each rule', () => {
  test('the product has source files to look at', () => {
    expect(productFiles.length).toBeGreaterThan(100);
    for (const { home } of RULES) expect(productFiles).toContain(home);
  });

  test.each(RULES)('$rule is written only in $home', ({ home, written }) => {
    expect(codeLines(home).some(({ text }) => written.test(text))).toBe(true);
    const elsewhere = productFiles
      .filter((file) => file !== home)
      .flatMap((file) =>
        codeLines(file)
          .filter(({ text }) => written.test(text))
          .map(({ line, text }) => `${file}:${line}: ${text.trim()}`),
      );
    expect(elsewhere).toEqual([]);
  });
});
