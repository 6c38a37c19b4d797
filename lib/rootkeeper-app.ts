import { Annotations, type App, type Environment } from 'aws-cdk-lib';
import type { RootkeeperConfig } from './config';
import { EventForwarderStack } from './event-forwarder-stack';
import { ORGANIZATIONS_EVENTS_REGION } from './event-patterns';
import { RootkeeperStack } from './rootkeeper-stack';

export const ROOTKEEPER_STACK_ID = 'Rootkeeper';
export const FORWARDER_STACK_ID = 'RootkeeperEventForwarder';

/**
 * The service stack, and the us-east-1 forwarder stack when the service
 * lives in another region (Organizations publishes its events in us-east-1
 * only). Used by bin/app.ts and by buildRootkeeperApp, so both build the same.
 */
export function addRootkeeperStacks(
  app: App,
  config: RootkeeperConfig,
  env: Environment = {},
): { stack: RootkeeperStack; forwarder?: EventForwarderStack } {
  const stack = new RootkeeperStack(app, ROOTKEEPER_STACK_ID, {
    config,
    env,
    description:
      'Rootkeeper: removes and audits the root credentials of member accounts (centralized root access)',
  });
  const region = env.region;
  if (!config.forwardOrganizationsEvents || region === ORGANIZATIONS_EVENTS_REGION) return { stack };
  if (region === undefined) {
    Annotations.of(stack).addWarningV2(
      'rootkeeper:forwarderWithoutRegion',
      'No region known at synth (set AWS_REGION or use a profile with a region): the us-east-1 event forwarder stack was not added.',
    );
    return { stack };
  }
  const forwarder = new EventForwarderStack(app, FORWARDER_STACK_ID, {
    env: {
      ...(env.account === undefined ? {} : { account: env.account }),
      region: ORGANIZATIONS_EVENTS_REGION,
    },
    serviceRegion: region,
    ...(config.notificationEmail === undefined ? {} : { notificationEmail: config.notificationEmail }),
    description: `Rootkeeper: forwards new-account events from us-east-1 to the service in ${region}`,
  });
  forwarder.addStackDependency(stack, 'the service bus receives the forwarded events');
  return { stack, forwarder };
}
