import { readFileSync } from 'node:fs';
import { runMainJob, type MainJobResult } from '../../local/main-job/run-main-job';
import { OutputCapture } from '../support/output-capture';
import { allowLoopbackOnly } from './support/loopback-guard';

allowLoopbackOnly();

test('the main job runs every step as expected and ends with the report', async () => {
  const lines: string[] = [];
  const capture = new OutputCapture().start();
  let result: MainJobResult;
  try {
    result = await runMainJob({ accounts: 25, seed: 1, write: (line) => lines.push(line) });
  } finally {
    capture.stop();
  }
  const output = lines.join('\n');
  expect({ ok: result.ok, failed: result.steps.filter((step) => !step.ok) }).toEqual({
    ok: true,
    failed: [],
  });
  expect(result.steps.map((step) => step.step)).toEqual([
    'New account event (CreateAccountResult)',
    'Secure an invited account (AccountJoinedOrganization)',
    'Secure an account Control Tower enrolled (UpdateManagedAccount)',
    'Refuse a forged Account Vended',
    'Audit the organization',
    'Unlock an S3 bucket policy',
    'Unlock an SQS queue policy',
    'Enable account recovery',
    'Roll out a remediation plan in waves (canary, go-ahead, rest)',
    'Unlock awaiting approval, approved by a second person',
    'Unlock denied by the approver',
  ]);
  expect(output).toMatch(/044445555666 payments-sandbox\s+CLEAN/);
  expect(output).toMatch(/055556666777 legacy-invited\s+REMEDIATED\s+password, 2 access keys, MFA\s+clean/);
  expect(output).toMatch(/Policy backups \(2 in table /);
  expect(output).toContain('RESOURCE#arn:aws:s3:::locked-data-066667777888');
  expect(output).toContain('RESOURCE#arn:aws:sqs:us-east-1:066667777888:locked-events');
  expect(output).toMatch(/Totals: \d+ runs/);
  // Delegated-admin by default: the events are born in the management account and forwarded.
  expect(output).toMatch(
    /CreateAccountResult for 044445555666 payments-sandbox \(born in \d{12} us-east-1, forwarded to 088889999000 us-east-1\): CLEAN/,
  );
  expect(output).toMatch(
    /UpdateManagedAccount 011112222333 enrolled-workload \(born in \d{12} eu-west-1, forwarded/,
  );
  expect(output).toContain('arn:aws:iam::088889999000:role/developer: AccessDeniedException, nothing ran');
  expect(output).toContain('Main job succeeded: 11/11 steps as expected');
  // The HTML report (its content is tested in test/cli/report/html/).
  const html = /HTML report: (\S+posture\.html)/.exec(output)?.[1];
  expect(html).toBeDefined();
  expect(readFileSync(html ?? '', 'utf8')).toMatch(/data-figure="with-credentials">\d+</);
  // Two people: requested by the management account's user, decided by the delegated administrator's.
  const requester = 'arn:aws:iam::\\d{12}:user/sandbox-admin';
  const approver = 'arn:aws:iam::088889999000:user/sandbox-delegated-admin';
  const at = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z';
  expect(output).toMatch(
    new RegExp(
      `ok {3}Unlock awaiting approval, approved by a second person \\(\\d+ ms\\): arn:aws:s3:::locked-data-066667777888 requested by ${requester}: UNLOCKED, APPROVED by ${approver} at ${at} \\("checked with the bucket owner"\\)`,
    ),
  );
  expect(output).toMatch(
    new RegExp(
      `ok {3}Unlock denied by the approver \\(\\d+ ms\\): arn:aws:sqs:us-east-1:066667777888:locked-events requested by ${requester}: DENIED, DENIED by ${approver} at ${at} \\("not the resource the ticket names"\\), nothing changed`,
    ),
  );
  // The section on the two-person runs, from their run records.
  expect(output).toMatch(
    new RegExp(
      `Approvals \\(2 runs that waited for a second person\\)\n {2}UnlockS3BucketPolicy 066667777888 UNLOCKED: requested by ${requester}; APPROVED by ${approver} at ${at}: checked with the bucket owner\n {2}UnlockSqsQueuePolicy 066667777888 DENIED: requested by ${requester}; DENIED by ${approver} at ${at}: not the resource the ticket names`,
    ),
  );
}, 300_000);
