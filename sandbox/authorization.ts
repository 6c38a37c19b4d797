/** Who is calling, and whether AWS would let them: task-policy ceilings, own account only, expiry. */
import type { RootSession } from './model';
import type { Protocol } from './protocol';
import { commonError } from './protocol';
import { TASK_ACTIONS } from './task-policies';

export type Caller =
  | { kind: 'principal'; accessKeyId: string; accountId: string; arn: string; userId: string }
  | { kind: 'root-session'; accessKeyId: string; accountId: string; arn: string; session: RootSession };

/** IAM calls the management account's own (non-root) credentials may make. */
const MANAGEMENT_IAM = new Set([
  'iam:ListOrganizationsFeatures',
  'iam:EnableOrganizationsRootCredentialsManagement',
  'iam:EnableOrganizationsRootSessions',
]);

/** Actions no policy is needed for. */
const ALWAYS_ALLOWED = new Set(['sts:GetCallerIdentity']);

function allowedForPrincipal(caller: Caller, action: string, resourceAccount: string | undefined): boolean {
  const service = action.split(':')[0];
  if (service === 'sts' || service === 'organizations') return true;
  if (service === 'iam') return MANAGEMENT_IAM.has(action);
  return resourceAccount === undefined || resourceAccount === caller.accountId;
}

/**
 * Throws AccessDenied (in the protocol's shape) unless the caller may perform `action`
 * (an IAM action name such as iam:DeleteLoginProfile) on a resource of `resourceAccount`.
 */
export function authorize(
  protocol: Protocol,
  caller: Caller,
  action: string,
  resource: { account?: string; arn?: string } = {},
): void {
  if (ALWAYS_ALLOWED.has(action)) return;
  let allowed: boolean;
  if (caller.kind === 'root-session') {
    const inPolicy = TASK_ACTIONS[caller.session.task].includes(action);
    const ownAccount = resource.account === undefined || resource.account === caller.accountId;
    allowed = inPolicy && ownAccount;
  } else {
    allowed = allowedForPrincipal(caller, action, resource.account);
  }
  if (!allowed) {
    const partition = caller.arn.split(':')[1] ?? 'aws';
    const target =
      resource.arn ?? (resource.account ? `arn:${partition}:iam::${resource.account}:root` : '*');
    throw commonError(
      protocol,
      'AccessDenied',
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${target} ` +
        `because no identity-based policy allows the ${action} action`,
    );
  }
}
