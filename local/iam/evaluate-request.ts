import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * One request judged by a real IAM policy evaluator, @cloud-copilot/iam-simulate.
 * It is AGPL-3.0 while this project is Apache-2.0: it is a devDependency, used
 * by the tests and the local world only, never by a function or the command line.
 */
export interface PolicyRequest {
  /** The caller: an IAM role or user ARN, or a service principal such as cloudwatch.amazonaws.com. */
  readonly principal: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly resourceAccount: string;
  /** Identity policies of the caller (none for a service principal). */
  readonly identityPolicies?: readonly unknown[];
  readonly resourcePolicy?: unknown;
  /** Request context, e.g. aws:SourceArn / aws:SourceAccount of a service request. */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export interface PolicyDecision {
  readonly allowed: boolean;
  /** Allowed, ImplicitlyDenied or ExplicitlyDenied, as the evaluator says. */
  readonly result: string;
}

export async function evaluateRequest(request: PolicyRequest): Promise<PolicyDecision> {
  const outcome = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resourceArn, accountId: request.resourceAccount },
        contextVariables: { 'aws:PrincipalArn': principalArn(request.principal), ...request.context },
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({
        name: `identity-${index}`,
        policy,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
    },
    {},
  );
  if (outcome.resultType === 'error') {
    throw new Error(`the IAM policy evaluator refused the simulation: ${outcome.errors.message}`);
  }
  return { allowed: outcome.overallResult === 'Allowed', result: outcome.overallResult };
}

/**
 * What `aws:PrincipalArn` holds for a caller: a role session counts as its
 * role (IAM: "for a role session, the ARN of the role"); a service principal
 * has none.
 */
export function principalArn(principal: string): string | string[] {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  if (session !== null) return `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return principal.startsWith('arn:') ? principal : [];
}
