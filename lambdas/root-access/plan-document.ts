import type { DeleteActionName } from './delete-credentials';
import { InvalidInputError } from './errors';
import { isAccountId } from './id-patterns';
import {
  REMEDIATION_PLAN_KIND,
  REMEDIATION_PLAN_SCHEMA_VERSION,
  type PlannedAccount,
  type RemediationPlan,
} from './remediation-plan';

/**
 * Reads a saved remediation plan (`rootkeeper remediate --execute PLAN.json`)
 * before anything is stored or started: every field the workflow relies on,
 * checked, and the first problem named by its path in the document
 * (`waves[1].accounts[0].credentialsDigest`). A reviewed plan may have been
 * edited by hand; what it may not do is delete a key it says it keeps, list
 * an account twice, or number its waves out of order.
 */

const DELETE_ACTIONS: readonly DeleteActionName[] = [
  'DeleteLoginProfile',
  'DeleteAccessKey',
  'DeleteSigningCertificate',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
];

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidInputError(field, 'must be a JSON object');
  return value as Json;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, 'must be a list');
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new InvalidInputError(field, 'must be a non-empty string');
  return value;
}

function date(value: unknown, field: string): string {
  const given = text(value, field);
  if (Number.isNaN(Date.parse(given)))
    throw new InvalidInputError(field, `must be an ISO 8601 date, got ${given}`);
  return given;
}

function account(value: unknown, field: string, seen: Set<string>): PlannedAccount {
  const fields = object(value, field);
  const accountId = text(fields.accountId, `${field}.accountId`);
  if (!isAccountId(accountId))
    throw new InvalidInputError(`${field}.accountId`, `must be a 12-digit account id, got ${accountId}`);
  if (seen.has(accountId)) throw new InvalidInputError(`${field}.accountId`, `${accountId} is planned twice`);
  seen.add(accountId);
  date(fields.postureRecordedAt, `${field}.postureRecordedAt`);
  const digest = text(fields.credentialsDigest, `${field}.credentialsDigest`);
  if (!/^[0-9a-f]{64}$/.test(digest))
    throw new InvalidInputError(
      `${field}.credentialsDigest`,
      'must be the 64-character SHA-256 the plan printed',
    );
  const kept = list(fields.keptKeys, `${field}.keptKeys`).map((key, index) =>
    text(object(key, `${field}.keptKeys[${index}]`).accessKeyId, `${field}.keptKeys[${index}].accessKeyId`),
  );
  list(fields.deletions, `${field}.deletions`).forEach((deletion, index) => {
    const where = `${field}.deletions[${index}]`;
    const entry = object(deletion, where);
    const action = entry.action;
    if (!DELETE_ACTIONS.includes(action as DeleteActionName))
      throw new InvalidInputError(`${where}.action`, `must be one of ${DELETE_ACTIONS.join(', ')}`);
    if (action !== 'DeleteLoginProfile') text(entry.target, `${where}.target`);
    if (typeof entry.irreversible !== 'boolean')
      throw new InvalidInputError(`${where}.irreversible`, 'must be true or false');
    if (action === 'DeleteAccessKey' && kept.includes(String(entry.target)))
      throw new InvalidInputError(`${where}.target`, `deletes ${String(entry.target)}, which the plan keeps`);
  });
  list(fields.risks, `${field}.risks`);
  return fields as unknown as PlannedAccount;
}

/** The plan, checked; InvalidInputError names the first wrong field. */
export function parseRemediationPlan(document: unknown): RemediationPlan {
  const plan = object(document, 'plan');
  if (plan.kind !== REMEDIATION_PLAN_KIND)
    throw new InvalidInputError(
      'kind',
      `must be "${REMEDIATION_PLAN_KIND}", got ${JSON.stringify(plan.kind)}`,
    );
  if (plan.schemaVersion !== REMEDIATION_PLAN_SCHEMA_VERSION)
    throw new InvalidInputError(
      'schemaVersion',
      `must be ${REMEDIATION_PLAN_SCHEMA_VERSION} (this rootkeeper's plans), got ${JSON.stringify(plan.schemaVersion)}`,
    );
  date(plan.createdAt, 'createdAt');
  object(plan.scope, 'scope');
  object(plan.settings, 'settings');
  list(plan.notPlanned, 'notPlanned');
  const waves = list(plan.waves, 'waves');
  if (waves.length === 0) throw new InvalidInputError('waves', 'must hold at least one wave');
  const seen = new Set<string>();
  waves.forEach((wave, index) => {
    const field = `waves[${index}]`;
    const fields = object(wave, field);
    if (fields.number !== index + 1) throw new InvalidInputError(`${field}.number`, `must be ${index + 1}`);
    if (fields.kind !== 'canary' && fields.kind !== 'rollout')
      throw new InvalidInputError(`${field}.kind`, 'must be "canary" or "rollout"');
    const accounts = list(fields.accounts, `${field}.accounts`);
    if (accounts.length === 0)
      throw new InvalidInputError(`${field}.accounts`, 'must hold at least one account');
    accounts.forEach((entry, position) => account(entry, `${field}.accounts[${position}]`, seen));
  });
  return plan as unknown as RemediationPlan;
}
