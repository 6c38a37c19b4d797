import {
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  ListOrganizationsFeaturesCommand,
} from '@aws-sdk/client-iam';
import {
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { awsCall } from './aws-call';
import type { CliContext } from './context';
import { toAwsCallError } from './exit-codes';

/**
 * Centralized root access, as the organization has it: trusted access for
 * IAM, then the two features, which AWS requires in that order.
 */

export const IAM_SERVICE_PRINCIPAL = 'iam.amazonaws.com';
export const FEATURES = ['RootCredentialsManagement', 'RootSessions'] as const;

export interface FeatureState {
  readonly trustedAccess: boolean;
  /** undefined when IAM cannot say (trusted access off). */
  readonly enabledFeatures: readonly string[] | undefined;
}

async function readTrustedAccess(ctx: CliContext): Promise<boolean> {
  let nextToken: string | undefined;
  do {
    const page = await awsCall('organizations:ListAWSServiceAccessForOrganization', () =>
      ctx.organizations.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: nextToken })),
    );
    if (page.EnabledServicePrincipals?.some((service) => service.ServicePrincipal === IAM_SERVICE_PRINCIPAL))
      return true;
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return false;
}

export async function readFeatureState(ctx: CliContext): Promise<FeatureState> {
  const trustedAccess = await readTrustedAccess(ctx);
  try {
    const answer = await ctx.iam.send(new ListOrganizationsFeaturesCommand({}));
    return { trustedAccess, enabledFeatures: answer.EnabledFeatures ?? [] };
  } catch (error) {
    // Without trusted access IAM refuses to list the features: that is an answer, not a failure.
    if (!trustedAccess && error instanceof Error && /ServiceAccessNotEnabled/.test(error.name)) {
      return { trustedAccess, enabledFeatures: undefined };
    }
    throw toAwsCallError(error, 'iam:ListOrganizationsFeatures');
  }
}

export interface EnableStep {
  readonly step: string;
  readonly action: string;
  readonly done: (state: FeatureState) => boolean;
  readonly run: (ctx: CliContext) => Promise<unknown>;
}

/** The three steps, in the order AWS requires. */
export const ENABLE_STEPS: readonly EnableStep[] = [
  {
    step: 'trusted access for IAM',
    action: 'organizations:EnableAWSServiceAccess',
    done: (state) => state.trustedAccess,
    run: (ctx) =>
      awsCall('organizations:EnableAWSServiceAccess', () =>
        ctx.organizations.send(
          new EnableAWSServiceAccessCommand({ ServicePrincipal: IAM_SERVICE_PRINCIPAL }),
        ),
      ),
  },
  {
    step: 'RootCredentialsManagement',
    action: 'iam:EnableOrganizationsRootCredentialsManagement',
    done: (state) => state.enabledFeatures?.includes('RootCredentialsManagement') === true,
    run: (ctx) =>
      awsCall('iam:EnableOrganizationsRootCredentialsManagement', () =>
        ctx.iam.send(new EnableOrganizationsRootCredentialsManagementCommand({})),
      ),
  },
  {
    step: 'RootSessions',
    action: 'iam:EnableOrganizationsRootSessions',
    done: (state) => state.enabledFeatures?.includes('RootSessions') === true,
    run: (ctx) =>
      awsCall('iam:EnableOrganizationsRootSessions', () =>
        ctx.iam.send(new EnableOrganizationsRootSessionsCommand({})),
      ),
  },
];
