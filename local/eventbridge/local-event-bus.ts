import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { matchesEventPattern } from '../event-pattern';
import { targetInput } from './input-transformer';
import { nameFromBusArn, type LocalRule, type LocalRuleTarget } from './rules-from-template';

/** An event as EventBridge delivers it. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface Delivery {
  readonly ruleName: string;
  readonly targetId: string;
  readonly targetArn: string;
  /** The text the target received. */
  readonly input: string;
  executionArn?: string;
  error?: string;
  attempts: number;
}

export interface RecordedEvent {
  readonly busName: string;
  readonly event: BusEvent;
  readonly matchedRules: readonly string[];
  readonly deliveries: readonly Delivery[];
}

/** What the bus calls to deliver to a state machine target (StartExecution). */
export type StartExecution = (request: {
  stateMachineArn: string;
  input: string;
}) => Promise<{ executionArn: string }>;

/** Who calls PutEvents: its account, and its IAM principal when known. */
export interface PutEventsCaller {
  readonly account?: string;
  readonly principalArn?: string;
}

/** Delivery of an event to a target that is an event bus (another account or region). */
export type DeliverToBus = (request: {
  readonly busArn: string;
  readonly roleArn?: string;
  readonly event: BusEvent;
}) => Promise<void>;

export interface LocalEventBusOptions {
  /**
   * Judges a PutEvents onto one of these buses: the refusal's message, or
   * undefined when allowed. Without it every caller is allowed.
   */
  readonly authorize?: (
    busName: string,
    caller: PutEventsCaller,
    entry: PutEventsRequestEntry,
  ) => Promise<string | undefined>;
  /** Delivers to event bus targets; without it they are recorded as not emulated. */
  readonly deliverToBus?: DeliverToBus;
  readonly rules: readonly LocalRule[];
  readonly startExecution: StartExecution;
  readonly region: string;
  /** The account that owns the buses (and puts the events, unless told otherwise). */
  readonly account: string;
  readonly now?: () => Date;
  /** Pause between delivery attempts; AWS backs off for minutes, locally a few ms is enough. */
  readonly retryDelayMs?: number;
}

export interface PutEventsOutcome {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

/** A whole PutEvents call is refused (AWS answers ValidationException). */
class PutEventsValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

/** AWS caps local retries at 185; a local run needs only a few to ride over a transient error. */
const LOCAL_RETRY_CAP = 3;
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

/** EventBridge's time format: seconds, no fraction. */
const eventTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class LocalEventBus {
  readonly rules: readonly LocalRule[];
  readonly busNames: ReadonlySet<string>;
  private readonly recorded: RecordedEvent[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly now: () => Date;

  constructor(private readonly options: LocalEventBusOptions) {
    this.rules = options.rules;
    this.busNames = new Set(['default', ...options.rules.map((rule) => rule.eventBusName)]);
    this.now = options.now ?? (() => new Date());
  }

  /** Every event the buses received, in order (the workflows' result events included). */
  get events(): readonly RecordedEvent[] {
    return this.recorded;
  }

  /** PutEvents, as the API answers it: per-entry ids or errors, deliveries under way. */
  putEvents(entries: readonly PutEventsRequestEntry[], caller?: PutEventsCaller): PutEventsOutcome {
    this.checkEntryCount(entries);
    const results = entries.map((entry) => this.acceptEntry(entry, caller?.account ?? this.options.account));
    return outcomeOf(results);
  }

  /**
   * PutEvents judged by the buses' resource policies (`authorize`): an entry
   * for a bus the caller may not put to fails with AccessDeniedException, as
   * EventBridge answers it, and nothing is routed.
   */
  async putEventsAuthorized(
    entries: readonly PutEventsRequestEntry[],
    caller: PutEventsCaller,
  ): Promise<PutEventsOutcome> {
    this.checkEntryCount(entries);
    const results: PutEventsResultEntry[] = [];
    for (const entry of entries) {
      const refusal = await this.options.authorize?.(
        nameFromBusArn(entry.EventBusName ?? 'default'),
        caller,
        entry,
      );
      results.push(
        refusal === undefined
          ? this.acceptEntry(entry, caller.account ?? this.options.account)
          : { ErrorCode: 'AccessDeniedException', ErrorMessage: refusal },
      );
    }
    return outcomeOf(results);
  }

  private checkEntryCount(entries: readonly PutEventsRequestEntry[]): void {
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new PutEventsValidationError(
        `Entries must hold 1 to ${MAX_ENTRIES} entries, got ${entries.length}`,
      );
    }
  }

  /**
   * An event emitted by an AWS service (Organizations, Control Tower), given
   * whole as the service would send it: PutEvents refuses `aws.*` sources.
   * Only `id` and `time` are filled when missing.
   */
  publish(
    event: Omit<BusEvent, 'id' | 'time'> & { id?: string; time?: string },
    busName = 'default',
  ): RecordedEvent {
    const whole: BusEvent = {
      ...event,
      id: event.id ?? randomUUID(),
      time: event.time ?? eventTime(this.now()),
    };
    return this.route(busName, whole);
  }

  /** Fires a scheduled rule now, with the event EventBridge Scheduler-style rules receive. */
  runSchedule(ruleName: string): RecordedEvent {
    const rule = this.rules.find(
      (candidate) => candidate.name === ruleName || candidate.logicalId === ruleName,
    );
    if (rule?.scheduleExpression === undefined) throw new Error(`no scheduled rule named ${ruleName}`);
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.options.account,
      time: eventTime(this.now()),
      region: this.options.region,
      resources: [rule.arn],
      detail: {},
    };
    const record: RecordedEvent = {
      busName: rule.eventBusName,
      event,
      matchedRules: [rule.name],
      deliveries: [],
    };
    this.recorded.push(record);
    for (const target of rule.targets) this.deliver(record, rule, target);
    return record;
  }

