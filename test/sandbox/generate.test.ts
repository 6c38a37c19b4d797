import { generateOrganization } from '../../sandbox';

test('the generator is seeded and gives a realistic mix', () => {
  const a = generateOrganization({ accounts: 300, seed: 9 });
  expect(generateOrganization({ accounts: 300, seed: 9 })).toEqual(a);
  expect(generateOrganization({ accounts: 300, seed: 10 })).not.toEqual(a);
  const ids = new Set([a.managementAccount.id, ...a.accounts.map((x) => x.id)]);
  expect(ids.size).toBe(301);
  const clean = a.accounts.filter((x) => !x.rootCredentials).length;
  const withPassword = a.accounts.filter((x) => x.rootCredentials?.loginProfile).length;
  const withKeys = a.accounts.filter((x) => x.rootCredentials?.accessKeys?.length).length;
  const withMfa = a.accounts.filter((x) => x.rootCredentials?.mfaDevices?.length).length;
  const suspended = a.accounts.filter((x) => x.status === 'SUSPENDED').length;
  expect(clean / 300).toBeGreaterThan(0.6);
  expect(withPassword).toBeGreaterThan(10);
  expect(withKeys).toBeGreaterThan(3);
  expect(withMfa).toBeGreaterThan(3);
  expect(suspended).toBeGreaterThan(0);
  expect(suspended).toBeLessThan(30);
  expect(a.accounts.some((x) => x.buckets?.some((b) => b.policy))).toBe(true);
});
