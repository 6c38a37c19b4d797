/**
 * The go-ahead between two waves of the Remediate organization workflow:
 * the state that waits for its task token and the event it puts on the
 * default bus (one name each, read by `rootkeeper remediate --continue` and
 * the Decide approval function, which alone answers it).
 */
export const GO_AHEAD_EVENT = { source: 'rootkeeper', detailType: 'Remediation Go-Ahead Requested' } as const;

/** The Task state that waits; its TaskScheduled event holds the token and the finished wave's tally. */
export const GO_AHEAD_STATE = 'Wait for the go ahead';

/** The Decide approval function's variable: the Remediate organization state machine ARNs, comma-separated. */
export const GO_AHEAD_STATE_MACHINES_VARIABLE = 'GO_AHEAD_STATE_MACHINE_ARNS';
