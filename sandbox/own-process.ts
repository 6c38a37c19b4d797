/**
 * The sandbox in a process of its own: its CPU on another core and its
 * memory outside the caller's, as AWS's would be. The caller reaches it as
 * any client does, over loopback: the AWS protocols for the services, the
 * admin HTTP API (admin.ts) for its state, counters and faults.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { AdminStateSnapshot } from './admin';
import type { SandboxConnection, SandboxOptions } from './index';
import type { FaultOptions } from './load';
import type { MetricsSummary } from './metrics';

/** What the sandbox process sends its parent. */
export type SandboxProcessMessage =
  | { readonly type: 'ready'; readonly connection: Omit<SandboxConnection, 'close'> }
  | { readonly type: 'error'; readonly message: string };

/** What the parent sends the sandbox process. */
export type SandboxProcessCommand =
  { readonly type: 'start'; readonly options: SandboxOptions } | { readonly type: 'close' };

export interface SandboxProcess extends SandboxConnection {
  /** The operating system's id of the sandbox process (its memory is its own). */
  readonly pid: number;
  /** GET /__sandbox/state: the organization, accounts, OUs, buckets, queues and sessions, without secrets. */
  state(): Promise<AdminStateSnapshot>;
  /** GET /__sandbox/metrics/summary: the call counters, summed. */
  metricsSummary(): Promise<MetricsSummary>;
  /** PUT /__sandbox/faults: replaces the fault rates (a seed restarts the draws). */
  setFaults(faults: FaultOptions): Promise<void>;
}

/** A sandbox process that ends its work or dies answers nothing more: bounded. */
const START_LIMIT_MS = 120_000;

async function admin<T>(adminUrl: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${adminUrl}${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox admin ${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Starts a sandbox in a child process and resolves when it listens. The
 * options cross the process boundary by structured clone: a shared clock
 * object cannot, a start time can.
 */
export async function startSandboxProcess(options: SandboxOptions = {}): Promise<SandboxProcess> {
  if (typeof options.clock === 'object' && !(options.clock instanceof Date)) {
    throw new Error('clock: a sandbox in its own process takes a start time, not a shared clock object');
  }
  // tsx's loader, whether the parent runs under tsx or under jest.
  const child = fork(path.join(__dirname, 'process-entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Omit<SandboxConnection, 'close'>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the sandbox process did not start in time')),
      START_LIMIT_MS,
    );
    child.on('message', (message: SandboxProcessMessage) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message.connection);
      else reject(new Error(`the sandbox process failed: ${message.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox process exited with code ${String(code)}`));
    });
    child.send({ type: 'start', options } satisfies SandboxProcessCommand);
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: 'close' } satisfies SandboxProcessCommand);
      else child.kill('SIGTERM');
    }
    await exited;
  };
  return {
    ...ready,
    pid: child.pid ?? 0,
    state: () => admin<AdminStateSnapshot>(ready.adminUrl, 'GET', 'state'),
    metricsSummary: async () =>
      (await admin<{ summary: MetricsSummary }>(ready.adminUrl, 'GET', 'metrics/summary')).summary,
    setFaults: async (faults) => {
      await admin(ready.adminUrl, 'PUT', 'faults', faults);
    },
    close,
  };
}
