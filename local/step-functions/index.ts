export { LocalStepFunctions, type LocalStepFunctionsOptions, type StartExecutionInput } from './runner';
export { startStepFunctionsApi, type StepFunctionsApi } from './api-server';
export { UnsupportedDefinitionError } from './errors';
export type { PutEventsEntry, PutEventsFunction, PutEventsResultEntry } from './events-task';
export type {
  ExecutionMetrics,
  ExecutionRecord,
  ExecutionStatus,
  HistoryEvent,
  Json,
  MapRunRecord,
} from './types';
