/**
 * Two-person approval of root actions: who may decide on a request. Pure:
 * the caller's ARN comes from sts:GetCallerIdentity, which AWS answers from
 * the request's own signature, so it cannot be claimed.
 *
 * IAM principals are compared as the person behind them (IAM identifiers,
 * "IAM ARNs" and "aws:userid"): an assumed-role session is its role and its
 * session name (`arn:aws:sts::<account>:assumed-role/<role>/<session>`; the
 * role's path is not in that ARN); IAM Identity Center sessions
 * (`AWSReservedSSO_<permission set>_<id>`) are the person named by the session,
 * whichever permission set they use; a user is its name.
 */

/** The error a denial fails the approval task with (SendTaskFailure's `error`); the workflow catches it by name. */
export const APPROVAL_DENIED_ERROR = 'ApprovalDeniedError';

abstract class ApprovalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The approver is the person who asked. */
export class SelfApprovalError extends ApprovalError {}
/** The approver is not one of the configured approver principals. */
export class ApproverNotAllowedError extends ApprovalError {}
/** The request is no longer waiting (approved, denied or expired already). */
export class ApprovalNotPendingError extends ApprovalError {}

export interface Principal {
  readonly arn: string;
  readonly account: string;
  readonly kind: 'user' | 'role' | 'assumed-role' | 'root' | 'other';
  /** User name, or role name (without its path). */
  readonly name: string;
  readonly session?: string;
}

const ASSUMED_ROLE = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const IAM_ENTITY = /^arn:aws[\w-]*:iam::(\d{12}):(user|role)\/(?:.*\/)?([^/]+)$/;
const ROOT = /^arn:aws[\w-]*:iam::(\d{12}):root$/;
const SSO_ROLE = /^AWSReservedSSO_/;

export function parsePrincipal(arn: string): Principal {
  const assumed = ASSUMED_ROLE.exec(arn);
  if (assumed !== null) {
    return {
      arn,
      account: assumed[1] ?? '',
      kind: 'assumed-role',
      name: assumed[2] ?? '',
      session: assumed[3],
    };
  }
  const entity = IAM_ENTITY.exec(arn);
  if (entity !== null) {
    return {
      arn,
      account: entity[1] ?? '',
      kind: entity[2] === 'user' ? 'user' : 'role',
      name: entity[3] ?? '',
    };
  }
  const root = ROOT.exec(arn);
  if (root !== null) return { arn, account: root[1] ?? '', kind: 'root', name: 'root' };
  return { arn, account: '', kind: 'other', name: arn };
}

/** Whether two callers are the same person. */
export function samePerson(a: Principal, b: Principal): boolean {
  if (a.account !== b.account || a.kind !== b.kind) return a.arn === b.arn;
  if (a.kind === 'assumed-role' && b.kind === 'assumed-role') {
    if (SSO_ROLE.test(a.name) && SSO_ROLE.test(b.name)) return a.session === b.session;
    return a.name === b.name && a.session === b.session;
  }
  return a.name === b.name;
}

/** Whether a caller is one of the configured principals: a role stands for every session of it. */
export function matchesPrincipal(caller: Principal, configured: string): boolean {
  const allowed = parsePrincipal(configured);
  if (allowed.account !== caller.account) return false;
  if (allowed.kind === 'role') return caller.kind === 'assumed-role' && caller.name === allowed.name;
  if (allowed.kind === 'assumed-role') {
    return (
      caller.kind === 'assumed-role' && caller.name === allowed.name && caller.session === allowed.session
    );
  }
  if (allowed.kind === 'user') return caller.kind === 'user' && caller.name === allowed.name;
  return false;
}

export interface ApprovalCheck {
  readonly requestedBy: string;
  readonly approverArn: string;
  /** Empty: anyone but the requester (IAM decides who holds the approver policy). */
  readonly approverPrincipals: readonly string[];
}

/** Throws unless the caller may approve or deny this request. */
export function assertMayDecide(check: ApprovalCheck): Principal {
  const approver = parsePrincipal(check.approverArn);
  const requester = parsePrincipal(check.requestedBy);
  if (samePerson(approver, requester)) {
    throw new SelfApprovalError(
      `${check.approverArn} asked for this action (${check.requestedBy}): a second person must decide`,
    );
  }
  if (
    check.approverPrincipals.length > 0 &&
    !check.approverPrincipals.some((configured) => matchesPrincipal(approver, configured))
  ) {
    throw new ApproverNotAllowedError(
      `${check.approverArn} is not an approver (approverPrincipals: ${check.approverPrincipals.join(', ')})`,
    );
  }
  return approver;
}

/** What a decision records, in the run and in the task's output or failure cause. */
export interface ApprovalDecision {
  readonly by: string;
  readonly at: string;
  readonly reason: string;
}
