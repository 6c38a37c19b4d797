import { InvalidInputError } from '../../../lambdas/root-access/errors';
import type { Posture } from '../../../lambdas/root-access/posture';
import { auditShard, type ShardAuditItems } from '../../../lambdas/root-access/shard-audit';

type Item = Record<string, unknown>;

const clean = { credentialsPresent: false } as Posture;
const dirty = { credentialsPresent: true } as Posture;

/** The results table as a map from `PK|SK`. */
function memoryItems(initial: Item[]): ShardAuditItems & { readonly all: Map<string, Item> } {
  const keyOf = (item: Item) => `${String(item.PK)}|${String(item.SK)}`;
  const all = new Map<string, Item>(initial.map((item) => [keyOf(item), item]));
  return {
    all,
    get: (key) => Promise.resolve(all.get(keyOf(key))),
    getMany: (keys) =>
      Promise.resolve(keys.map((key) => all.get(keyOf(key))).filter((item) => item !== undefined)),
    putMany: (items) => {
      for (const item of items) all.set(keyOf(item), item);
      return Promise.resolve();
    },
  };
}

const request = {
  inventoryId: 'inv-1',
  shard: 0,
  executionId: 'exec-1',
  secureFirstSeen: true,
  autoRemediate: false,
  baseline: false,
};

describe('auditShard', () => {
  test('audits the shard’s accounts, routes the first seen, writes runs and postures', async () => {
    const items = memoryItems([
      { PK: 'INVENTORY#inv-1', SK: 'SHARD#0', accountIds: ['111111111111', '222222222222'] },
      { PK: 'ACCOUNT#111111111111', SK: 'POSTURE' },
    ]);
    const result = await auditShard(
      {
        items,
        auditAccount: (accountId) =>
          Promise.resolve({
            posture: accountId === '222222222222' ? dirty : clean,
            sessionAccessKeyId: 'ASIA1',
          }),
        now: () => new Date('2026-11-29T00:00:00Z'),
      },
      request,
    );
    expect(result.counts).toMatchObject({ audited: 2, clean: 1, withCredentials: 1, firstSeen: 1 });
    expect(result.toSecure).toEqual(['222222222222']);
    expect(items.all.get('ACCOUNT#222222222222|POSTURE')).toMatchObject({ credentialsPresent: true });
    expect(items.all.get('ACCOUNT#222222222222|RUN#2026-11-29T00:00:00.000Z#exec-1')).toMatchObject({
      outcome: 'CREDENTIALS_PRESENT',
    });
  });

  test('a missing shard is an input error naming the shard, and nothing is audited or written', async () => {
    const items = memoryItems([]);
    const auditAccount = jest.fn();
    await expect(auditShard({ items, auditAccount }, request)).rejects.toThrow(InvalidInputError);
    await expect(auditShard({ items, auditAccount }, request)).rejects.toThrow(/^shard: /);
    expect(auditAccount).not.toHaveBeenCalled();
    expect(items.all.size).toBe(0);
  });
});
