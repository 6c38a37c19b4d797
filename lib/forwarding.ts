import type { RootkeeperConfig } from './config';
import {
  type AccountEventSpec,
  CONTROL_TOWER_EVENTS,
  ORGANIZATIONS_EVENTS,
  ORGANIZATIONS_EVENTS_REGION,
} from './event-patterns';

/**
 * Where new-account events are born and which forwarder stacks bring them to
 * the service's bus (aws-facts.md, "Where the events land"): Organizations'
 * on the management account's default bus in us-east-1, Control Tower's on
 * the management account's default bus in its home region. Plain data, so
 * the app, the bus policy and the local world agree on one plan.
 */
export interface ForwarderPlan {
  readonly region: string;
  /** Undefined: the deploying account (management mode). */
  readonly account?: string;
  readonly events: readonly AccountEventSpec[];
}

/**
 * The forwarder's role has a fixed name, so the bus policy of the service
 * (in another account, another stack) can name it in `aws:PrincipalArn`
 * without a cross-account reference. IAM names are global to an account,
 * hence the region in it.
 */
export function forwarderRoleName(region: string): string {
  return `rootkeeper-event-forwarder-${region}`;
}

export function forwarderRoleArn(partition: string, account: string, region: string): string {
  return `arn:${partition}:iam::${account}:role/${forwarderRoleName(region)}`;
}

/**
 * The forwarder stacks the app needs, given where the service lives.
 * Management mode: none for events born in the service's own region (its
 * default-bus rules see them). Delegated-admin mode: one per region of birth,
 * in the management account, since nothing is born in the deploying account.
 */
export function forwarderPlans(config: RootkeeperConfig, serviceRegion: string | undefined): ForwarderPlan[] {
  const byRegion = new Map<string, AccountEventSpec[]>();
  const add = (region: string, events: readonly AccountEventSpec[]): void => {
    byRegion.set(region, [...(byRegion.get(region) ?? []), ...events]);
  };
  if (config.forwardOrganizationsEvents) add(ORGANIZATIONS_EVENTS_REGION, ORGANIZATIONS_EVENTS);
  // Without a home region, Control Tower's events are forwarded from us-east-1, as before.
  add(config.controlTowerHomeRegion ?? ORGANIZATIONS_EVENTS_REGION, CONTROL_TOWER_EVENTS);
  const delegated = config.deployment === 'delegated-admin';
  return [...byRegion.entries()]
    .filter(([region]) => delegated || region !== serviceRegion)
    .filter(
      ([region]) => delegated || config.forwardOrganizationsEvents || region !== ORGANIZATIONS_EVENTS_REGION,
    )
    .map(([region, events]) => ({
      region,
      ...(delegated && config.managementAccountId !== undefined
        ? { account: config.managementAccountId }
        : {}),
      events,
    }));
}
