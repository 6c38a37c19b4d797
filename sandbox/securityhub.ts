/**
 * AWS Security Hub over the wire (restJson1): BatchImportFindings
 * (POST /findings/import), BatchUpdateFindings (PATCH /findings/batchupdate)
 * and GetFindings (POST /findings), with the behaviour AWS documents:
 *
 * - BatchImportFindings takes 1 to 100 findings; each needs AwsAccountId,
 *   CreatedAt, Description, GeneratorId, Id, ProductArn, Resources,
 *   SchemaVersion, Severity, Title, Types and UpdatedAt, and is at most
 *   240 KB. With a default product ARN (product/<account>/default) the
 *   caller must be that account and the finding's AwsAccountId. Bad findings
 *   are listed in FailedFindings; the others are imported.
 * - Same ProductArn and Id: an update. An import cannot change Workflow,
 *   Note, UserDefinedFields or VerificationState of an existing finding;
 *   Severity and Types change through FindingProviderFields only.
 * - Workflow.Status goes back to NEW from NOTIFIED or RESOLVED when
 *   RecordState goes from ARCHIVED to ACTIVE or Compliance.Status leaves
 *   PASSED.
 * - BatchUpdateFindings: 1 to 100 identifiers; unknown ones are listed in
 *   UnprocessedFindings.
 * - GetFindings: EQUALS string filters on Id, ProductArn, GeneratorId,
 *   RecordState, WorkflowStatus, ComplianceStatus and AwsAccountId;
 *   MaxResults 1 to 100, NextToken.
 *
 * Written from the documentation only: the sandbox never imports the code it checks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxClock } from './clock';
import type { World } from './model';

export type Finding = Record<string, unknown> & {
  Id: string;
  ProductArn: string;
};

const REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;
const MAX_FINDINGS_PER_CALL = 100;
const MAX_FINDING_BYTES = 240 * 1024;
const MAX_GET_RESULTS = 100;
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
/** Fields only customers change (BatchUpdateFindings); an import keeps them. */
const CUSTOMER_FIELDS = ['Workflow', 'Note', 'UserDefinedFields', 'VerificationState'] as const;
const GET_FILTERS: Readonly<Record<string, (finding: Finding) => unknown>> = {
  Id: (finding) => finding.Id,
  ProductArn: (finding) => finding.ProductArn,
  GeneratorId: (finding) => finding.GeneratorId,
  AwsAccountId: (finding) => finding.AwsAccountId,
  RecordState: (finding) => finding.RecordState,
  WorkflowStatus: (finding) => (finding.Workflow as { Status?: unknown } | undefined)?.Status,
  ComplianceStatus: (finding) => (finding.Compliance as { Status?: unknown } | undefined)?.Status,
};

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly errorType?: string;
}

class SecurityHubError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const key = (productArn: string, id: string): string => `${productArn}\n${id}`;
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

export interface SecurityHubCall {
  readonly action: string;
  readonly account: string;
  readonly status: number;
}

export class SecurityHubEmulator {
  private readonly findings = new Map<string, Finding>();
  private throttled = 0;
  /** Every call answered, in order, for tests that count calls and retries. */
  readonly calls: SecurityHubCall[] = [];

  constructor(
    private readonly world: World,
    private readonly clock: SandboxClock,
    private readonly region: string,
  ) {}

  /** The findings as stored: the truth tests compare with. */
  all(): Finding[] {
    return [...this.findings.values()].map((finding) => structuredClone(finding));
  }

  /** The next `count` calls answer 429 TooManyRequestsException, as Security Hub does past its rate. */
  throttleNext(count: number): void {
    this.throttled = count;
  }

