import { Annotations, type App, type Environment, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { RootkeeperConfig } from './config';
import { EventForwarderStack } from './event-forwarder-stack';
import { forwarderPlans } from './forwarding';
import { GuardrailsStack } from './guardrails/guardrails-stack';
import { RootkeeperStack } from './rootkeeper-stack';
import { ROOTKEEPER_STACK_NAME } from './stack-name';

const ROOTKEEPER_STACK_ID = ROOTKEEPER_STACK_NAME;
const FORWARDER_STACK_ID = 'RootkeeperEventForwarder';
const GUARDRAILS_STACK_ID = 'RootkeeperGuardrails';

/** The forwarder of us-east-1 keeps its historical id; other regions are suffixed. */
function forwarderStackId(region: string): string {
  return region === 'us-east-1' ? FORWARDER_STACK_ID : `${FORWARDER_STACK_ID}-${region}`;
}

/**
 * The service stack, and the forwarder stacks that bring it the new-account
 * events born elsewhere (lib/forwarding.ts): in management mode from us-east-1
 * and the Control Tower home region when the service lives elsewhere; in
 * delegated-admin mode from the management account, with its account and
 * region explicit. Used by bin/app.ts and by buildRootkeeperApp, so both build the same.
 */
export function addRootkeeperStacks(
  app: App,
  config: RootkeeperConfig,
  env: Environment = {},
): {
  stack: RootkeeperStack;
  forwarder?: EventForwarderStack;
  forwarders: EventForwarderStack[];
  guardrails?: GuardrailsStack;
} {
  const delegated = config.deployment === 'delegated-admin';
  // With the management account's credentials (to deploy the forwarders), the
  // CLI's default account is the management account: never the service's in
  // delegated-admin mode, so the service's account is then unknown at synth.
  const synthInManagement = delegated && env.account === config.managementAccountId;
  const serviceEnv: Environment = synthInManagement
    ? { ...(env.region === undefined ? {} : { region: env.region }) }
    : env;
  const stack = new RootkeeperStack(app, ROOTKEEPER_STACK_ID, {
    config,
    env: serviceEnv,
    description:
      'Rootkeeper: removes and audits the root credentials of member accounts (centralized root access)',
  });
  if (synthInManagement) {
    Annotations.of(stack).addWarningV2(
      'rootkeeper:serviceInManagementAccount',
      "Synthesized with the management account's credentials in delegated-admin mode: deploy only the forwarder stacks with them; the Rootkeeper stack belongs in the delegated administrator.",
    );
  }
  const guardrails = addGuardrailsStack(app, config, stack, serviceEnv);
  const withGuardrails = guardrails === undefined ? {} : { guardrails };
  const region = env.region;
  const plans = forwarderPlans(config, region);
  if (plans.length === 0) return { stack, forwarders: [], ...withGuardrails };
  if (region === undefined || Token.isUnresolved(region)) {
    const message =
      'No region known at synth (set AWS_REGION or use a profile with a region): the event forwarder stacks were not added.';
    if (config.deployment === 'delegated-admin') Annotations.of(stack).addError(message);
    else Annotations.of(stack).addWarningV2('rootkeeper:forwarderWithoutRegion', message);
    return { stack, forwarders: [], ...withGuardrails };
  }
  const knownAccount =
    serviceEnv.account !== undefined && !Token.isUnresolved(serviceEnv.account)
      ? serviceEnv.account
      : undefined;
  const forwarders = plans.map((plan) => {
    const account = plan.account ?? knownAccount;
    const forwarder = new EventForwarderStack(app, forwarderStackId(plan.region), {
      env: { ...(account === undefined ? {} : { account }), region: plan.region },
      serviceRegion: region,
      // Not a 12-digit id: the stack asks for the service's account as a parameter at deploy time.
      ...(delegated ? { serviceAccount: knownAccount ?? 'asked at deploy time' } : {}),
      events: plan.events,
      ...(config.notificationEmail === undefined ? {} : { notificationEmail: config.notificationEmail }),
      description: `Rootkeeper: forwards new-account events from ${plan.region}${delegated ? ' (management account)' : ''} to the service in ${region}`,
    });
    forwarder.addStackDependency(stack, 'the service bus receives the forwarded events');
    return forwarder;
  });
  const usEast1 = forwarders.find((forwarder) => forwarder.region === 'us-east-1');
  return { stack, ...(usEast1 === undefined ? {} : { forwarder: usEast1 }), forwarders, ...withGuardrails };
}

/**
 * The optional guardrail SCPs (`guardrails` in the configuration), in the
 * management account: the service stack's own account in management mode,
 * `managementAccountId` otherwise. The roles they name are the service
 * stack's, so its account must be known at synth.
 */
function addGuardrailsStack(
  app: App,
  config: RootkeeperConfig,
  stack: RootkeeperStack,
  serviceEnv: Environment,
): GuardrailsStack | undefined {
  if (config.guardrails === undefined) return undefined;
  const serviceAccount =
    serviceEnv.account !== undefined && !Token.isUnresolved(serviceEnv.account)
      ? serviceEnv.account
      : undefined;
  if (serviceAccount === undefined) {
    Annotations.of(stack).addError(
      'guardrails: the service account must be known at synth (set CDK_DEFAULT_ACCOUNT or use a profile): the SCPs name its roles.',
    );
    return undefined;
  }
  const managementAccount =
    config.deployment === 'delegated-admin'
      ? config.managementAccountId
      : (config.managementAccountId ?? serviceAccount);
  const region = serviceEnv.region;
  const partition =
    region === undefined || Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition;
  return new GuardrailsStack(app, GUARDRAILS_STACK_ID, {
    env: {
      ...(managementAccount === undefined ? {} : { account: managementAccount }),
      ...(serviceEnv.region === undefined ? {} : { region: serviceEnv.region }),
    },
    targets: config.guardrails,
    serviceStackName: stack.stackName,
    serviceAccount,
    ...(partition === undefined ? {} : { partition }),
    description:
      'Rootkeeper guardrails: the SCPs that keep root sessions the only way in (management account)',
  });
}
