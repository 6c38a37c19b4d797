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
    // inventory read consistently: 2 units (5 KB); one posture read + the baseline query at half a unit
    expect(usage.readUnits).toBe(2 + 0.5 + 0.5);
    expect(usage.items).toBe(3);
  });
});
