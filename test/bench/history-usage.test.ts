import { historyUsage, isLoggedAt, loggedEvents, type HistoryEventLike } from '../../bench/history-usage';

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

  it("sends each execution's events at its log level: ALL every event, ERROR the failures only", () => {
    const failedShard = [
      event('ExecutionStarted', 0, { input: '{"shard":1}' }),
      event('LambdaFunctionFailed', 5, { error: 'ThrottledError' }),
      event('TaskStateExited', 6),
      event('ExecutionFailed', 7, { error: 'States.TaskFailed' }),
    ];
    const logged = loggedEvents([
      { history: parent, logLevel: 'ALL' },
      { history: child, logLevel: 'ERROR' },
      { history: failedShard, logLevel: 'ERROR' },
      { history: failedShard, logLevel: 'OFF' },
    ]);
    // 7 of the parent, the child's LambdaFunctionFailed, the failed shard's two failures.
    expect(logged.events).toBe(7 + 1 + 2);
    const bytes = (events: HistoryEventLike[]) =>
      events.reduce((sum, e) => sum + JSON.stringify(e.details ?? {}).length, 0);
    expect(logged.eventBytes).toBe(
      bytes(parent) + 2 + bytes(failedShard.filter((e) => /Failed$/.test(e.type))),
    );
  });

  it("log levels: ERROR keeps failures, time-outs, aborts and Fail states; FATAL the execution's own", () => {
    for (const type of [
      'TaskFailed',
      'LambdaFunctionTimedOut',
      'MapRunAborted',
      'FailStateEntered',
      'ExecutionFailed',
    ])
      expect(isLoggedAt('ERROR', type)).toBe(true);
    for (const type of ['TaskSucceeded', 'TaskStateEntered', 'ExecutionSucceeded', 'LambdaFunctionScheduled'])
      expect(isLoggedAt('ERROR', type)).toBe(false);
    expect(isLoggedAt('FATAL', 'ExecutionTimedOut')).toBe(true);
    expect(isLoggedAt('FATAL', 'TaskFailed')).toBe(false);
    expect(isLoggedAt('ALL', 'TaskSucceeded')).toBe(true);
    expect(isLoggedAt('OFF', 'ExecutionFailed')).toBe(false);
  });
});