  /** Requests signed for the securityhub service (SigV4 credential scope). */
  accepts(req: IncomingMessage): boolean {
    return /Credential=[^/]+\/\d{8}\/[^/]+\/securityhub\/aws4_request/.test(req.headers.authorization ?? '');
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { action, account, answer } = this.answer(req, Buffer.concat(chunks).toString('utf8'));
      this.calls.push({ action, account, status: answer.status });
      const body = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-amzn-requestid': `sh-${this.calls.length}`,
        ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
      });
      res.end(body);
    });
  }

  private answer(req: IncomingMessage, text: string): { action: string; account: string; answer: Answer } {
    const path = (req.url ?? '').split('?')[0];
    const action =
      req.method === 'POST' && path === '/findings/import'
        ? 'BatchImportFindings'
        : req.method === 'PATCH' && path === '/findings/batchupdate'
          ? 'BatchUpdateFindings'
          : req.method === 'POST' && path === '/findings'
            ? 'GetFindings'
            : `Unsupported ${req.method ?? ''} ${path ?? ''}`;
    let account = 'anonymous';
    try {
      account = this.callerAccount(req);
      if (this.throttled > 0) {
        this.throttled -= 1;
        throw new SecurityHubError('TooManyRequestsException', 'Rate exceeded', 429);
      }
      let input: Record<string, unknown>;
      try {
        input = record(JSON.parse(text === '' ? '{}' : text));
      } catch {
        throw new SecurityHubError('InvalidInputException', 'The request body is not valid JSON');
      }
      const body =
        action === 'BatchImportFindings'
          ? this.batchImport(account, input)
          : action === 'BatchUpdateFindings'
            ? this.batchUpdate(account, input)
            : action === 'GetFindings'
              ? this.getFindings(account, input)
              : undefined;
      if (body === undefined) throw new SecurityHubError('InvalidAction', `${action} is not emulated`);
      return { action, account, answer: { status: 200, body } };
    } catch (error) {
      if (!(error instanceof SecurityHubError)) throw error;
      return {
        action,
        account,
        answer: {
          status: error.status,
          errorType: error.type,
          body: { __type: error.type, Message: error.message },
        },
      };
    }
  }

  private callerAccount(req: IncomingMessage): string {
    const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const principal = this.world.credentials.get(accessKeyId);
    if (principal === undefined)
      throw new SecurityHubError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      );
    return principal.accountId;
  }

  private defaultProductArn(account: string): string {
    return `arn:${this.world.organization.partition}:securityhub:${this.region}:${account}:product/${account}/default`;
  }

  private problemOf(account: string, value: unknown): [string, string] | undefined {
    const finding = record(value);
    const missing = REQUIRED.filter((field) => finding[field] === undefined || finding[field] === '');
    if (missing.length > 0)
      return ['InvalidInput', `Finding is missing required fields: ${missing.join(', ')}`];
    if (Buffer.byteLength(JSON.stringify(finding)) > MAX_FINDING_BYTES)
      return ['FindingSizeExceeded', 'Finding is larger than 240 KB'];
    const resources = finding.Resources;
    if (!Array.isArray(resources) || resources.length < 1 || resources.length > 32)
      return ['InvalidInput', 'Resources must hold 1 to 32 resources'];
    const severity = record(finding.Severity);
    if (severity.Label === undefined && severity.Normalized === undefined)
      return ['InvalidInput', 'Severity needs a Label or Normalized'];
    if (!Array.isArray(finding.Types) || finding.Types.length === 0)
      return ['InvalidInput', 'Types must hold at least one type'];
    const productArn = String(finding.ProductArn);
    if (/:product\/\d{12}\/default$/.test(productArn)) {
      if (productArn !== this.defaultProductArn(account) || finding.AwsAccountId !== account)
        return [
          'AccessDeniedException',
          'With the default product ARN, the caller must be the account of the product and of the finding',
        ];
    } else {
      return ['AccessDeniedException', `Product ${productArn} is not enabled for account ${account}`];
    }
    return undefined;
  }

  private batchImport(account: string, input: Record<string, unknown>): unknown {
    const findings = input.Findings;
    if (!Array.isArray(findings) || findings.length < 1 || findings.length > MAX_FINDINGS_PER_CALL)
      throw new SecurityHubError(
        'InvalidInputException',
        `Findings must hold 1 to ${MAX_FINDINGS_PER_CALL} findings`,
      );
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    let success = 0;
    for (const value of findings) {
      const problem = this.problemOf(account, value);
      const incoming = record(value) as Finding;
      if (problem !== undefined) {
        failed.push({ Id: String(incoming.Id ?? ''), ErrorCode: problem[0], ErrorMessage: problem[1] });
        continue;
      }
      this.upsert(incoming);
      success += 1;
    }
    return { FailedCount: failed.length, SuccessCount: success, FailedFindings: failed };
  }

  private upsert(incoming: Finding): void {
    const id = key(incoming.ProductArn, incoming.Id);
    const existing = this.findings.get(id);
    const now = new Date(this.clock.now()).toISOString();
    if (existing === undefined) {
      const providerFields = record(incoming.FindingProviderFields);
      this.findings.set(id, {
        ...structuredClone(incoming),
        Severity: providerFields.Severity ?? incoming.Severity,
        Types: providerFields.Types ?? incoming.Types,
        RecordState: incoming.RecordState ?? 'ACTIVE',
        Workflow: incoming.Workflow ?? { Status: 'NEW' },
        WorkflowState: 'NEW',
        ProcessedAt: now,
      });
      return;
    }
    const next: Finding = { ...structuredClone(incoming) };
    for (const field of CUSTOMER_FIELDS) {
      if (existing[field] === undefined) delete next[field];
      else next[field] = existing[field];
    }
    const providerFields = record(incoming.FindingProviderFields);
    next.Severity = providerFields.Severity ?? existing.Severity;
    next.Types = providerFields.Types ?? existing.Types;
    next.RecordState = incoming.RecordState ?? existing.RecordState;
    next.ProcessedAt = now;
    const wasArchived = existing.RecordState === 'ARCHIVED' && next.RecordState === 'ACTIVE';
    const leftPassed =
      record(existing.Compliance).Status === 'PASSED' &&
      record(next.Compliance).Status !== undefined &&
      record(next.Compliance).Status !== 'PASSED';
    const status = record(next.Workflow).Status;
    if ((wasArchived || leftPassed) && (status === 'NOTIFIED' || status === 'RESOLVED'))
      next.Workflow = { Status: 'NEW' };
    this.findings.set(key(incoming.ProductArn, incoming.Id), next);
  }

  private batchUpdate(account: string, input: Record<string, unknown>): unknown {
    const identifiers = input.FindingIdentifiers;
    if (!Array.isArray(identifiers) || identifiers.length < 1 || identifiers.length > MAX_FINDINGS_PER_CALL)
      throw new SecurityHubError(
        'InvalidInputException',
        `FindingIdentifiers must hold 1 to ${MAX_FINDINGS_PER_CALL} identifiers`,
      );
    const workflow = record(input.Workflow);
    const status = workflow.Status;
    if (status !== undefined && !WORKFLOW_STATUSES.some((allowed) => allowed === status))
      throw new SecurityHubError(
        'InvalidInputException',
        `Workflow.Status ${JSON.stringify(status)} is not valid`,
      );
    const processed: unknown[] = [];
    const unprocessed: unknown[] = [];
    for (const value of identifiers) {
      const identifier = record(value);
      const finding = this.findings.get(key(String(identifier.ProductArn), String(identifier.Id)));
      if (finding === undefined || finding.AwsAccountId !== account) {
        unprocessed.push({
          FindingIdentifier: identifier,
          ErrorCode: 'FindingNotFound',
          ErrorMessage: 'Finding not found',
        });
        continue;
      }
      if (workflow.Status !== undefined) finding.Workflow = { Status: workflow.Status };
      if (input.Note !== undefined)
        finding.Note = { ...record(input.Note), UpdatedAt: new Date(this.clock.now()).toISOString() };
      processed.push(identifier);
    }
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  }

  private getFindings(account: string, input: Record<string, unknown>): unknown {
    const maxResults = input.MaxResults === undefined ? MAX_GET_RESULTS : Number(input.MaxResults);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_GET_RESULTS)
      throw new SecurityHubError('InvalidInputException', `MaxResults must be 1 to ${MAX_GET_RESULTS}`);
    const filters = Object.entries(record(input.Filters)).map(([name, conditions]) => {
      const read = GET_FILTERS[name];
      if (read === undefined)
        throw new SecurityHubError('InvalidInputException', `Filter ${name} is not emulated`);
      const values = (Array.isArray(conditions) ? conditions : []).map((condition) => {
        const { Value, Comparison } = record(condition);
        if (Comparison !== 'EQUALS')
          throw new SecurityHubError(
            'InvalidInputException',
            `Comparison ${String(Comparison)} is not emulated`,
          );
        return Value;
      });
      return (finding: Finding) => values.includes(read(finding));
    });
    const matching = [...this.findings.values()]
      .filter((finding) => finding.AwsAccountId === account)
      .filter((finding) => filters.every((matches) => matches(finding)));
    const start = typeof input.NextToken === 'string' && input.NextToken !== '' ? Number(input.NextToken) : 0;
    const page = matching.slice(start, start + maxResults);
    const end = start + page.length;
    return {
      Findings: page.map((finding) => structuredClone(finding)),
      ...(end < matching.length ? { NextToken: String(end) } : {}),
    };
  }
}
