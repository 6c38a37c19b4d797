/**
 * The audit's settings as deployed, read from the synthesized definition
 * rather than from the configuration defaults, so the report states what
 * actually ran (cdk.json may override the defaults).
 */

export interface WorkflowSettings {
  /** Shards audited at once: `concurrency` of the listing (a Distributed Map's MaxConcurrency before). */
  readonly auditConcurrency?: number;
  /** shardSize passed to ListMemberAccounts. */
  readonly auditShardSize?: number;
}

type Json = unknown;

function* walk(value: Json): Generator<Record<string, Json>> {
  if (Array.isArray(value)) for (const item of value) yield* walk(item);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, Json>;
    yield record;
    for (const child of Object.values(record)) yield* walk(child);
  }
}

export function workflowSettings(definitionString: string): WorkflowSettings {
  let auditConcurrency: number | undefined;
  let auditShardSize: number | undefined;
  for (const node of walk(JSON.parse(definitionString))) {
    const processor = node.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
    if (processor?.ProcessorConfig?.Mode === 'DISTRIBUTED' && typeof node.MaxConcurrency === 'number') {
      auditConcurrency = node.MaxConcurrency;
    }
    if (typeof node.shardSize === 'number') auditShardSize = node.shardSize;
    if (typeof node.shardSize === 'number' && typeof node.concurrency === 'number') {
      auditConcurrency = node.concurrency;
    }
  }
  return {
    ...(auditConcurrency === undefined ? {} : { auditConcurrency }),
    ...(auditShardSize === undefined ? {} : { auditShardSize }),
  };
}
