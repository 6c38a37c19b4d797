/**
 * DynamoDB capacity units of one organization audit. The local table
 * (dynalite) reports no consumed capacity, so writes are priced from the
 * items the run left in a fresh table (their real sizes), and reads from the
 * handlers' access pattern (architecture.md), which the items confirm.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { readUnitsFor, writeUnitsFor } from './cost';
import { KEY_PREFIX, ORGANIZATION } from '../lib/results-table-keys';

/** DynamoDB's item size rules: names and values in UTF-8, numbers ~1 byte per 2 digits + 1, 3 bytes of overhead per list or map. */
export function attributeSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + attributeSize({ N: n }), 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, item) => sum + 1 + attributeSize(item), 0);
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

export function itemSize(item: Readonly<Record<string, AttributeValue>>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + attributeSize(value),
    0,
  );
}

export interface AuditTableUsage {
  readonly writeUnits: number;
  /** GSI1 (projection ALL) write units: see auditTableUsage. */
  readonly gsiWriteUnits: number;
  readonly readUnits: number;
  readonly items: number;
}

export interface AuditAccessPattern {
  /** Every item the run left in a fresh table (inventory shards, postures, run records, the summary). */
  readonly items: readonly Readonly<Record<string, AttributeValue>>[];
  /** putItem / updateItem / getItem states the workflows ran (counted from their histories). */
  readonly workflowWrites: number;
  readonly workflowReads: number;
  readonly shards: number;
  readonly accounts: number;
}

/**
 * Writes: every item the handlers wrote, once, at its size; every write
 * state of the workflow at the summary item's size (the item it writes).
 * Index writes: every item with GSI1PK once more at its size, and the
 * summary's writes once more, plus one for its key change.
 * Reads: per shard one consistent GetItem of the inventory item and an
 * eventually consistent BatchGetItem of its accounts' postures (half a unit
 * each, found or not); one Query for the baseline check; the workflow's
 * getItem states.
 */
export function auditTableUsage(pattern: AuditAccessPattern): AuditTableUsage {
  let writeUnits = 0;
  let gsiWriteUnits = 0;
  let summaryUnits = 1;
  let inventoryReadUnits = 1;
  for (const item of pattern.items) {
    const size = itemSize(item);
    const pk = item.PK?.S ?? '';
    if (pk === ORGANIZATION) {
      summaryUnits = writeUnitsFor(size);
      continue;
    }
    writeUnits += writeUnitsFor(size);
    // Postures and run records carry GSI1PK: the index writes the item again.
    if (item.GSI1PK?.S !== undefined) gsiWriteUnits += writeUnitsFor(size);
    if (pk.startsWith(KEY_PREFIX.inventory))
      inventoryReadUnits = Math.max(inventoryReadUnits, readUnitsFor(size, true));
  }
  writeUnits += pattern.workflowWrites * summaryUnits;
  // The summary carries GSI1PK from its opening: every write of it (the shards' counts
  // included) is written to the index too, and the final record changes its key
  // (RUNNING → AUDITED): a delete and a put in the index, one more write.
  gsiWriteUnits += (pattern.workflowWrites + 1) * summaryUnits;
  const halfUnit = readUnitsFor(1, false);
  const readUnits =
    pattern.shards * inventoryReadUnits + (pattern.accounts + 1 + pattern.workflowReads) * halfUnit;
  return { writeUnits, gsiWriteUnits, readUnits, items: pattern.items.length };
}
