import {
  DescribePolicyCommand,
  paginateListPolicies,
  paginateListTargetsForPolicy,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { PolicyDocument } from './guardrail-policies';

/**
 * `rootkeeper guardrails --check`: which service control policies carry a
 * guardrail's statements, and where they are attached, read from
 * Organizations (read-only; the management account or a delegated
 * administrator may call these):
 *
 * - ListPolicies, Filter SERVICE_CONTROL_POLICY: PolicySummary (Id, Arn,
 *   Name, Type, AwsManaged), 20 a page at most;
 * - DescribePolicy: adds Content, the document as a JSON string;
 * - ListTargetsForPolicy: TargetId, Arn, Name, Type ROOT |
 *   ORGANIZATIONAL_UNIT | ACCOUNT.
 *
 * An SCP carries a guardrail when every statement of the guardrail appears in
 * it, compared by meaning: Sid ignored, a single value equal to a one-element
 * list, lists in any order. A guardrail may be split over several SCPs only
 * statement by statement, which this check does not follow: it asks for one
 * SCP with all of them, as `rootkeeper guardrails` prints them.
 */

export interface GuardrailTarget {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

export interface CarryingPolicy {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly targets: readonly GuardrailTarget[];
}

export interface GuardrailStatus {
  readonly name: string;
  /** In at least one SCP attached to at least one root, OU or account. */
  readonly attached: boolean;
  readonly policies: readonly CarryingPolicy[];
}

type Json = unknown;

/** A canonical text of a value: object keys sorted, lists sorted, one-element lists as their element. */
function canonical(value: Json): string {
  if (Array.isArray(value)) {
    const items = value.map(canonical).sort();
    return items.length === 1 ? (items[0] ?? '') : `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, Json>)
      .filter(([key]) => key !== 'Sid')
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function statementsOf(content: string): string[] {
  try {
    const document = JSON.parse(content) as { Statement?: Json };
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    return statements.filter((statement) => statement !== undefined).map(canonical);
  } catch {
    return [];
  }
}

function carries(content: string, guardrail: PolicyDocument): boolean {
  const present = new Set(statementsOf(content));
  return guardrail.Statement.every((statement) => present.has(canonical(statement)));
}

export async function checkGuardrails(
  organizations: OrganizationsClient,
  guardrails: readonly { readonly name: string; readonly document: PolicyDocument }[],
): Promise<GuardrailStatus[]> {
  const summaries = [];
  for await (const page of paginateListPolicies(
    { client: organizations },
    { Filter: 'SERVICE_CONTROL_POLICY' },
  )) {
    summaries.push(...(page.Policies ?? []));
  }
  const carrying = new Map<string, CarryingPolicy[]>(guardrails.map((guardrail) => [guardrail.name, []]));
  for (const summary of summaries) {
    const id = summary.Id ?? '';
    const { Policy } = await organizations.send(new DescribePolicyCommand({ PolicyId: id }));
    const content = Policy?.Content ?? '';
    const matching = guardrails.filter((guardrail) => carries(content, guardrail.document));
    if (matching.length === 0) continue;
    const targets: GuardrailTarget[] = [];
    for await (const page of paginateListTargetsForPolicy({ client: organizations }, { PolicyId: id })) {
      for (const target of page.Targets ?? []) {
        targets.push({ id: target.TargetId ?? '', name: target.Name ?? '', type: target.Type ?? '' });
      }
    }
    for (const guardrail of matching) {
      carrying.get(guardrail.name)?.push({ id, name: summary.Name ?? '', arn: summary.Arn ?? '', targets });
    }
  }
  return guardrails.map((guardrail) => {
    const policies = carrying.get(guardrail.name) ?? [];
    return { name: guardrail.name, attached: policies.some((p) => p.targets.length > 0), policies };
  });
}
