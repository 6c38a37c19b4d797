import { ACCOUNT_ID_PATTERN, OU_ID_PATTERN } from '../../lambdas/root-access/id-patterns';
import { GUARDRAIL_NAMES, type GuardrailName } from './guardrail-set';

/**
 * `guardrails` in the configuration: the optional stack that deploys the
 * guardrail SCPs into the management account (AWS::Organizations::Policy,
 * with their targets). Off when absent. Each key is a guardrail's name, as
 * `rootkeeper guardrails` prints it; its value, where to attach it: the
 * organization root (r-…), OUs (ou-…-…) or accounts (12 digits), at least one.
 * A guardrail left out is not deployed.
 *
 *   "guardrails": { "rootkeeper-deny-long-term-root": ["r-ab12"],
 *                   "rootkeeper-only-rootkeeper-assumes-root": ["111122223333"] }
 */
export const GUARDRAIL_CONFIG_KEYS = ['guardrails'] as const;

export type GuardrailTargets = Readonly<Partial<Record<GuardrailName, readonly string[]>>>;

export interface GuardrailConfig {
  readonly guardrails?: GuardrailTargets;
}

/** As ListTargetsForPolicy's TargetId: a root, an OU, an account. */
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

type Fail = (key: string, problem: string) => Error;

export function parseGuardrailConfig(values: Readonly<Record<string, unknown>>, fail: Fail): GuardrailConfig {
  const raw = values.guardrails;
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw fail('guardrails', `must be an object of ${GUARDRAIL_NAMES.join(', ')} → target ids`);
  }
  const guardrails: Partial<Record<GuardrailName, string[]>> = {};
  for (const [name, targets] of Object.entries(raw as Record<string, unknown>)) {
    if (!(GUARDRAIL_NAMES as readonly string[]).includes(name)) {
      throw fail(`guardrails.${name}`, `is not a guardrail; use one of ${GUARDRAIL_NAMES.join(', ')}`);
    }
    if (!Array.isArray(targets) || targets.length === 0) {
      throw fail(`guardrails.${name}`, 'must be a non-empty list of root, OU or account ids');
    }
    guardrails[name as GuardrailName] = targets.map((target: unknown) => {
      const id = typeof target === 'string' ? target : '';
      if (!ROOT_ID.test(id) && !OU_ID_PATTERN.test(id) && !ACCOUNT_ID_PATTERN.test(id)) {
        throw fail(
          `guardrails.${name}`,
          `"${String(target)}" is not a root (r-…), OU (ou-…-…) or account (12 digits) id`,
        );
      }
      return id;
    });
  }
  return { guardrails };
}
