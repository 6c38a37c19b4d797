/** Counters of calls per service, action and account, with their outcome. */
import type { ServiceName } from './protocol';

export type Outcome = 'ok' | 'error' | 'throttled' | 'fault';

export interface CallCount {
  service: ServiceName;
  action: string;
  /** The account the call counted against (the caller's, or the session's member account). */
  account: string;
  outcome: Outcome;
  /** Wire error code when not ok. */
  code?: string;
  /** For throttled calls: a quota (token bucket) or an injected fault. */
  cause?: 'quota' | 'injected';
  count: number;
}

export type CallFilter = Partial<Omit<CallCount, 'count'>>;

export interface MetricsSummary {
  total: number;
  ok: number;
  errors: number;
  throttled: number;
  throttledByQuota: number;
  faults: number;
  byService: Partial<Record<ServiceName, number>>;
  byAction: Record<string, number>;
}

export interface SandboxMetrics {
  /** Number of calls matching every given field. */
  count(filter?: CallFilter): number;
  /** Every counter (one per distinct service/action/account/outcome/code). */
  calls(): CallCount[];
  summary(): MetricsSummary;
  reset(): void;
}

export interface MetricsRecorder extends SandboxMetrics {
  record(entry: Omit<CallCount, 'count'>): void;
}

export function createMetrics(): MetricsRecorder {
  const counters = new Map<string, CallCount>();
  const matches = (entry: CallCount, filter: CallFilter): boolean =>
    (Object.keys(filter) as (keyof CallFilter)[]).every((key) => entry[key] === filter[key]);
  const calls = (): CallCount[] => [...counters.values()].map((entry) => ({ ...entry }));
  return {
    record: (entry) => {
      const key = [entry.service, entry.action, entry.account, entry.outcome, entry.code, entry.cause].join(
        '|',
      );
      const existing = counters.get(key);
      if (existing) existing.count += 1;
      else counters.set(key, { ...entry, count: 1 });
    },
    count: (filter = {}) =>
      [...counters.values()].filter((entry) => matches(entry, filter)).reduce((sum, e) => sum + e.count, 0),
    calls,
    summary: () => {
      const summary: MetricsSummary = {
        total: 0,
        ok: 0,
        errors: 0,
        throttled: 0,
        throttledByQuota: 0,
        faults: 0,
        byService: {},
        byAction: {},
      };
      for (const entry of counters.values()) {
        summary.total += entry.count;
        if (entry.outcome === 'ok') summary.ok += entry.count;
        if (entry.outcome === 'error') summary.errors += entry.count;
        if (entry.outcome === 'throttled') summary.throttled += entry.count;
        if (entry.cause === 'quota') summary.throttledByQuota += entry.count;
        if (entry.outcome === 'fault') summary.faults += entry.count;
        summary.byService[entry.service] = (summary.byService[entry.service] ?? 0) + entry.count;
        const action = `${entry.service}:${entry.action}`;
        summary.byAction[action] = (summary.byAction[action] ?? 0) + entry.count;
      }
      return summary;
    },
    reset: () => counters.clear(),
  };
}
