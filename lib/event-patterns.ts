/**
 * The events that start Secure new account, as EventBridge patterns and the
 * paths of the fields the workflow needs (aws-facts.md, "Events that
 * announce a new account"). Plain data: the service stack, the us-east-1
 * forwarder and the tests use the same patterns.
 */

export interface AccountEventSpec {
  readonly pattern: { source: string[]; detailType: string[]; detail?: Record<string, unknown> };
  /** Where the new account's id is in the event. */
  readonly accountIdPath: string;
  /** A value unique per event, for the request claim: CloudTrail's eventID, or the vending request id. */
  readonly requestIdPath: string;
  /** The `source` the workflow records. */
  readonly source: string;
}

export const ORGANIZATIONS_ACCOUNT_CREATED: AccountEventSpec = {
  pattern: {
    source: ['aws.organizations'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['CreateAccountResult'],
      serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
  accountIdPath: '$.detail.serviceEventDetails.createAccountStatus.accountId',
  requestIdPath: '$.detail.eventID',
  source: 'aws.organizations',
};

export const CONTROL_TOWER_ACCOUNT_CREATED: AccountEventSpec = {
  pattern: {
    source: ['aws.controltower'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['CreateManagedAccount'],
      serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
  accountIdPath: '$.detail.serviceEventDetails.createManagedAccountStatus.account.accountId',
  requestIdPath: '$.detail.eventID',
  source: 'aws.controltower',
};

/**
 * Control Tower's guide says to handle UpdateManagedAccount as well: an
 * account enrolled or re-enrolled into Control Tower (an invited account
 * among them) is announced by it, not by CreateManagedAccount.
 */
export const CONTROL_TOWER_ACCOUNT_UPDATED: AccountEventSpec = {
  pattern: {
    source: ['aws.controltower'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['UpdateManagedAccount'],
      serviceEventDetails: { updateManagedAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
  accountIdPath: '$.detail.serviceEventDetails.updateManagedAccountStatus.account.accountId',
  requestIdPath: '$.detail.eventID',
  source: 'aws.controltower',
};

/**
 * An account that accepted an invitation. Its AcceptHandshake call is
 * recorded in the member account's own trail, out of reach; Organizations
 * also records an AccountJoinedOrganization service event in the management
 * account (us-east-1, as all its events), with `joinedMethod:Invited` for an
 * invitation and `joinedMethod:Created` for a created account (AcceptHandshake
 * and CreateAccount API references; created accounts are already handled
 * through CreateAccountResult). The references write the value as `Invited`
 * without giving a sample event, so it is matched ignoring case. The field layout of
 * serviceEventDetails is not published in AWS's documentation: the account id
 * path below is inferred, and the scheduled audit stays the safety net.
 */
export const ORGANIZATIONS_ACCOUNT_JOINED: AccountEventSpec = {
  pattern: {
    source: ['aws.organizations'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['AccountJoinedOrganization'],
      serviceEventDetails: { joinedMethod: [{ 'equals-ignore-case': 'invited' }] },
    },
  },
  accountIdPath: '$.detail.serviceEventDetails.accountId',
  requestIdPath: '$.detail.eventID',
  source: 'aws.organizations',
};

/** The documented custom event of account-vending pipelines (docs/architecture.md). */
export const ACCOUNT_VENDED: AccountEventSpec = {
  pattern: {
    source: ['rootkeeper.vending'],
    detailType: ['Account Vended'],
  },
  accountIdPath: '$.detail.accountId',
  requestIdPath: '$.detail.requestId',
  source: 'rootkeeper.vending',
};

/** Events born in us-east-1 on the management account's default bus. */
export const ORGANIZATIONS_EVENTS: readonly AccountEventSpec[] = [
  ORGANIZATIONS_ACCOUNT_CREATED,
  ORGANIZATIONS_ACCOUNT_JOINED,
];
/** Events born in the Control Tower home region on the management account's default bus. */
export const CONTROL_TOWER_EVENTS: readonly AccountEventSpec[] = [
  CONTROL_TOWER_ACCOUNT_CREATED,
  CONTROL_TOWER_ACCOUNT_UPDATED,
];

/** The name of the service's own event bus; fixed, so the forwarders can address it. */
export const SERVICE_EVENT_BUS_NAME = 'rootkeeper';

/** Organizations publishes its CloudTrail events in this region only. */
export const ORGANIZATIONS_EVENTS_REGION = 'us-east-1';

/**
 * The identity policy an account-vending pipeline's role needs to send
 * `Account Vended` (README, "Vending pipelines"); the bus policy must also
 * name the role in `vendingPrincipalArns`.
 */
export function vendingPipelinePolicy(serviceBusArn: string): {
  Version: string;
  Statement: Record<string, unknown>[];
} {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SendAccountVendedToRootkeeper',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: serviceBusArn,
        // Multi-valued keys (one value per entry of the PutEvents call): every entry must be Account Vended.
        Condition: {
          'ForAllValues:StringEquals': {
            'events:source': [ACCOUNT_VENDED.source],
            'events:detail-type': ['Account Vended'],
          },
        },
      },
    ],
  };
}
