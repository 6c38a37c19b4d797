/** Sequential round trips on a path: the longest chain of calls that each waited for the previous one. */

export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Longest chain of pairwise non-overlapping calls, in time order: calls that
 * overlap ran in parallel and count once. Greedy by earliest end is optimal
 * for this (interval scheduling).
 */
export function sequentialRoundTrips(calls: readonly Interval[]): number {
  const byEnd = [...calls].sort((a, b) => a.endMs - b.endMs);
  let count = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const call of byEnd) {
    if (call.startMs >= lastEnd) {
      count += 1;
      lastEnd = call.endMs;
    }
  }
  return count;
}
