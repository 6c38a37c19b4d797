import { randomUUID } from 'node:crypto';
import { StatesError } from './errors';
import { isRecord } from './definition-rules';
import type { Json } from './types';

/** One PutEvents entry, as the EventBridge API takes it (Detail as a JSON text). */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  readonly Time?: string;
}

export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

/** The local bus: returns one result per entry (or nothing, when every entry was accepted). */
export type PutEventsFunction = (
  entries: readonly PutEventsEntry[],
) => Promise<readonly PutEventsResultEntry[] | void> | readonly PutEventsResultEntry[] | void;

function toEntry(raw: unknown): PutEventsEntry {
  if (!isRecord(raw)) throw new StatesError('States.Runtime', 'each PutEvents entry must be an object');
  const detail = raw.Detail;
  return {
    ...(raw as PutEventsEntry),
    // Step Functions accepts Detail as an object and serializes it for EventBridge.
    Detail: detail === undefined || typeof detail === 'string' ? detail : JSON.stringify(detail),
  };
}

/** `arn:aws:states:::events:putEvents`: a failed entry fails the task with EventBridge.FailedEntry, as in AWS. */
export async function runPutEventsTask(
  putEvents: PutEventsFunction,
  parameters: Json,
  published: PutEventsEntry[],
): Promise<Json> {
  const rawEntries = isRecord(parameters) ? parameters.Entries : undefined;
  if (!Array.isArray(rawEntries))
    throw new StatesError('States.Runtime', 'PutEvents Parameters need Entries');
  const entries = rawEntries.map(toEntry);
  const answer = (await putEvents(entries)) ?? [];
  const results = entries.map((_entry, i) => answer[i] ?? { EventId: randomUUID() });
  const failed = results.filter((result) => result.ErrorCode !== undefined);
  entries.forEach((entry, i) => {
    if (results[i]?.ErrorCode === undefined) published.push(entry);
  });
  if (failed.length > 0) {
    const cause = JSON.stringify({ Entries: results, FailedEntryCount: failed.length });
    throw new StatesError('EventBridge.FailedEntry', cause);
  }
  return {
    Entries: results.map((result) => ({ EventId: result.EventId ?? randomUUID() })),
    FailedEntryCount: 0,
  };
}
