import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { callAws } from './aws-error-mapping';
import { describePresent, type Posture } from './posture';
import type { Partition } from './task-policies';

/**
 * Root-credential postures as AWS Security Hub findings (ASFF), one finding
 * per member account, imported by the Rootkeeper account under its default
 * product (what AWS documents for custom findings):
 *
 * - BatchImportFindings with the default product ARN must come from the
 *   account named in each finding's AwsAccountId, so AwsAccountId is the
 *   Rootkeeper account and the member account is the finding's resource
 *   (Type AwsAccount).
 * - At most 100 findings per BatchImportFindings call, each under 240 KB;
 *   the answer lists per-finding failures instead of failing the call.
 * - A finding with the same Id and ProductArn is updated in place. After
 *   creation, BatchImportFindings cannot change Workflow (nor Note,
 *   UserDefinedFields, VerificationState), and providers change Severity and
 *   Types through FindingProviderFields.
 * - Security Hub resets Workflow.Status to NEW when RecordState goes from
 *   ARCHIVED to ACTIVE or Compliance.Status leaves PASSED, and sets RESOLVED
 *   by itself only for its own control findings: so a clean account's
 *   finding is archived (RecordState ARCHIVED, Compliance PASSED) by
 *   BatchImportFindings, then marked Workflow.Status RESOLVED by
 *   BatchUpdateFindings (also at most 100 per call).
 */

export const FINDINGS_PER_CALL = 100;
const ASFF_SCHEMA_VERSION = '2018-10-08';
const FINDING_GENERATOR_ID = 'rootkeeper/root-credentials';
const FINDING_TYPE = 'Software and Configuration Checks/AWS Security Best Practices/Root credentials';

export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface FindingContext {
  readonly partition: Partition;
  readonly region: string;
  /** The account that calls Security Hub (management or delegated administrator). */
  readonly callerAccountId: string;
  /** ISO instant of the audit that observed the posture. */
  readonly observedAt: string;
}

export interface AccountPosture {
  readonly accountId: string;
  readonly posture: Posture;
}

export function defaultProductArn(
  context: Pick<FindingContext, 'partition' | 'region' | 'callerAccountId'>,
): string {
  const { partition, region, callerAccountId } = context;
  return `arn:${partition}:securityhub:${region}:${callerAccountId}:product/${callerAccountId}/default`;
}

/** Stable per account, so each audit updates the same finding. */
export function findingIdOf(accountId: string): string {
  return `${FINDING_GENERATOR_ID}/${accountId}`;
}

/**
 * Access keys let anyone holding them act as root without MFA: critical. A
 * password or a signing certificate is a standing way in: high. MFA devices
 * alone cannot sign in: low. Clean: informational.
 */
export function severityOf(posture: Posture): SeverityLabel {
  if (posture.accessKeysPresent) return 'CRITICAL';
  if (posture.passwordPresent || posture.signingCertificatesPresent) return 'HIGH';
  if (posture.mfaEnabled) return 'LOW';
  return 'INFORMATIONAL';
}

export function postureFinding(
  { accountId, posture }: AccountPosture,
  context: FindingContext,
): AwsSecurityFinding {
  const severity = severityOf(posture);
  const present = posture.credentialsPresent;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingIdOf(accountId),
    ProductArn: defaultProductArn(context),
    GeneratorId: FINDING_GENERATOR_ID,
    AwsAccountId: context.callerAccountId,
    Types: [FINDING_TYPE],
    CreatedAt: context.observedAt,
    UpdatedAt: context.observedAt,
    Severity: { Label: severity },
    FindingProviderFields: { Severity: { Label: severity }, Types: [FINDING_TYPE] },
    Title: present
      ? `Root user of account ${accountId} has credentials`
      : `Root user of account ${accountId} has no credentials`,
    Description: present
      ? `The root user of member account ${accountId} still has: ${describePresent(posture)}. With centralized root access, member accounts need no root credentials.`
      : `The root user of member account ${accountId} has no password, access keys, signing certificates or MFA devices.`,
    Remediation: {
      Recommendation: {
        Text: `Delete them with Rootkeeper: rootkeeper delete-root-credentials --account ${accountId} --reason "<why>"`,
      },
    },
    ProductFields: { 'rootkeeper/accountId': accountId },
    Resources: [
      {
        Type: 'AwsAccount',
        Id: `AWS::::Account:${accountId}`,
        Partition: context.partition,
        Region: context.region,
      },
    ],
    Compliance: { Status: present ? 'FAILED' : 'PASSED' },
    RecordState: present ? 'ACTIVE' : 'ARCHIVED',
    // Only read when the finding is created; later imports cannot change it.
    Workflow: { Status: 'NEW' },
  };
}

