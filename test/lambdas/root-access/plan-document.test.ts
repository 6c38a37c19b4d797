import { InvalidInputError } from '../../../lambdas/root-access/errors';
import { parseRemediationPlan } from '../../../lambdas/root-access/plan-document';
import { planOf } from '../../workflows/remediation-plans';

const root = (id: string) => ({
  password: true,
  accessKeys: [`AKIA${id}XYZA`],
  signingCertificates: [],
  mfaSerials: [],
});
/** A saved plan as a reviewer may edit it. */
interface EditablePlan {
  kind: unknown;
  schemaVersion: unknown;
  waves: {
    number: number;
    accounts: { accountId: string; credentialsDigest: string; keptKeys: unknown[] }[];
  }[];
}
const plan = () =>
  JSON.parse(
    JSON.stringify(
      planOf(
        ['600000000001', '600000000002'].map((accountId) => ({ accountId, root: root(accountId) })),
        [1, 1],
      ),
    ),
  ) as EditablePlan;

function accountOf(document: EditablePlan, wave: number, index: number) {
  const found = document.waves[wave]?.accounts[index];
  if (found === undefined) throw new Error(`no account ${index} in wave ${wave}`);
  return found;
}

const problem = (document: unknown): string => {
  try {
    parseRemediationPlan(document);
    return 'accepted';
  } catch (error) {
    return error instanceof InvalidInputError ? error.message : String(error);
  }
};

describe('parseRemediationPlan', () => {
  it('accepts a saved plan as it is', () => {
    expect(problem(plan())).toBe('accepted');
  });

  it('names the first wrong field by its path', () => {
    const wrongKind = { ...plan(), kind: 'something-else' };
    expect(problem(wrongKind)).toMatch(/^kind: must be "rootkeeper-remediation-plan"/);
    const newer = { ...plan(), schemaVersion: 2 };
    expect(problem(newer)).toMatch(/^schemaVersion: must be 1/);
    const digest = plan();
    accountOf(digest, 1, 0).credentialsDigest = 'abc';
    expect(problem(digest)).toMatch(/^waves\[1\]\.accounts\[0\]\.credentialsDigest: /);
    const order = plan();
    const second = order.waves[1];
    if (second !== undefined) second.number = 3;
    expect(problem(order)).toBe('waves[1].number: must be 2');
  });

  it('refuses an account planned twice and a deletion of a kept key', () => {
    const twice = plan();
    accountOf(twice, 1, 0).accountId = '600000000001';
    expect(problem(twice)).toBe('waves[1].accounts[0].accountId: 600000000001 is planned twice');
    const kept = plan();
    accountOf(kept, 0, 0).keptKeys = [{ accessKeyId: 'AKIA600000000001XYZA', lastUsedDate: '2026-11-28' }];
    expect(problem(kept)).toBe(
      'waves[0].accounts[0].deletions[1].target: deletes AKIA600000000001XYZA, which the plan keeps',
    );
  });
});
