import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcard } from './acknowledge';

/**
 * For `rootkeeper enable`, run once in the management account: turn on
 * trusted access for IAM and the two centralized root access features, and
 * read their state. These actions have no resource type in IAM.
 */
export class SetupAccess extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Rootkeeper setup: enable centralized root access (rootkeeper enable)',
      statements: [
        new iam.PolicyStatement({
          sid: 'EnableCentralizedRootAccess',
          actions: [
            'iam:ListOrganizationsFeatures',
            'iam:EnableOrganizationsRootCredentialsManagement',
            'iam:EnableOrganizationsRootSessions',
            'organizations:ListAWSServiceAccessForOrganization',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'TrustIamOnly',
          actions: ['organizations:EnableAWSServiceAccess'],
          resources: ['*'],
          conditions: { StringEquals: { 'organizations:ServicePrincipal': 'iam.amazonaws.com' } },
        }),
      ],
    });
    acknowledgeWildcard(
      this.policy,
      '*',
      'These IAM and Organizations actions have no resource type: AWS authorizes them only on *.',
    );
  }
}