export interface FailedFinding {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export interface PublishResult {
  readonly imported: number;
  readonly resolved: number;
  readonly failed: readonly FailedFinding[];
  readonly calls: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Imports (creates or updates) one finding per posture, then marks the
 * clean accounts' findings RESOLVED. Throttling and transient errors are
 * retried by the client's retry strategy (the functions' shared budget);
 * per-finding rejections are returned, not thrown, so one bad account does
 * not hide the others. Only findings that imported are marked resolved.
 */
export async function publishPostureFindings(
  securityHub: SecurityHubClient,
  postures: readonly AccountPosture[],
  context: FindingContext,
): Promise<PublishResult> {
  const failed: FailedFinding[] = [];
  let calls = 0;
  let imported = 0;
  for (const batch of chunks(
    postures.map((one) => postureFinding(one, context)),
    FINDINGS_PER_CALL,
  )) {
    calls += 1;
    const answer = await callAws('securityhub:BatchImportFindings', () =>
      securityHub.send(new BatchImportFindingsCommand({ Findings: batch })),
    );
    imported += answer.SuccessCount ?? 0;
    for (const failure of answer.FailedFindings ?? [])
      failed.push({
        id: failure.Id ?? '',
        code: failure.ErrorCode ?? '',
        message: failure.ErrorMessage ?? '',
      });
  }
  const failedIds = new Set(failed.map((failure) => failure.id));
  const clean = postures
    .filter((one) => !one.posture.credentialsPresent)
    .map((one) => findingIdOf(one.accountId))
    .filter((id) => !failedIds.has(id));
  let resolved = 0;
  for (const batch of chunks(clean, FINDINGS_PER_CALL)) {
    calls += 1;
    const answer = await callAws('securityhub:BatchUpdateFindings', () =>
      securityHub.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: batch.map((Id) => ({ Id, ProductArn: defaultProductArn(context) })),
          Workflow: { Status: 'RESOLVED' },
          Note: { Text: 'Rootkeeper: the root user has no credentials', UpdatedBy: 'rootkeeper' },
        }),
      ),
    );
    resolved += answer.ProcessedFindings?.length ?? 0;
    for (const unprocessed of answer.UnprocessedFindings ?? [])
      failed.push({
        id: unprocessed.FindingIdentifier?.Id ?? '',
        code: unprocessed.ErrorCode ?? '',
        message: unprocessed.ErrorMessage ?? '',
      });
  }
  return { imported, resolved, failed, calls };
}

/** What one account's audit gave: a posture when it succeeded, none when it failed. */
export interface AuditedAccount {
  readonly accountId: string;
  readonly posture?: Posture;
}

export interface AuditFindingsOutcome {
  /** Findings sent: one per account audited successfully. */
  readonly published: number;
  /** Findings Security Hub refused, or every finding sent when a call failed. */
  readonly failed: number;
  readonly failures: readonly FailedFinding[];
  /** Set when a call failed after the client's retries (the publish stopped there). */
  readonly error?: string;
}

/**
 * Publishes the findings of one audit's accounts. An account whose audit
 * failed publishes nothing: its last finding stays as it was, rather than
 * being resolved for lack of a posture. A Security Hub error is returned,
 * not thrown: the audit's postures are already recorded, and failing the
 * audit over its findings would audit (and open root sessions for) the
 * accounts again.
 */
export async function publishAuditFindings(
  securityHub: SecurityHubClient,
  audited: readonly AuditedAccount[],
  context: FindingContext,
): Promise<AuditFindingsOutcome> {
  const postures = audited.flatMap(({ accountId, posture }) =>
    posture === undefined ? [] : [{ accountId, posture }],
  );
  if (postures.length === 0) return { published: 0, failed: 0, failures: [] };
  try {
    const result = await publishPostureFindings(securityHub, postures, context);
    return { published: postures.length, failed: result.failed.length, failures: result.failed };
  } catch (error) {
    const named = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { published: postures.length, failed: postures.length, failures: [], error: named };
  }
}