  /** Resolves once every delivery started so far (and any started meanwhile) has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private acceptEntry(entry: PutEventsRequestEntry, account: string): PutEventsResultEntry {
    const busName = nameFromBusArn(entry.EventBusName ?? 'default');
    if (!this.busNames.has(busName)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    }
    const missing = (['Source', 'DetailType', 'Detail'] as const).filter((key) => (entry[key] ?? '') === '');
    if (missing.length > 0) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter(s) ${missing.join(', ')} must be specified.`,
      };
    }
    if (entry.Source?.startsWith('aws.')) {
      return {
        ErrorCode: 'NotAuthorizedForSourceException',
        ErrorMessage: `Not authorized for the source ${entry.Source}.`,
      };
    }
    if (Buffer.byteLength(JSON.stringify(entry), 'utf8') > MAX_ENTRY_BYTES) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Total size of the entries in the request is over the limit.',
      };
    }
    const detail = parseDetail(entry.Detail ?? '');
    if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType ?? '',
      source: entry.Source ?? '',
      account,
      time: eventTime(entry.Time ?? this.now()),
      region: this.options.region,
      resources: entry.Resources ?? [],
      detail,
    };
    this.route(busName, event);
    return { EventId: event.id };
  }

  private route(busName: string, event: BusEvent): RecordedEvent {
    const matching = this.rules.filter(
      (rule) =>
        rule.enabled &&
        rule.eventBusName === busName &&
        rule.eventPattern !== undefined &&
        matchesEventPattern(rule.eventPattern, event),
    );
    const record: RecordedEvent = {
      busName,
      event,
      matchedRules: matching.map((rule) => rule.name),
      deliveries: [],
    };
    this.recorded.push(record);
    for (const rule of matching) for (const target of rule.targets) this.deliver(record, rule, target);
    return record;
  }

  private deliver(record: RecordedEvent, rule: LocalRule, target: LocalRuleTarget): void {
    const input = targetInput(target, record.event, {
      ruleArn: rule.arn,
      ruleName: rule.name,
      ingestionTime: record.event.time,
    });
    const delivery: Delivery = {
      ruleName: rule.name,
      targetId: target.id,
      targetArn: target.arn,
      input,
      attempts: 0,
    };
    (record.deliveries as Delivery[]).push(delivery);
    const attempts = 1 + Math.min(target.maximumRetryAttempts ?? LOCAL_RETRY_CAP, LOCAL_RETRY_CAP);
    const settled = this.attempt(delivery, attempts, target, record.event).finally(() =>
      this.pending.delete(settled),
    );
    this.pending.add(settled);
  }

  private async attempt(
    delivery: Delivery,
    attempts: number,
    target: LocalRuleTarget,
    event: BusEvent,
  ): Promise<void> {
    const deliverToBus = this.options.deliverToBus;
    if (delivery.targetArn.includes(':event-bus/') && deliverToBus !== undefined) {
      await Promise.resolve();
      delivery.attempts = 1;
      try {
        // A bus target receives the event itself, unchanged (no input transformation).
        await deliverToBus({
          busArn: target.arn,
          ...(target.roleArn === undefined ? {} : { roleArn: target.roleArn }),
          event,
        });
      } catch (error) {
        delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      return;
    }
    if (!delivery.targetArn.includes(':states:') || !delivery.targetArn.includes(':stateMachine:')) {
      delivery.error = `target ${delivery.targetArn} is not a state machine: not emulated locally`;
      return;
    }
    // Deliveries are asynchronous in AWS: PutEvents has answered before any target runs.
    await Promise.resolve();
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      delivery.attempts = attempt;
      try {
        const { executionArn } = await this.options.startExecution({
          stateMachineArn: delivery.targetArn,
          input: delivery.input,
        });
        delivery.executionArn = executionArn;
        delete delivery.error;
        return;
      } catch (error) {
        delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 10));
      }
    }
  }
}

function outcomeOf(results: PutEventsResultEntry[]): PutEventsOutcome {
  return {
    FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length,
    Entries: results,
  };
}

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function createLocalEventBus(options: LocalEventBusOptions): LocalEventBus {
  return new LocalEventBus(options);
}
