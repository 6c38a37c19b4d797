/** Latency, token-bucket quotas and injected faults: configurable and seeded. */
import type { SandboxClock } from './clock';
import type { ServiceName } from './protocol';
import type { Random } from './random';
import { mulberry32, normal } from './random';

export type LatencySpec = { fixedMs: number } | { medianMs: number; p99Ms: number };
/** One distribution for every call, or one per service (with `default` for the rest). */
export type LatencyOptions = LatencySpec | Partial<Record<ServiceName | 'default', LatencySpec>>;

export interface QuotaSpec {
  ratePerSecond: number;
  /** Bucket size; the rate when absent. */
  burst?: number;
}
/** Token buckets: STS and Organizations per caller account, IAM per member account (the session's). */
export type QuotaOptions = Partial<Record<ServiceName, QuotaSpec>>;

export interface FaultOptions {
  seed?: number;
  /** Probability that a call is answered with the service's throttling error. */
  throttle?: number | Partial<Record<ServiceName, number>>;
  /** Probability that an IAM call fails with ServiceFailure (500). */
  serviceFailure?: number;
  /** Probability that DeleteLoginProfile / DeactivateMFADevice answer EntityTemporarilyUnmodifiable. */
  entityTemporarilyUnmodifiable?: number;
}

export type InjectedFault = 'Throttling' | 'ServiceFailure' | 'EntityTemporarilyUnmodifiable';

const isSpec = (options: LatencyOptions): options is LatencySpec =>
  'fixedMs' in options || 'medianMs' in options;

export function createLatency(
  options: LatencyOptions | undefined,
  seed: number,
): (service: ServiceName) => number {
  const random = mulberry32(seed ^ 0x5eed);
  return (service) => {
    if (!options) return 0;
    const spec = isSpec(options) ? options : (options[service] ?? options.default);
    if (!spec) return 0;
    if ('fixedMs' in spec) return spec.fixedMs;
    // log-normal: median = e^mu, p99 = e^(mu + 2.3263 sigma)
    const mu = Math.log(Math.max(spec.medianMs, 0.001));
    const sigma = Math.max(0, (Math.log(Math.max(spec.p99Ms, spec.medianMs)) - mu) / 2.3263);
    return Math.exp(mu + sigma * normal(random));
  };
}

export function createQuotas(options: QuotaOptions | undefined, clock: SandboxClock) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** Takes a token from the service's bucket for this account; false when it is empty. */
  return (service: ServiceName, account: string): boolean => {
    const spec = options?.[service];
    if (!spec) return true;
    const burst = spec.burst ?? spec.ratePerSecond;
    const key = `${service}/${account}`;
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * spec.ratePerSecond);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}

const UNMODIFIABLE_ACTIONS = new Set(['DeleteLoginProfile', 'DeactivateMFADevice']);

export class FaultInjector {
  private random: Random;
  constructor(private options: FaultOptions = {}) {
    this.random = mulberry32(options.seed ?? 42);
  }

  get current(): FaultOptions {
    return structuredClone(this.options);
  }

  set(options: FaultOptions): void {
    this.options = options;
    if (options.seed !== undefined) this.random = mulberry32(options.seed);
  }

  /** Draws the fault (if any) for one call. */
  draw(service: ServiceName, action: string): InjectedFault | undefined {
    const { throttle, serviceFailure = 0, entityTemporarilyUnmodifiable = 0 } = this.options;
    const throttleRate = typeof throttle === 'number' ? throttle : (throttle?.[service] ?? 0);
    if (throttleRate > 0 && this.random() < throttleRate) return 'Throttling';
    if (service !== 'iam') return undefined;
    if (serviceFailure > 0 && this.random() < serviceFailure) return 'ServiceFailure';
    if (entityTemporarilyUnmodifiable > 0 && UNMODIFIABLE_ACTIONS.has(action)) {
      if (this.random() < entityTemporarilyUnmodifiable) return 'EntityTemporarilyUnmodifiable';
    }
    return undefined;
  }
}
