import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalStack } from '../../../../local/local-stack';
import { MANAGEMENT, PROTECTED } from '../../support/local-organization';
import { rootkeeper } from '../../support/subprocess';
import { startCliStack } from '../../support/cli-stack';

/**
 * `rootkeeper report --format html --out FILE` as a subprocess against the
 * local stack, after an organization audit: the page's headline figures are
 * the sandbox's truth.
 */

let stack: LocalStack;
let env: Record<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), 'rootkeeper-html-'));

beforeAll(async () => {
  ({ stack, env } = await startCliStack());
  const audit = await rootkeeper(['audit', '--all'], env);
  expect(audit.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

function figure(html: string, name: string): number {
  const match = new RegExp(`data-figure="${name}">(\\d+)<`).exec(html);
  if (match === null) throw new Error(`no figure ${name} in the page`);
  return Number(match[1]);
}

it('writes the page, prints its path, and its figures are the organization’s', async () => {
  const file = path.join(dir, 'nested', 'posture.html');
  const result = await rootkeeper(['report', '--format', 'html', '--out', file], env);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`Wrote ${file}`);
  const html = readFileSync(file, 'utf8');

  const members = stack.sandbox.state.accounts().filter((account) => account.id !== MANAGEMENT);
  const audited = members.filter((account) => account.id !== PROTECTED);
  const withCredentials = audited.filter(({ rootCredentials: root }) =>
    Boolean(
      root.loginProfile ||
      root.accessKeys.length ||
      root.signingCertificates.length ||
      root.mfaDevices.some((device) => device.assigned),
    ),
  );
  expect(figure(html, 'with-credentials')).toBe(withCredentials.length);
  expect(figure(html, 'with-credentials')).toBeGreaterThan(0);
  expect(figure(html, 'clean')).toBe(audited.length - withCredentials.length);
  // Every account Organizations lists is counted, the management account and protected ones as not audited.
  expect(figure(html, 'accounts')).toBe(members.length + 1);
  // The management account and the protected one, as the audit's inventory counted them.
  expect(figure(html, 'protected-or-skipped')).toBe(2);
  expect(html).not.toContain('OU unknown');
});

it('refuses html without --out, naming the flag, and writes nothing', async () => {
  const result = await rootkeeper(['report', '--format', 'html'], env);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('--out');
  expect(existsSync(path.join(dir, 'posture.html'))).toBe(false);
});
