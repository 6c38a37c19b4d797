import { workflowSettings } from '../../bench/workflow-settings';

describe('workflow settings from the synthesized definition', () => {
  it('finds the Distributed Map concurrency and the shard size, not the inline Map', () => {
    const definition = JSON.stringify({
      StartAt: 'List',
      States: {
        List: { Type: 'Task', Parameters: { Payload: { shardSize: 100 } }, Next: 'Audit' },
        Audit: {
          Type: 'Map',
          MaxConcurrency: 40,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Secure',
            States: {
              Secure: {
                Type: 'Map',
                MaxConcurrency: 10,
                ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
              },
            },
          },
        },
      },
    });
    expect(workflowSettings(definition)).toEqual({ auditConcurrency: 40, auditShardSize: 100 });
  });

  it('finds the concurrency the listing hands to the streaming audit', () => {
    const definition = JSON.stringify({
      StartAt: 'List',
      States: {
        List: { Type: 'Task', Parameters: { Payload: { shardSize: 50, concurrency: 12 } }, Next: 'Start' },
        Start: { Type: 'Map', MaxConcurrency: 10, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } } },
      },
    });
    expect(workflowSettings(definition)).toEqual({ auditConcurrency: 12, auditShardSize: 50 });
  });

  it('gives nothing it cannot find', () => {
    expect(workflowSettings('{"States":{}}')).toEqual({});
  });
});
