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
import { perContainer, wrapHandler } from '../shared/handler';
import { eligibilityConfigFromEnv } from './eligibility-settings';

export interface CheckAccountEligibilityEvent {
  readonly accountId: unknown;
}

export interface CheckAccountEligibilityDeps {
  readonly organizations: OrganizationsClient;
  readonly config: EligibilityConfig;
}

function checkAccountEligibilityDepsFromEnv(): CheckAccountEligibilityDeps {
  return {
    organizations: new OrganizationsClient({ region: runtimeSettings().region, ...AWS_CALL_RETRY }),
    config: eligibilityConfigFromEnv(process.env),
  };
}

/** CheckAccountEligibility: `{ accountId }` → eligible, or the reason it is not. */
export function createCheckAccountEligibilityHandler(
  deps: () => CheckAccountEligibilityDeps = perContainer(checkAccountEligibilityDepsFromEnv),
) {
  return wrapHandler(
    'CheckAccountEligibility',
    async (event: CheckAccountEligibilityEvent): Promise<EligibilityResult> => {
      if (typeof event !== 'object' || event === null) {
        throw new InvalidInputError('event', 'must be an object { accountId }');
      }
      const accountId = validateAccountId(event.accountId);
      const { organizations, config } = deps();
      return checkAccountEligibility(organizations, accountId, config);
    },
  );
}

export const handler = createCheckAccountEligibilityHandler();
