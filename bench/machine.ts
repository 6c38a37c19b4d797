/** The machine a run happened on, and how much memory the process took. */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Machine } from './report/model';

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** The kernel's high-water mark of a process's resident memory (Linux), MB; undefined elsewhere. */
export function peakRssMbOf(pid: number | 'self'): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match?.[1]) return Number(match[1]) / 1024;
  } catch {
    // Not Linux, or the process has ended.
  }
  return undefined;
}

/**
 * Restarts this process's high-water mark from its RSS now (Linux 4.0+:
 * "5" to /proc/self/clear_refs), so that a later reading covers one phase.
 * False where it cannot: the mark then still covers the process's life.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** This process's high-water mark; elsewhere than Linux, its RSS now (a lower bound of the peak). */
export function processPeakRssMb(): number {
  return peakRssMbOf('self') ?? process.memoryUsage().rss / 1024 ** 2;
}

/**
 * Samples RSS while one strategy runs: VmHWM covers the whole process, so
 * it cannot tell which strategy took the memory.
 */
export class RssSampler {
  private peak = process.memoryUsage().rss;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  get peakMb(): number {
    return this.peak / 1024 ** 2;
  }
}
