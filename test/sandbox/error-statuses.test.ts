/**
 * Error codes and HTTP statuses as AWS's service models declare them (the `errors` table of
 * sandbox/service-constraints.json, extracted from botocore's models). A modelled error without
 * `httpStatusCode` has Smithy's default: "error structures with no httpError trait use the default
 * HTTP status code of the error trait" — 400 for client errors, 500 for server errors. That is the
 * case of every Organizations and SQS error, so ChildNotFoundException, AccountNotFoundException,
 * AccessDeniedException, TooManyRequestsException (Organizations) and InvalidAddress,
 * RequestThrottled (SQS) are 400, where the sandbox answered 404, 403, 429 or 403.
 */
import {
  DescribeAccountCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListParentsCommand,
} from '@aws-sdk/client-organizations';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import type { Sandbox } from '../../sandbox';
import models from '../../sandbox/service-constraints.json';
import { INVITED, assumeRoot, clients, startTestSandbox } from './helpers';

const declared = models.errors as unknown as Record<string, Record<string, [string, number]>>;

describe('errors as the service models declare them', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  test('the extracted table holds the models’ codes and statuses', () => {
    expect(declared.iam?.NoSuchEntityException).toEqual(['NoSuchEntity', 404]);
    expect(declared.iam?.EntityTemporarilyUnmodifiableException).toEqual([
      'EntityTemporarilyUnmodifiable',
      409,
    ]);
    expect(declared.iam?.ServiceFailureException).toEqual(['ServiceFailure', 500]);
    expect(declared.organizations?.AccountNotFoundException).toEqual(['AccountNotFoundException', 400]);
    expect(declared.sqs?.InvalidAddress).toEqual(['InvalidAddress', 400]);
  });

  test('Organizations not-found errors are 400', async () => {
    const { organizations } = clients(sandbox);
    await expect(
      organizations.send(new DescribeAccountCommand({ AccountId: '999999999999' })),
    ).rejects.toMatchObject({ name: 'AccountNotFoundException', $metadata: { httpStatusCode: 400 } });
    await expect(
      organizations.send(new ListParentsCommand({ ChildId: '999999999999' })),
    ).rejects.toMatchObject({
      name: 'ChildNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      organizations.send(new ListChildrenCommand({ ParentId: 'ou-abcd-12345678', ChildType: 'ACCOUNT' })),
    ).rejects.toMatchObject({ name: 'ParentNotFoundException', $metadata: { httpStatusCode: 400 } });
  });

  test('Organizations AccessDeniedException is 400', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    await expect(
      clients(sandbox, session).organizations.send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('SQS InvalidAddress is 400', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    const url = `https://sqs.eu-west-1.amazonaws.com/${INVITED}/invited-queue`;
    await expect(
      clients(sandbox, session).sqs.send(new GetQueueAttributesCommand({ QueueUrl: url })),
    ).rejects.toMatchObject({ name: 'InvalidAddress', $metadata: { httpStatusCode: 400 } });
  });
});

describe('throttling errors as the models declare them', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ faults: { throttle: { organizations: 1, sqs: 1 } } });
  });
  afterAll(() => sandbox.close());

  test('Organizations TooManyRequestsException and SQS RequestThrottled are 400', async () => {
    await expect(clients(sandbox).organizations.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 400 },
    });
    const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    await expect(clients(sandbox, session).sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({
      name: 'RequestThrottled',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
