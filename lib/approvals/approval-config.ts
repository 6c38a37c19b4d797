/**
 * Approval settings of the configuration (`rootkeeper` context key):
 *
 * - `approvals`: per root task, whether a second person must approve it
 *   before anything changes. Default: required for the unlocks (restores run
 *   through the unlock workflows and follow their setting) and for account
 *   recovery; not for deleting root credentials, which the vending and
 *   creation events start unattended (Secure new account never waits;
 *   `deleteRootCredentials: true` gates the Delete root credentials workflow
 *   started on request).
 * - `approvalExpirySeconds`: how long a request waits (default 1 hour); then
 *   it is recorded as EXPIRED and nothing is done.
 * - `approverPrincipals`: IAM ARNs allowed to approve: a role
 *   (`arn:aws:iam::111122223333:role/Approvers`, any of its sessions), an
 *   assumed-role session, or a user. Empty: any principal holding the approver
 *   policy, other than the requester.
 */

export const APPROVAL_TASKS = ['deleteRootCredentials', 'enableRecovery', 'unlockS3', 'unlockSqs'] as const;
export type ApprovalTask = (typeof APPROVAL_TASKS)[number];

export interface ApprovalConfig {
  readonly approvals: Readonly<Record<ApprovalTask, boolean>>;
  readonly approvalExpirySeconds: number;
  readonly approverPrincipals: readonly string[];
}

export const DEFAULT_APPROVAL_CONFIG: ApprovalConfig = {
  approvals: {
    deleteRootCredentials: false,
    enableRecovery: true,
    unlockS3: true,
    unlockSqs: true,
  },
  approvalExpirySeconds: 3600,
  approverPrincipals: [],
};

/** No task waits for approval: test stacks and local stacks with a single operator. */
export const WITHOUT_APPROVALS: ApprovalConfig['approvals'] = {
  deleteRootCredentials: false,
  enableRecovery: false,
  unlockS3: false,
  unlockSqs: false,
};

export const APPROVAL_CONFIG_KEYS = ['approvals', 'approvalExpirySeconds', 'approverPrincipals'] as const;

/** Step Functions' longest Standard execution is a year; a day-long approval is already generous. */
const MAX_EXPIRY_SECONDS = 7 * 24 * 3600;

/** IAM principals an approver may be: roles, assumed-role sessions, users. */
const APPROVER_PRINCIPAL =
  /^arn:aws[\w-]*:(iam::\d{12}:(role|user)\/[\w+=,.@/-]+|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;

type Fail = (key: string, problem: string) => Error;

export function parseApprovalConfig(values: Readonly<Record<string, unknown>>, fail: Fail): ApprovalConfig {
  const raw = values.approvals;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw fail('approvals', `must be an object of ${APPROVAL_TASKS.join(', ')} → true/false`);
  }
  const approvals = { ...DEFAULT_APPROVAL_CONFIG.approvals };
  for (const [task, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (!(APPROVAL_TASKS as readonly string[]).includes(task)) {
      throw fail(`approvals.${task}`, `is not a root task; use one of ${APPROVAL_TASKS.join(', ')}`);
    }
    if (value !== true && value !== false && value !== 'true' && value !== 'false') {
      throw fail(`approvals.${task}`, `must be true or false, got ${JSON.stringify(value)}`);
    }
    approvals[task as ApprovalTask] = value === true || value === 'true';
  }
  const expiry = values.approvalExpirySeconds ?? DEFAULT_APPROVAL_CONFIG.approvalExpirySeconds;
  const seconds = typeof expiry === 'string' && expiry.trim() !== '' ? Number(expiry) : expiry;
  if (
    typeof seconds !== 'number' ||
    !Number.isInteger(seconds) ||
    seconds < 1 ||
    seconds > MAX_EXPIRY_SECONDS
  ) {
    throw fail(
      'approvalExpirySeconds',
      `must be an integer from 1 to ${MAX_EXPIRY_SECONDS}, got ${JSON.stringify(expiry)}`,
    );
  }
  const principalsRaw = values.approverPrincipals ?? [];
  const principals =
    typeof principalsRaw === 'string' ? principalsRaw.split(',').map((item) => item.trim()) : principalsRaw;
  if (!Array.isArray(principals)) throw fail('approverPrincipals', 'must be a list of IAM ARNs');
  const approverPrincipals = principals
    .filter((item) => item !== '')
    .map((item: unknown) => {
      if (typeof item !== 'string' || !APPROVER_PRINCIPAL.test(item)) {
        throw fail('approverPrincipals', `"${String(item)}" is not a role, assumed-role session or user ARN`);
      }
      return item;
    });
  return { approvals, approvalExpirySeconds: seconds, approverPrincipals };
}
