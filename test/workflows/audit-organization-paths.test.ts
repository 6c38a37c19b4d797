import { createHash } from 'node:crypto';
import { ListAccountsCommand, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { LISTING_PAGE_ATTEMPTS } from '../../lambdas/root-access/inventory-listing';
import { FakeOrganization } from './fake-organization';
import { MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

/**
 * The organization audit's paths that matter under faults, on the local
 * runner with the real handlers: a listing that fails halfway resumes from
 * its last token; a failed shard is recorded and the others go on; the
 * audit ends only when every shard is counted; a shard started twice is
 * counted once.
 */

type Item = Record<string, unknown>;

const members = (count: number, base: number) =>
  Array.from({ length: count }, (_v, i) => String(base + i + 1));

/** Runs `before` ahead of each read of an inventory shard by the batch handler (in this process). */
function beforeShardRead(before: (shardKey: string) => Promise<void>): void {
  const send = DynamoDBDocumentClient.prototype.send as (
    this: DynamoDBDocumentClient,
    command: unknown,
  ) => Promise<unknown>;
  async function intercepted(this: DynamoDBDocumentClient, command: unknown): Promise<unknown> {
    const key = command instanceof GetCommand ? command.input.Key : undefined;
    if (typeof key?.SK === 'string' && key.SK.startsWith('SHARD#')) await before(key.SK);
    return send.call(this, command);
  }
  jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(intercepted as never);
}

async function summaryOf(harness: WorkflowHarness, output: string | undefined): Promise<Item | undefined> {
  const { runKey } = JSON.parse(output ?? '{}') as { runKey: { PK: string; SK: string } };
  return (await harness.query(runKey.PK, runKey.SK))[0];
}

describe('Audit organization under faults (local runner, real handlers)', () => {
  let org: FakeOrganization;
  let harness: WorkflowHarness;

  // One harness for the file: the handlers keep their clients per process, as Lambda does per container.
  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    // 50 accounts a shard: a chunk of the listing ends once 2 new shards are full.
    harness = await WorkflowHarness.start({ auditShardSize: 50, auditConcurrency: 2 });
  });

  afterAll(async () => {
    await WorkflowHarness.closeAll();
    org.restore();
  });

  beforeEach(() => {
    org.reset();
    org.add(MANAGEMENT_ACCOUNT);
  });

  afterEach(() => jest.restoreAllMocks());

  it('resumes a failed listing from its last token: only the failed chunk is listed again', async () => {
    const ids = members(250, 400000000000);
    for (const id of ids) org.add(id);
    // Page 8 (token "140", in the second chunk) is throttled beyond the listing's own
    // retries of a page (LISTING_PAGE_ATTEMPTS): the chunk fails, and Step Functions retries it.
    const pages: string[] = [];
    let throttles = 0;
    const serve = (input: { NextToken?: string }) => {
      const token = input.NextToken ?? '0';
      pages.push(token);
      if (token === '140' && throttles < LISTING_PAGE_ATTEMPTS) {
        throttles += 1;
        throw new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
      }
      const all = [MANAGEMENT_ACCOUNT, ...ids];
      const start = Number(token);
      return {
        Accounts: all.slice(start, start + 20).map((id) => ({ Id: id, State: 'ACTIVE', Status: 'ACTIVE' })),
        NextToken: start + 20 < all.length ? String(start + 20) : undefined,
      };
    };
    org.organizations.on(ListAccountsCommand).callsFake(serve);

    // The backoff's jitter at 0: only the pace's 100 ms between attempts.
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    const record = await harness.run('auditOrganization', {}).finally(() => random.mockRestore());
    expect(record.status).toBe('SUCCEEDED');
    const summary = await summaryOf(harness, record.output);
    expect(summary).toMatchObject({ outcome: 'AUDITED', audited: 250, failed: 0, shardsCounted: 5 });

    expect(throttles).toBe(LISTING_PAGE_ATTEMPTS);
    const retried = pages.filter((token) => token !== '140');
    const listedTwice = [...new Set(retried.filter((token, index) => retried.indexOf(token) !== index))];
    // Chunk 1 = pages 0..100 (its second shard fills on page 100), chunk 2 = pages 120..200,
    // failed at 140 and retried from 120; chunk 3 = 220..240. Page 140: its attempts, then once more.
    expect(listedTwice).toEqual(['120']);
    expect(pages.filter((token) => token === '140')).toHaveLength(LISTING_PAGE_ATTEMPTS + 1);
    expect(new Set(pages)).toEqual(new Set(Array.from({ length: 13 }, (_v, i) => String(i * 20))));
    const postures = (await harness.scanTable()).filter(
      (item) => item.SK === 'POSTURE' && ids.includes(String(item.accountId)),
    );
    expect(postures).toHaveLength(250);
  });

  it('records a failed shard, audits the others, and ends PARTIAL with counts and the reason', async () => {
    const ids = members(120, 500000000000);
    for (const id of ids) org.add(id);
    // Shard 1 (accounts 51..100) cannot be read: its batch fails as a whole.
    beforeShardRead((shardKey) =>
      shardKey === 'SHARD#1' ? Promise.reject(new Error('shard item unreadable')) : Promise.resolve(),
    );

    const record = await harness.run('auditOrganization', {});
    expect([record.status, record.error, record.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const output = JSON.parse(record.output ?? '{}') as { outcome: string; outcomeReason: string };
    expect(output.outcome).toBe('PARTIAL');
    expect(output.outcomeReason).toBe(
      '1 of 3 shards failed: their accounts were not audited (shardFailures in the summary run)',
    );
    const summary = await summaryOf(harness, record.output);
    expect(summary).toMatchObject({
      outcome: 'PARTIAL',
      audited: 70,
      failedShards: 1,
      failedAccounts: 50,
      shardsCounted: 3,
      shardFailures: [
        { shard: '1', error: 'Error', cause: expect.stringContaining('shard item unreadable') as unknown },
      ],
    });
    const audited = (await harness.scanTable())
      .filter((item) => item.SK === 'POSTURE' && ids.includes(String(item.accountId)))
      .map((item) => String(item.accountId))
      .sort();
    expect(audited).toEqual([...ids.slice(0, 50), ...ids.slice(100)].sort());
  });

  it('counts a shard stopped by hand as failed once the shards are silent, and ends PARTIAL', async () => {
    const ids = members(100, 700000000000);
    for (const id of ids) org.add(id);
    // Shard 0's batch waits until released: its execution is stopped meanwhile.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    beforeShardRead((shardKey) => (shardKey === 'SHARD#0' ? gate : Promise.resolve()));

    const { executionArn } = harness.runner.startExecution(harness.arn('auditOrganization'), { input: {} });
    const shardArn = harness.shardArn();
    const shard0 = `${createHash('md5').update(executionArn).digest('hex')}-shard-0`;
    let running: { executionArn: string } | undefined;
    for (let i = 0; i < 400 && running === undefined; i += 1) {
      running = harness.runner
        .listExecutions({ stateMachineArn: shardArn })
        .find((e) => e.name === shard0 && e.status === 'RUNNING');
      if (running === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    harness.runner.stopExecution(running!.executionArn, 'Stopped', 'stopped by hand');

    const record = await harness.runner.waitForExecution(executionArn);
    release();
    expect([record.status, record.error]).toEqual(['SUCCEEDED', undefined]);
    const output = JSON.parse(record.output ?? '{}') as { outcome: string; outcomeReason: string };
    expect([output.outcome, output.outcomeReason]).toEqual([
      'PARTIAL',
      '1 of 2 shards failed: their accounts were not audited (shardFailures in the summary run)',
    ]);
    const summary = await summaryOf(harness, record.output);
    expect(summary).toMatchObject({
      outcome: 'PARTIAL',
      audited: 50,
      failedShards: 1,
      failedAccounts: 50,
      shardsCounted: 2,
      shardFailures: [{ shard: 'not counted', error: 'ShardNotCounted' }],
    });
    // The silence lasts a few hundred reads of 20 ms here: room for a busy machine.
  }, 180_000);

  it('finishes only when every shard is counted, and counts a shard started twice once', async () => {
    const ids = members(100, 600000000000);
    for (const id of ids) org.add(id);
    // Shard 0's batch waits until released.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    beforeShardRead((shardKey) => (shardKey === 'SHARD#0' ? gate : Promise.resolve()));

    const { executionArn } = harness.runner.startExecution(harness.arn('auditOrganization'), { input: {} });
    const shardArn = harness.shardArn();
    const shardDone = async (name: string) => {
      for (let i = 0; i < 400; i += 1) {
        const shard = harness.runner
          .listExecutions({ stateMachineArn: shardArn })
          .find((e) => e.name === name);
        if (shard !== undefined && shard.status !== 'RUNNING') return shard;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`shard ${name} did not finish`);
    };
    // The audit names its shards after the MD5 of its execution ARN.
    const shardName = (n: number) => `${createHash('md5').update(executionArn).digest('hex')}-shard-${n}`;
    const started = (name: string) =>
      harness.runner.listExecutions({ stateMachineArn: shardArn }).some((e) => e.name === name);
    // Shard 1 finishes; the audit waits for shard 0.
    for (let i = 0; i < 400 && !started(shardName(1)); i += 1) await new Promise((r) => setTimeout(r, 25));
    await shardDone(shardName(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.runner.describeExecution(executionArn).status).toBe('RUNNING');

    // A second start of shard 1 under its name is refused; a second execution of it counts nothing.
    const first = harness.runner.describeExecution(
      harness.runner.listExecutions({ stateMachineArn: shardArn }).find((e) => e.name === shardName(1))!
        .executionArn,
    );
    expect(() =>
      harness.runner.startExecution(shardArn, { name: first.name, input: JSON.parse(first.input) as never }),
    ).toThrow(/ExecutionAlreadyExists|already exists/i);
    const again = await harness.runner.runExecution(shardArn, {
      name: 'shard-1-again',
      input: JSON.parse(first.input) as never,
    });
    expect(again.status).toBe('SUCCEEDED');

    release();
    const record = await harness.runner.waitForExecution(executionArn);
    await harness.runner.waitForIdle();
    expect(record.status).toBe('SUCCEEDED');
    const summary = await summaryOf(harness, record.output);
    expect(summary).toMatchObject({ outcome: 'AUDITED', audited: 100, shardsCounted: 2, failedShards: 0 });
    expect(again.history.map((event) => (event as { type: string }).type)).toContain('TaskFailed');
  });
});
