import { SfnApiError } from './errors';
import type { ExecutionRecord, ExecutionStatus, MapRunRecord } from './types';

export interface ExecutionFilter {
  readonly stateMachineArn?: string;
  readonly mapRunArn?: string;
  readonly statusFilter?: ExecutionStatus;
}

/** Every execution and map run of the local Step Functions, in memory. */
export class ExecutionStore {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly mapRuns = new Map<string, MapRunRecord>();

  add(record: ExecutionRecord): void {
    this.executions.set(record.executionArn, record);
  }

  find(executionArn: string): ExecutionRecord | undefined {
    return this.executions.get(executionArn);
  }

  get(executionArn: string): ExecutionRecord {
    const record = this.executions.get(executionArn);
    if (record === undefined)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /** Newest first, as ListExecutions answers; map-run children only when asked by map run. */
  list(filter: ExecutionFilter): ExecutionRecord[] {
    // Reversed first: the sort is stable, so executions started in the same millisecond stay newest first.
    return [...this.executions.values()]
      .reverse()
      .filter((record) =>
        filter.mapRunArn !== undefined
          ? record.mapRunArn === filter.mapRunArn
          : record.mapRunArn === undefined && record.stateMachineArn === filter.stateMachineArn,
      )
      .filter((record) => filter.statusFilter === undefined || record.status === filter.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  all(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  addMapRun(record: MapRunRecord): void {
    this.mapRuns.set(record.mapRunArn, record);
  }

  getMapRun(mapRunArn: string): MapRunRecord {
    const record = this.mapRuns.get(mapRunArn);
    if (record === undefined)
      throw new SfnApiError('ResourceNotFound', `Map Run Does Not Exist: '${mapRunArn}'`);
    return record;
  }

  listMapRuns(executionArn: string): MapRunRecord[] {
    this.get(executionArn);
    return [...this.mapRuns.values()].filter((run) => run.executionArn === executionArn);
  }
}
