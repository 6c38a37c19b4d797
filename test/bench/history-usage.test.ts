import { historyUsage, type HistoryEventLike } from '../../bench/history-usage';

const at = (ms: number): Date => new Date(1_700_000_000_000 + ms);
const event = (type: string, ms: number, details?: Record<string, unknown>): HistoryEventLike => ({
  type,
  timestamp: at(ms),
  ...(details ? { details } : {}),
});

describe('usage from execution histories', () => {
  const parent = [
    event('ExecutionStarted', 0),
    event('TaskScheduled', 1, { resourceType: 'dynamodb', resource: 'putItem' }),
    event('LambdaFunctionScheduled', 2, { resource: 'arn:list' }),
    event('LambdaFunctionStarted', 2),
    event('LambdaFunctionSucceeded', 1502),
    event('TaskScheduled', 1600, { resourceType: 'dynamodb', resource: 'updateItem' }),
    event('TaskScheduled', 1700, { resourceType: 'dynamodb', resource: 'getItem' }),
  ];
  const child = [
    event('LambdaFunctionScheduled', 10, { resource: 'arn:batch' }),
    event('LambdaFunctionStarted', 10),
    event('LambdaFunctionFailed', 260),
    event('LambdaFunctionScheduled', 300, { resource: 'arn:unknown' }),
    event('LambdaFunctionStarted', 300),
    event('LambdaFunctionSucceeded', 400),
  ];

  it('pairs each start with its end and prices it at its function memory', () => {
    const usage = historyUsage(
      [parent, child],
      new Map([
        ['arn:list', 256],
        ['arn:batch', 1024],
      ]),
      512,
    );
    expect(usage.invocations).toEqual([
      { memoryMb: 256, durationMs: 1500 },
      { memoryMb: 1024, durationMs: 250 },
      { memoryMb: 512, durationMs: 100 },
    ]);
  });

  it('counts the DynamoDB integration states by reads and writes', () => {
    const usage = historyUsage([parent], new Map(), 512);
    expect(usage.workflowWrites).toBe(2);
    expect(usage.workflowReads).toBe(1);
  });
});
