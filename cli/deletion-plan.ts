import type { Posture } from '../lambdas/root-access/posture';
import { credentialsDigest } from '../lambdas/root-access/remediation-plan';
import type { ShownPlan } from './preview';
import { normalizeActions, type Item } from './run-record';

/**
 * The plan of delete-root-credentials, from its dry run's record: the root
 * credentials found, one line each, and their fingerprint
 * (credentialsDigest, the remediation plan's contract). The delete workflow
 * takes no pin, so the real run's `before` is compared with it afterwards and
 * a difference is said plainly.
 */

function postureOf(value: unknown): Posture | undefined {
  return typeof value === 'object' && value !== null ? (value as Posture) : undefined;
}

const WORDS: Readonly<Record<string, string>> = {
  DeleteLoginProfile: 'password (console sign-in)',
  DeleteAccessKey: 'access key',
  DeleteSigningCertificate: 'signing certificate',
  DeactivateMFADevice: 'MFA device: deactivate',
  DeleteVirtualMFADevice: 'virtual MFA device: delete',
};

export function deletionPlan(planned: Item, accountId: string): ShownPlan {
  const before = postureOf(planned.before);
  const digest = before === undefined ? null : credentialsDigest(before);
  const credentials = normalizeActions(planned.actions).map(({ action, target }) => ({ action, target }));
  return {
    document: { credentials, credentialsDigest: digest },
    lines: (colors) =>
      credentials.length === 0
        ? ['', colors.bold(`No root credentials found in account ${accountId}: nothing to delete.`), '']
        : [
            '',
            colors.bold(`Root credentials found in account ${accountId}, to be deleted:`),
            ...credentials.map(
              ({ action, target }) =>
                `  ${colors.red('-')} ${WORDS[action] ?? action}${target === null ? '' : ` ${target}`}`,
            ),
            '',
          ],
    pin: {},
    differsFrom: (run) => {
      const found = postureOf(run?.before);
      if (found === undefined || digest === null) return undefined;
      const now = credentialsDigest(found);
      return now === digest
        ? undefined
        : `the credentials found when deleting were not the ones shown (fingerprint ${digest.slice(0, 12)} shown, ${now.slice(0, 12)} found): see the actions below`;
    },
  };
}
