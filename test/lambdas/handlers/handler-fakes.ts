import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import type { RootTaskRuntime } from '../../../lambdas/shared/root-task-runtime';

export const fakeContext = {
  functionName: 'rootkeeper-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:999988887777:function:rootkeeper-test',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/rootkeeper-test',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

export function testRuntime(overrides: Partial<RootTaskRuntime> = {}): RootTaskRuntime {
  return {
    sts: new STSClient({ region: 'eu-west-1' }),
    region: 'eu-west-1',
    partition: 'aws',
    clientConfig: { forcePathStyle: true },
    ...overrides,
  };
}

/**
 * Captures everything written to stdout, stderr and the console while a
 * handler runs: the Powertools logger writes through a Console bound to
 * process.stdout / process.stderr.
 */
export function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        chunks.push(args.map(String).join(' '));
      }),
    ),
  ];
  return {
    text: () => chunks.join('\n'),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
