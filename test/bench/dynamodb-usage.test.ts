import { attributeSize, auditTableUsage, itemSize } from '../../bench/dynamodb-usage';

describe('DynamoDB item size', () => {
  it('counts names and values in UTF-8', () => {
    expect(itemSize({ PK: { S: 'ACCOUNT#123456789012' }, ok: { BOOL: true } })).toBe(2 + 20 + 2 + 1);
    expect(attributeSize({ S: 'é' })).toBe(2);
  });
  it('sizes numbers by their significant digits', () => {
    expect(attributeSize({ N: '12345' })).toBe(4);
    expect(attributeSize({ N: '0' })).toBe(1);
  });
  it('adds the overhead of lists and maps', () => {
    expect(attributeSize({ L: [{ S: 'ab' }, { S: 'c' }] })).toBe(3 + 1 + 2 + 1 + 1);
    expect(attributeSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 2 + 1);
    expect(attributeSize({ SS: ['ab', 'cde'] })).toBe(5);
  });
});

describe('audit table usage', () => {
  const posture = { PK: { S: 'ACCOUNT#1' }, SK: { S: 'POSTURE' } };
  const inventory = {
    PK: { S: 'INVENTORY#x' },
    SK: { S: 'SHARD#0' },
    accountIds: { L: [{ S: 'x'.repeat(5000) }] },
  };
  const summary = { PK: { S: 'ORGANIZATION' }, SK: { S: 'RUN#1' } };

  it('prices each handler item once, and the workflow writes at the summary size', () => {
    const usage = auditTableUsage({
      items: [posture, inventory, summary],
      workflowWrites: 3,
      workflowReads: 0,
      shards: 1,
      accounts: 1,
    });
    // posture 1 + inventory 5 KB → 5 units; summary written by 3 states at 1 unit
    expect(usage.writeUnits).toBe(1 + 5 + 3);
    // index: the posture has no GSI1PK here; the summary's 3 writes + its key change, 1 unit each
    expect(usage.gsiWriteUnits).toBe(3 + 1);
    // inventory read consistently: 2 units (5 KB); one posture read + the baseline query at half a unit
    expect(usage.readUnits).toBe(2 + 0.5 + 0.5);
    expect(usage.items).toBe(3);
  });

  it('writes postures and run records to the index again, at their size', () => {
    const indexed = {
      PK: { S: 'ACCOUNT#1' },
      SK: { S: 'POSTURE' },
      GSI1PK: { S: 'POSTURE' },
      big: { S: 'x'.repeat(1500) },
    };
    const usage = auditTableUsage({
      items: [indexed],
      workflowWrites: 0,
      workflowReads: 0,
      shards: 0,
      accounts: 1,
    });
    // 1,5xx bytes → 2 units in the table, 2 in the index; no summary item: its opening write, 1 unit
    expect(usage.writeUnits).toBe(2);
    expect(usage.gsiWriteUnits).toBe(2 + 1);
  });
});
