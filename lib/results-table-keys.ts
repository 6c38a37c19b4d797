/**
 * The results table's key formats, the one source for every writer and
 * reader: the workflows (as Step Functions States.Format templates), the
 * handlers, the CLI, the local stack and the benchmark. Plain TypeScript, no
 * CDK types, so the functions bundle it too. Item shapes: docs/architecture.md,
 * "Results table".
 */

/** The prefixes of the key values. */
export const KEY_PREFIX = {
  account: 'ACCOUNT#',
  run: 'RUN#',
  request: 'REQUEST#',
  resource: 'RESOURCE#',
  backup: 'BACKUP#',
  outcome: 'OUTCOME#',
  inventory: 'INVENTORY#',
  shard: 'SHARD#',
  approval: 'APPROVAL#',
  plan: 'PLAN#',
  wave: 'WAVE#',
  goAhead: 'GO_AHEAD#',
} as const;

/** Fixed key values. */
export const POSTURE = 'POSTURE';
export const CLAIM = 'CLAIM';
export const BACKUP = 'BACKUP';
export const ORGANIZATION = 'ORGANIZATION';
/** The sort key of an inventory's protected OU members. */
export const PROTECTED_MEMBERS = 'PROTECTED';
/** Sort key of an approval decision (PK APPROVAL#<execution ARN>), written by the Decide approval function. */
export const DECISION = 'DECISION';
/**
 * Sort key of a remediation go-ahead (PK APPROVAL#<execution ARN>, one per
 * wave it opens: `GO_AHEAD#<wave>`, unpadded so the workflow builds it with
 * States.Format), written by the Decide approval function.
 */
export const goAheadDecisionKey = (wave: number): string => `${KEY_PREFIX.goAhead}${wave}`;

export const accountKey = (accountId: string): string => `${KEY_PREFIX.account}${accountId}`;
export const runKey = (startedAt: string, executionName: string): string =>
  `${KEY_PREFIX.run}${startedAt}#${executionName}`;
export const outcomeKey = (outcome: string): string => `${KEY_PREFIX.outcome}${outcome}`;

/**
 * The outcome of a dry run: what a root action would change, read and
 * recorded, nothing changed (also the plan the command line shows before a
 * root action; `history` leaves these out unless --include-plans).
 */
export const PLANNED_OUTCOME = 'PLANNED';
export const resourceKey = (resourceArn: string): string => `${KEY_PREFIX.resource}${resourceArn}`;
export const backupKey = (backupId: string): string => `${KEY_PREFIX.backup}${backupId}`;
export const inventoryKey = (inventoryId: string): string => `${KEY_PREFIX.inventory}${inventoryId}`;
export const shardKey = (shard: number): string => `${KEY_PREFIX.shard}${shard}`;
export const approvalKey = (executionArn: string): string => `${KEY_PREFIX.approval}${executionArn}`;

/**
 * A remediation plan saved for its run (`rootkeeper remediate --execute`):
 * PK `PLAN#<run>`, one item per planned account, SK `WAVE#<0001>#<account>`,
 * so that one Query with `begins_with(SK, WAVE#0002#)` reads a wave in order.
 */
export const planKey = (run: string): string => `${KEY_PREFIX.plan}${run}`;
export const wavePrefix = (wave: number): string => `${KEY_PREFIX.wave}${String(wave).padStart(4, '0')}#`;
export const plannedAccountKey = (wave: number, accountId: string): string =>
  `${wavePrefix(wave)}${accountId}`;

/** The account id of an `ACCOUNT#<id>` key, or undefined for any other key. */
export function accountOfKey(key: unknown): string | undefined {
  return typeof key === 'string' && key.startsWith(KEY_PREFIX.account)
    ? key.slice(KEY_PREFIX.account.length)
    : undefined;
}

/** The same keys as States.Format templates, one `{}` per argument, for the workflows. */
export const KEY_TEMPLATE = {
  account: `${KEY_PREFIX.account}{}`,
  run: `${KEY_PREFIX.run}{}#{}`,
  request: `${KEY_PREFIX.request}{}`,
  resource: `${KEY_PREFIX.resource}{}`,
  backup: `${KEY_PREFIX.backup}{}`,
  backupSort: `${KEY_PREFIX.backup}{}#{}`,
  outcome: `${KEY_PREFIX.outcome}{}`,
  approval: `${KEY_PREFIX.approval}{}`,
  goAheadDecision: `${KEY_PREFIX.goAhead}{}`,
} as const;
