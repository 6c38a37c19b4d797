/** The machine a run happened on, and how much memory the process took. */
import { readFileSync } from 'node:fs';
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

/** The kernel's high-water mark of the process's resident memory (Linux); RSS now elsewhere. */
export function processPeakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) / 1024;
  } catch {
    // Not Linux: fall back to the current RSS, a lower bound of the peak.
  }
  return process.memoryUsage().rss / 1024 ** 2;
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
