/**
 * Results-table items of a made-up organization, shaped as the workflows
 * write them (docs/architecture.md, "Results table"): postures with details,
 * audit and remediation runs over several days, a failure, an unlock with its
 * backup. Deterministic, for the browser test and the report size script.
 */
export type RawItem = Record<string, unknown>;

export interface SyntheticOrganization {
  readonly items: RawItem[];
  readonly ouOf: Map<string, string>;
}

const DAY = 86_400_000;

function accountId(index: number): string {
  return String(100000000000 + index * 7919).padStart(12, '0');
}

function posture(index: number): Record<string, unknown> {
  const password = index % 5 === 0;
  const keys = index % 7 === 0 ? (index % 2) + 1 : 0;
  const certificates = index % 11 === 0 ? 1 : 0;
  const mfa = index % 4 === 0 ? 1 : 0;
  const details = {
    ...(password ? { password: { createDate: '2024-01-02T00:00:00Z' } } : {}),
    accessKeys: Array.from({ length: keys }, (_, n) => ({
      accessKeyId: `AKIA${index}X${n}`,
      status: 'Active',
    })),
    signingCertificates: Array.from({ length: certificates }, () => ({
      certificateId: `C${index}`,
      status: 'Active',
    })),
    mfaDevices: Array.from({ length: mfa }, () => ({
      serialNumber: `arn:aws:iam::${accountId(index)}:mfa/root`,
      virtual: true,
    })),
  };
  return {
    credentialsPresent: password || keys > 0 || certificates > 0 || mfa > 0,
    passwordPresent: password,
    accessKeysPresent: keys > 0,
    signingCertificatesPresent: certificates > 0,
    mfaEnabled: mfa > 0,
    details,
  };
}

function run(id: string, at: string, fields: Record<string, unknown>): RawItem {
  const name = `run-${id}-${at.replace(/\D/g, '')}`;
  return {
    PK: `ACCOUNT#${id}`,
    SK: `RUN#${at}#${name}`,
    GSI1PK: `OUTCOME#${String(fields.outcome)}`,
    GSI1SK: `${at}#${id}`,
    accountId: id,
    workflow: 'audit-organization',
    requestedBy: 'rootkeeper-audit',
    reason: '',
    ticket: '',
    outcomeReason: '',
    before: 'null',
    after: 'null',
    startedAt: at,
    ...fields,
  };
}

/** `accounts` accounts in 8 OUs; one in 20 never audited; runs spread over the 7 days before `now`. */
export function syntheticOrganization(accounts: number, now: Date): SyntheticOrganization {
  const items: RawItem[] = [];
  const ouOf = new Map<string, string>();
  for (let index = 1; index <= accounts; index += 1) {
    const id = accountId(index);
    ouOf.set(id, index % 8 === 0 ? 'Root' : `Workloads-${index % 8}`);
    const checkedAt = new Date(now.getTime() - (index % 7) * DAY - 3_600_000).toISOString();
    if (index % 20 === 0) continue;
    const value = posture(index);
    items.push({
      PK: `ACCOUNT#${id}`,
      SK: 'POSTURE',
      GSI1PK: 'POSTURE',
      GSI1SK: `ACCOUNT#${id}`,
      accountId: id,
      posture: JSON.stringify(value),
      credentialsPresent: value.credentialsPresent,
      checkedAt,
      checkedBy: 'arn:aws:states:us-east-1:111111111111:execution:audit:sweep',
    });
    items.push(run(id, checkedAt, { outcome: value.credentialsPresent ? 'CREDENTIALS_PRESENT' : 'CLEAN' }));
    if (index % 13 === 0) {
      const at = new Date(now.getTime() - (index % 5) * DAY - 7_200_000).toISOString();
      items.push(
        run(id, at, {
          outcome: 'FAILED',
          workflow: 'delete-root-credentials',
          requestedBy: 'alice',
          reason: 'ticket <SEC-1>',
          outcomeReason: 'AccessDenied',
        }),
      );
    }
    if (index % 17 === 0) {
      const at = new Date(now.getTime() - (index % 6) * DAY - 10_800_000).toISOString();
      items.push(
        run(id, at, {
          outcome: 'REMEDIATED',
          workflow: 'delete-root-credentials',
          requestedBy: 'bob',
          reason: 'found by audit',
          ticket: 'SEC-2',
        }),
      );
    }
  }
  if (accounts === 0) return { items, ouOf };
  const locked = accountId(3);
  const at = new Date(now.getTime() - 2 * DAY).toISOString();
  items.push(
    run(locked, at, {
      outcome: 'UNLOCKED',
      outcomeReason: 'DELETED',
      workflow: 'unlock-s3-bucket-policy',
      requestedBy: 'carol',
      reason: 'bucket policy denies everyone',
      before: JSON.stringify({
        resourceArn: 'arn:aws:s3:::locked-bucket',
        policy: '{"Statement":[]}',
        policySha256: 'a'.repeat(64),
      }),
    }),
  );
  return { items, ouOf };
}
