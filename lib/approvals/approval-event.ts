/**
 * The Approval Requested event (default bus) and the state that waits for
 * the decision: the workflows emit them, the command line finds pending
 * requests by them (one name each, used on both sides).
 */
export const APPROVAL_EVENT = { source: 'rootkeeper', detailType: 'Approval Requested' } as const;

/** The Task state that waits for the task token; its TaskScheduled event holds the request. */
export const APPROVAL_STATE = 'Ask for approval';

/** The decision outcomes a run can end with besides its own. */
export const UNAPPROVED_OUTCOMES = ['DENIED', 'EXPIRED'] as const;

/** The Decide approval function's variable: the gated workflows' state machine ARNs, comma-separated. */
export const GATED_STATE_MACHINES_VARIABLE = 'GATED_STATE_MACHINE_ARNS';

/** The stack output with the Decide approval function's URL (`approve` and `deny` call it). */
export const DECIDE_APPROVAL_URL_OUTPUT = 'DecideApprovalUrl';
