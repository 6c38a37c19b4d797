import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AWS_CALL_RETRY } from '../shared/root-task-runtime';
import {
  checkAccountEligibility,
  type EligibilityConfig,
  type EligibilityResult,
} from '../root-access/eligibility';
import { InvalidInputError } from '../root-access/errors';
import { validateAccountId } from '../root-access/validation';
import { runtimeSettings } from '../shared/env';
import { wrapHandler } from '../shared/handler';
import { eligibilityConfigFromEnv } from './eligibility-settings';

export interface CheckAccountEligibilityEvent {
  readonly accountId: unknown;
}

export interface CheckAccountEligibilityDeps {
  readonly organizations: OrganizationsClient;
  readonly config: EligibilityConfig;
}

export function createCheckAccountEligibilityHandler(deps: CheckAccountEligibilityDeps) {
  return async (event: CheckAccountEligibilityEvent): Promise<EligibilityResult> => {
    if (typeof event !== 'object' || event === null) {
      throw new InvalidInputError('event', 'must be an object { accountId }');
    }
    const accountId = validateAccountId(event.accountId);
    return checkAccountEligibility(deps.organizations, accountId, deps.config);
  };
}

let run: ReturnType<typeof createCheckAccountEligibilityHandler> | undefined;

export const handler = wrapHandler('CheckAccountEligibility', (event: CheckAccountEligibilityEvent) => {
  // Environment read and client built once per container, on first use.
  run ??= createCheckAccountEligibilityHandler({
    organizations: new OrganizationsClient({ region: runtimeSettings().region, ...AWS_CALL_RETRY }),
    config: eligibilityConfigFromEnv(process.env),
  });
  return run(event);
});
