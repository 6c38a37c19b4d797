/**
 * The shapes of AWS Organizations ids, from the Organizations API reference
 * (Account.Id: `^\d{12}$`; OrganizationalUnit.Id: `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`).
 * Request validation, the functions' settings and the CDK configuration all
 * check ids with these.
 */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID_PATTERN.test(value);
}
