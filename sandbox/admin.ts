/**
 * The sandbox's admin HTTP API, under /__sandbox/: a path no AWS client sends (S3 bucket names
 * cannot contain '_', and every other served protocol posts to '/'). It lets any client, not only
 * TypeScript, move the clock, read the state without secrets, read call counts and change latency,
 * quotas and faults while the sandbox runs. Unauthenticated: the sandbox listens on loopback only.
 */
import type { SandboxClock } from './clock';
import type { FaultOptions, LatencyOptions, QuotaOptions } from './load';
import type { SandboxMetrics } from './metrics';
import type { Reply } from './protocol';
import type { SandboxState } from './state';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminControls {
  state: SandboxState;
  metrics: SandboxMetrics;
  clock: SandboxClock;
  load(): { latency: LatencyOptions | null; quotas: QuotaOptions | null; faults: FaultOptions };
  setLatency(latency: LatencyOptions | undefined): void;
  setQuotas(quotas: QuotaOptions | undefined): void;
  setFaults(faults: FaultOptions): void;
}

const json = (status: number, body: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body, null, 1),
});

/** A refused admin request: 400 naming the field. */
class AdminInputError extends Error {
  override readonly name = 'AdminInputError';
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AdminInputError('the body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AdminInputError('the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

const finiteNumber = (body: Record<string, unknown>, field: string): number | undefined => {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AdminInputError(`${field} must be a finite number`);
  }
  return value;
};

const rate = (value: unknown, field: string): void => {
  if (value === undefined) return;
  if (typeof value === 'number') {
    if (!(value >= 0 && value <= 1))
      throw new AdminInputError(`${field} must be a probability between 0 and 1`);
    return;
  }
  if (typeof value !== 'object' || value === null)
    throw new AdminInputError(`${field} must be a number or an object`);
  for (const [service, r] of Object.entries(value)) rate(r, `${field}.${service}`);
};

function clockReply(controls: AdminControls): Reply {
  return json(200, { now: new Date(controls.clock.now()).toISOString() });
}

/** A value as it arrives through JSON: dates as ISO 8601 strings. */
type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

function snapshot(state: SandboxState) {
  return {
    organization: state.organization(),
    accounts: state.accounts(),
    organizationalUnits: state.organizationalUnits(),
    buckets: state.buckets(),
    queues: state.queues(),
    sessions: state.sessions(),
  };
}

function route(controls: AdminControls, method: string, path: string, body: Buffer): Reply {
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /__sandbox/state':
      return json(200, snapshot(controls.state));
    case 'GET /__sandbox/metrics':
      return json(200, { summary: controls.metrics.summary(), calls: controls.metrics.calls() });
    case 'GET /__sandbox/metrics/summary':
      return json(200, { summary: controls.metrics.summary() });
    case 'POST /__sandbox/metrics/reset':
      controls.metrics.reset();
      return json(200, { summary: controls.metrics.summary() });
    case 'GET /__sandbox/clock':
      return clockReply(controls);
    case 'POST /__sandbox/clock': {
      const input = parseBody(body);
      const advanceSeconds = finiteNumber(input, 'advanceSeconds');
      const advanceMs = finiteNumber(input, 'advanceMs');
      if (input.set !== undefined) {
        const at = typeof input.set === 'string' ? Date.parse(input.set) : NaN;
        if (Number.isNaN(at)) throw new AdminInputError('set must be an ISO 8601 date');
        controls.clock.set(at);
      } else if (advanceSeconds !== undefined || advanceMs !== undefined) {
        const ms = (advanceSeconds ?? 0) * 1000 + (advanceMs ?? 0);
        if (ms < 0) throw new AdminInputError('advanceSeconds/advanceMs must not move the clock back');
        controls.clock.advance(ms);
      } else {
        throw new AdminInputError('give advanceSeconds, advanceMs or set');
      }
      return clockReply(controls);
    }
    case 'GET /__sandbox/load':
      return json(200, controls.load());
    case 'PUT /__sandbox/faults': {
      const input = parseBody(body);
      rate(input.throttle, 'throttle');
      rate(input.serviceFailure, 'serviceFailure');
      rate(input.entityTemporarilyUnmodifiable, 'entityTemporarilyUnmodifiable');
      finiteNumber(input, 'seed');
      controls.setFaults(input);
      return json(200, controls.load());
    }
    case 'PUT /__sandbox/latency': {
      const input = parseBody(body);
      const specs = 'fixedMs' in input || 'medianMs' in input ? [input] : Object.values(input);
      for (const spec of specs) {
        if (typeof spec !== 'object' || spec === null)
          throw new AdminInputError('latency specs must be objects');
        const s = spec as Record<string, unknown>;
        for (const field of ['fixedMs', 'medianMs', 'p99Ms']) {
          const v = finiteNumber(s, field);
          if (v !== undefined && v < 0) throw new AdminInputError(`${field} must not be negative`);
        }
        if (s.fixedMs === undefined && (s.medianMs === undefined || s.p99Ms === undefined)) {
          throw new AdminInputError('a latency spec is { fixedMs } or { medianMs, p99Ms }');
        }
      }
      controls.setLatency(Object.keys(input).length === 0 ? undefined : input);
      return json(200, controls.load());
    }
    case 'PUT /__sandbox/quotas': {
      const input = parseBody(body);
      for (const [service, spec] of Object.entries(input)) {
        const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
        const perSecond = finiteNumber(s, 'ratePerSecond');
        if (perSecond === undefined || perSecond <= 0) {
          throw new AdminInputError(`${service}.ratePerSecond must be a positive number`);
        }
      }
      controls.setQuotas(Object.keys(input).length === 0 ? undefined : input);
      return json(200, controls.load());
    }
    default:
      return json(404, {
        error: `no admin route ${key}`,
        routes: [
          'GET /__sandbox/state',
          'GET /__sandbox/metrics',
          'GET /__sandbox/metrics/summary',
          'POST /__sandbox/metrics/reset',
          'GET|POST /__sandbox/clock',
          'GET /__sandbox/load',
          'PUT /__sandbox/faults',
          'PUT /__sandbox/latency',
          'PUT /__sandbox/quotas',
        ],
      });
  }
}

/** What GET /__sandbox/state answers. */
export type AdminStateSnapshot = Json<ReturnType<typeof snapshot>>;

export function handleAdmin(controls: AdminControls, method: string, path: string, body: Buffer): Reply {
  try {
    return route(controls, method, path.replace(/\/+$/, ''), body);
  } catch (error) {
    if (error instanceof AdminInputError) return json(400, { error: error.message });
    throw error;
  }
}
